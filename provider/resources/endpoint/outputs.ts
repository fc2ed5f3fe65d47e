import type { ComputedTable } from "../../schema/fields";
import type { EndpointApis } from "./fields";

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
};
