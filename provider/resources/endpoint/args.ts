import * as pulumi from "@pulumi/pulumi";
import { RunpodResource, ResourceOutputs } from "../../resource";
import { loose } from "../../schema/fields";
import type { CpuFlavorId, CudaVersion, DataCenterId, GpuPoolId, GpuTypeId } from "../../schema/enums";
import { spec } from "./fields";
import type { EndpointComputed } from "./outputs";
import type { EndpointRollout } from "./readiness";
import type { AdoptArgs } from "../../schema/adopt";

/** Request routing of a REST v2 endpoint. */
export type EndpointType = "QUEUE" | "LOAD_BALANCER";
/** What the autoscaler watches. */
export type EndpointScalerType = "QUEUE_DELAY" | "REQUEST_COUNT";
/** FlashBoot cold-start acceleration (REST v2 names; `true`/`false` are accepted as FLASHBOOT/OFF). */
export type EndpointFlashbootMode = "OFF" | "FLASHBOOT" | "PRIORITY_FLASHBOOT";

/**
 * Inputs of an {@link Endpoint} (a Runpod serverless endpoint).
 *
 * One flat model serves both wires (`runpod:apiVersion` `v2`, the default, or `v1`). A field the
 * active wire cannot express fails `pulumi preview` naming the field and the wire:
 *
 * | Flat input | REST v2 (`/v2/serverless`) | REST v1 (`/v1/endpoints`) |
 * |---|---|---|
 * | type | `type` (replaces) | — |
 * | templateId | `templateId` | `templateId` (required) |
 * | templateRevision | re-applies the template (image, args, disk, env, ports, registry) | — (Runpod rolls template edits out itself) |
 * | imageName, dockerEntrypoint + dockerStartCmd, env, ports, containerDiskInGb, containerRegistryAuthId | `image`, `args` (one string), `env`, `ports`, `disk`, `registry` | — (come from the template) |
 * | computeType | GPU: a `gpu` block, CPU: a `cpu` list (replaces) | `computeType` (replaces) |
 * | gpuPoolIds, excludedGpuTypeIds | `gpu.pools`, `gpu.excludedTypes` | — (use gpuTypeIds) |
 * | gpuTypeIds | — (use gpuPoolIds + excludedGpuTypeIds) | `gpuTypeIds` |
 * | gpuCount, allowedCudaVersions, minCudaVersion | `gpu.count`, `gpu.allowedCudaVersions`, `gpu.minCudaVersion` | same names |
 * | cpuFlavorIds + vcpuCount | `cpu: [{id, vcpuCount}]`, one entry per flavor | `cpuFlavorIds`, `vcpuCount` |
 * | workersMin, workersMax, idleTimeout | `workers {min, max, idleTimeout}` | same names |
 * | scalerType + scalerValue | `scaling {type: QUEUE_DELAY, queueDelay}` / `{type: REQUEST_COUNT, requestCount}` | same names |
 * | executionTimeoutMs | `timeout` | `executionTimeoutMs` |
 * | flashboot | `flashboot` mode | `flashboot` boolean (no PRIORITY_FLASHBOOT) |
 * | dataCenterIds | `dataCenterIds` | `dataCenterIds` |
 * | networkVolumeIds | `networkVolumes` | `networkVolumeIds` |
 * | waitForReady, readyTimeoutSeconds | provider-side | provider-side |
 *
 * Everything except `type` and `computeType` changes in place; on Runpod an update rolls out a
 * new release of the endpoint (see the `version` and `releaseId` outputs). Omitted optional
 * inputs take Runpod's defaults and never show up as a diff.
 */
