import type { ComputedTable } from "../../schema/fields";
import type { EndpointApis } from "./fields";
import { EndpointRollout, v1View } from "./readiness";

/** Outputs of an {@link Endpoint} that are not inputs: what Runpod decides and reports. */
export interface EndpointComputed {
  /**
   * The endpoint's configuration version: it moves when an update rolls out a new release
   * (REST v1 `version`; REST v2 the releases' `endpointVersion`, else the newest release's).
   */
  version: number;
  /** REST v2: id of the newest release (`GET /v2/serverless/{id}/releases`). */
  releaseId: string;
  /** Creation time (ISO 8601). */
  createdAt: string;
  /** REST v2: the URLs to send requests to (queue `run`/`runsync`/… or load-balancer `base`/`health`). */
  requestUrls: Record<string, string>;
  /**
   * The newest release's rollout when last looked at (after a create, an update or a refresh):
   * `inProgress` while any worker still runs an older version, `workersOnLatest` of
   * `workersTotal` (REST v2 `GET /v2/serverless/{id}/releases`; REST v1 derived from the workers'
   * `slsVersion`).
   */
  rollout: EndpointRollout;
  /**
   * Workers of the current release that are RUNNING or IDLE when last looked at (REST v2 worker
   * status; REST v1: workers placed on a machine and started).
   */
  readyWorkers: number;
}

/**
 * A reader that finds nothing leaves the output out; the lifecycle then keeps the value state
 * had, since the release outputs come from a separate, informational call.
 */
export const computed: ComputedTable<EndpointComputed, EndpointApis> = {
  version: {
    v2: (api) => api.__release?.version,
    v1: (api) => api.version,
  },
  releaseId: {
    v2: (api) => api.__release?.id,
  },
  createdAt: {
    v2: (api) => api.createdAt,
    v1: (api) => api.createdAt,
  },
  requestUrls: {
    v2: (api) => api.requestUrls,
  },
  rollout: {
    v2: (api) => api.__workers?.rollout,
    v1: (api) => v1View(api).rollout,
  },
  readyWorkers: {
    v2: (api) => api.__workers?.readyWorkers,
    v1: (api) => v1View(api).readyWorkers,
  },
};