export interface EndpointArgs extends AdoptArgs {
  /** Endpoint name (need not be unique). Defaults to the logical name plus a random suffix. In place. */
  name?: pulumi.Input<string>;
  /**
   * REST v2 only: request routing, `QUEUE` (jobs through the managed queue, `/run`, `/runsync`)
   * or `LOAD_BALANCER` (HTTP straight to workers). Defaults to `QUEUE`. Changing it replaces the
   * endpoint. A LOAD_BALANCER endpoint scales on `REQUEST_COUNT`.
   */
  type?: pulumi.Input<EndpointType>;
  /**
   * Serverless template the workers run. Required on REST v1. On REST v2 give it or `imageName`;
   * inline container fields override the template's (env is merged per key). In place.
   */
  templateId?: pulumi.Input<string>;
  /**
   * The revision of the template in `templateId`: give it the template's `revision` output.
   * REST v2 applies a template only when the endpoint is created; when this changes, the provider
   * reads the template and updates the endpoint in place with its image, start command, disk,
   * env, ports and registry credential, this endpoint's own inputs on top (env merged per key,
   * the endpoint's values winning): a new release that rolls out as workers cycle. REST v1 rolls
   * a template edit out to the endpoints using it by itself, so there the change is only
   * recorded (with the new `version`). Never a replacement. Needs `templateId`.
   */
  templateRevision?: pulumi.Input<string>;
  /** REST v2 only: container image, e.g. `myorg/worker:1.2` (required on v2 without `templateId`). */
  imageName?: pulumi.Input<string>;
  /**
   * REST v2 only: entrypoint override words. v2 has one `args` string: `dockerEntrypoint` then
   * `dockerStartCmd`, each word shell-quoted, exactly as the Template resource does.
   */
  dockerEntrypoint?: pulumi.Input<pulumi.Input<string>[]>;
  /** REST v2 only: start command words (see `dockerEntrypoint`); an `args` changed outside Pulumi reads back here. */
  dockerStartCmd?: pulumi.Input<pulumi.Input<string>[]>;
  /** REST v2 only: worker environment variables. On v1 the template's env applies. A `{{ RUNPOD_SECRET_<name> }}` reference must be well-formed (checked at preview) and name a secret the account has (checked before the create is sent; error code `missing_secret`). */
  env?: pulumi.Input<Record<string, pulumi.Input<string>>>;
  /** REST v2 only: exposed ports, e.g. `["8000/http"]`. Each port number once (`8888/http` and `8888/tcp` clash; leading zeros are dropped); at most 10 HTTP ports (Runpod's console limit). */
  ports?: pulumi.Input<pulumi.Input<string>[]>;
  /** REST v2 only: container disk in GB, 1 to 1024. */
  containerDiskInGb?: pulumi.Input<number>;
  /** REST v2 only: id of a ContainerRegistryAuth for a private image. */
  containerRegistryAuthId?: pulumi.Input<string>;
  /**
   * `GPU` (default) or `CPU` workers. GPU fields are rejected on a CPU endpoint and CPU fields on
   * a GPU endpoint. Changing it replaces the endpoint (Runpod cannot switch the compute family).
   */
  computeType?: pulumi.Input<"GPU" | "CPU">;
  /** REST v1 only: GPU type ids in rental-preference order, e.g. `["NVIDIA GeForce RTX 4090"]`. */
  gpuTypeIds?: pulumi.Input<pulumi.Input<GpuTypeId>[]>;
  /**
   * REST v2 only: serverless GPU pools workers may use (`AMPERE_16`, `AMPERE_24`, `ADA_24`,
   * `AMPERE_48`, `ADA_48_PRO`, `AMPERE_80`, `ADA_80_PRO`, `HOPPER_141`). Required for a GPU
   * endpoint on v2.
   */
  gpuPoolIds?: pulumi.Input<pulumi.Input<GpuPoolId>[]>;
  /** REST v2 only: GPU type ids to subtract from `gpuPoolIds` (each must belong to one of them, and at least one type must remain). */
  excludedGpuTypeIds?: pulumi.Input<pulumi.Input<GpuTypeId>[]>;
  /** GPUs per worker, 1 to 8 (Runpod's machines have at most 8 GPUs; Runpod's default 1). */
  gpuCount?: pulumi.Input<number>;
  /** Acceptable CUDA versions (`"12.4"`…). On v2 a non-empty list excludes `minCudaVersion`. */
  allowedCudaVersions?: pulumi.Input<pulumi.Input<CudaVersion>[]>;
  /** Lowest acceptable CUDA version, e.g. `"12.1"`. */
  minCudaVersion?: pulumi.Input<CudaVersion>;
  /** CPU flavors (`cpu3c`, `cpu3g`, `cpu5c`, `cpu5g`) for a `computeType: "CPU"` endpoint. Required for CPU on v2. */
  cpuFlavorIds?: pulumi.Input<pulumi.Input<CpuFlavorId>[]>;
  /** vCPUs per CPU worker (Runpod's default 2): a power of two from 2 to 32 on both wires; on v2 applied to every flavor. */
  vcpuCount?: pulumi.Input<number>;
  /** Always-on (billed) workers, 0 to 100 and ≤ `workersMax`. Destroy scales them to zero first. */
  workersMin?: pulumi.Input<number>;
  /** Maximum concurrent workers, 0 to 100 (our bound against typos; Runpod caps workers per account). */
  workersMax?: pulumi.Input<number>;
  /**
   * Seconds an idle worker stays up, 1–3600. On REST v2 not allowed on a QUEUE endpoint that
   * scales on `REQUEST_COUNT` (Runpod rejects it there).
   */
  idleTimeout?: pulumi.Input<number>;
  /**
   * What the autoscaler watches, with `scalerValue`:
   * - `QUEUE_DELAY`: add a worker when a request waited `scalerValue` seconds in the queue
   *   (v1: whole seconds ≥ 1; v2: ≥ 0.5). QUEUE endpoints only.
   * - `REQUEST_COUNT`: workers = ceil(requests ÷ `scalerValue`) (whole number ≥ 1).
   *
   * On REST v2 the pair becomes the `scaling` union. Defaults: `QUEUE_DELAY` (LOAD_BALANCER
   * endpoints: `REQUEST_COUNT`) with value 4, as Runpod's v1 defaults. In place.
   */
  scalerType?: pulumi.Input<EndpointScalerType>;
  /** The scaler's threshold, see `scalerType`: QUEUE_DELAY seconds 0.5 to 3600, REQUEST_COUNT a whole number 1 to 1000. */
  scalerValue?: pulumi.Input<number>;
  /** Per-request execution timeout in ms (1 ms – 24 h). v2 `timeout`. */
  executionTimeoutMs?: pulumi.Input<number>;
  /**
   * FlashBoot: `true`/`false` on both wires, or a REST v2 mode `OFF` | `FLASHBOOT` |
   * `PRIORITY_FLASHBOOT` (v2 only). State records the mode (`true` → `FLASHBOOT`).
   */
  flashboot?: pulumi.Input<boolean | EndpointFlashbootMode>;
  /** Data centres workers may run in (default: Runpod chooses). */
  dataCenterIds?: pulumi.Input<pulumi.Input<DataCenterId>[]>;
  /** Network volumes mounted at `/runpod-volume` in the workers (one per data centre). */
  networkVolumeIds?: pulumi.Input<pulumi.Input<string>[]>;
  /**
   * Wait after a create or update until the endpoint can serve (default true): the new release
   * has rolled out to every worker and, with `workersMin > 0`, that many workers are running or
   * idle. Provider-side: changing it never updates the endpoint.
   */
  waitForReady?: pulumi.Input<boolean>;
  /**
   * How long to wait for readiness (default 600 s). When it runs out, the operation fails naming
   * the workers that are stuck — THROTTLED (no stock in the chosen pools/types and data centres)
   * or UNHEALTHY (image pull or start failure) — but the endpoint stays in the stack's state: the
   * next `up` waits again, `destroy` deletes it.
   */
  readyTimeoutSeconds?: pulumi.Input<number>;
}

/**
 * A Runpod serverless endpoint: autoscaled workers running a container image (inline on REST v2,
 * or from a serverless {@link Template}), on GPU pools or CPU flavors. See {@link EndpointArgs} for
 * how each input maps to REST v2 and v1. Changes roll out as a new release in place; only the
 * routing `type` and `computeType` replace the endpoint. Destroy scales always-on workers to zero
 * before deleting, as Runpod requires.
 *
 * `pulumi up` waits, unless `waitForReady: false`, until the endpoint can serve: its release has
 * rolled out and `workersMin` workers are running or idle (the `rollout` and `readyWorkers`
 * outputs). If it does not get there within `readyTimeoutSeconds`, the endpoint stays in the
 * stack's state and the error names the stuck workers and their likely cause.
 *
 * Reads itself by id for refresh. To take over an existing one, give its id as `adoptId` (Pulumi's
 * import does not reach dynamic providers yet: see the README).
 */
export class Endpoint extends RunpodResource implements ResourceOutputs<EndpointArgs, EndpointComputed> {
  /** Endpoint name. */
  declare readonly name: pulumi.Output<string>;
  /** Routing type (REST v2): `QUEUE` or `LOAD_BALANCER`. */
  declare readonly type: pulumi.Output<EndpointType | undefined>;
  /** Template the endpoint was created from (REST v2 does not report it back; kept as configured). */
  declare readonly templateId: pulumi.Output<string | undefined>;
  /** The revision of the template last applied (as given). */
  declare readonly templateRevision: pulumi.Output<string | undefined>;
  /** Container image (REST v2). */
  declare readonly imageName: pulumi.Output<string | undefined>;
  /** Entrypoint override (REST v2; see {@link EndpointArgs.dockerEntrypoint}). */
  declare readonly dockerEntrypoint: pulumi.Output<string[] | undefined>;
  /** Start command (REST v2). */
  declare readonly dockerStartCmd: pulumi.Output<string[] | undefined>;
  /** Worker environment (REST v2; only the keys this program sets when a template adds more). */
  declare readonly env: pulumi.Output<Record<string, string> | undefined>;
  /** Exposed ports (REST v2). */
  declare readonly ports: pulumi.Output<string[] | undefined>;
  /** Container disk in GB (REST v2). */
  declare readonly containerDiskInGb: pulumi.Output<number | undefined>;
  /** Registry credential id (REST v2). */
  declare readonly containerRegistryAuthId: pulumi.Output<string | undefined>;
  /** `GPU` or `CPU`. */
  declare readonly computeType: pulumi.Output<"GPU" | "CPU">;
  /** GPU type ids (REST v1). */
  declare readonly gpuTypeIds: pulumi.Output<string[] | undefined>;
  /** Serverless GPU pools (REST v2). */
  declare readonly gpuPoolIds: pulumi.Output<string[] | undefined>;
  /** GPU types excluded from the pools (REST v2). */
  declare readonly excludedGpuTypeIds: pulumi.Output<string[] | undefined>;
  /** GPUs per worker. */
  declare readonly gpuCount: pulumi.Output<number | undefined>;
  /** Acceptable CUDA versions. */
  declare readonly allowedCudaVersions: pulumi.Output<string[] | undefined>;
  /** Minimum CUDA version. */
  declare readonly minCudaVersion: pulumi.Output<string | undefined>;
  /** CPU flavors (CPU endpoints). */
  declare readonly cpuFlavorIds: pulumi.Output<string[] | undefined>;
  /** vCPUs per CPU worker. */
  declare readonly vcpuCount: pulumi.Output<number | undefined>;
  /** Always-on workers. */
  declare readonly workersMin: pulumi.Output<number>;
  /** Maximum workers. */
  declare readonly workersMax: pulumi.Output<number>;
  /** Idle timeout in seconds (absent on v2 QUEUE endpoints scaling on REQUEST_COUNT). */
  declare readonly idleTimeout: pulumi.Output<number | undefined>;
  /** Autoscaler signal. */
  declare readonly scalerType: pulumi.Output<EndpointScalerType>;
  /** Autoscaler threshold. */
  declare readonly scalerValue: pulumi.Output<number>;
  /** Execution timeout in ms. */
  declare readonly executionTimeoutMs: pulumi.Output<number | undefined>;
  /** FlashBoot mode (`OFF`, `FLASHBOOT`, `PRIORITY_FLASHBOOT`); REST v1 keeps it as configured. */
  declare readonly flashboot: pulumi.Output<EndpointFlashbootMode | undefined>;
  /** Data centres. */
  declare readonly dataCenterIds: pulumi.Output<string[] | undefined>;
  /** Mounted network volumes. */
  declare readonly networkVolumeIds: pulumi.Output<string[] | undefined>;
  /** Provider-side: whether creates and updates wait until the endpoint serves. */
  declare readonly waitForReady: pulumi.Output<boolean | undefined>;
  /** Provider-side: how long to wait for readiness. */
  declare readonly readyTimeoutSeconds: pulumi.Output<number | undefined>;
  /**
   * The endpoint's configuration version: it moves when an update rolls out a new release
   * (REST v1 `version`; REST v2 the releases' `endpointVersion`).
   */
  declare readonly version: pulumi.Output<number | undefined>;
  /** REST v2: id of the newest release (`GET /v2/serverless/{id}/releases`). */
  declare readonly releaseId: pulumi.Output<string | undefined>;
  /** Creation time (ISO 8601). */
  declare readonly createdAt: pulumi.Output<string | undefined>;
  /** REST v2: the URLs to send requests to (queue `run`/`runsync`/… or load-balancer `base`/`health`). */
  declare readonly requestUrls: pulumi.Output<Record<string, string> | undefined>;
  /** The newest release's rollout when last looked at (see {@link EndpointComputed.rollout}). */
  declare readonly rollout: pulumi.Output<EndpointRollout | undefined>;
  /** Workers of the current release running or idle when last looked at. */
  declare readonly readyWorkers: pulumi.Output<number | undefined>;

  constructor(name: string, args: EndpointArgs, opts?: pulumi.CustomResourceOptions) {
    super(loose(spec), name, args, opts);
  }
}
