import * as pulumi from "@pulumi/pulumi";
import { RunpodResource, ResourceOutputs } from "../../resource";
import { loose } from "../../schema/fields";
import type { CpuFlavorId, CudaVersion, DataCenterId, GpuTypeId } from "../../schema/enums";
import { spec } from "./fields";
import type { PodComputed } from "./outputs";
import type { PodStatus } from "./status";
import type { AdoptArgs } from "../../schema/adopt";

/**
 * Inputs of a {@link Pod}: a Runpod GPU or CPU pod.
 *
 * One flat model serves both wires (`runpod:apiVersion` `v2`, the default, or `v1`). A field the
 * active wire cannot express fails `pulumi preview` naming the field and the wire; nothing is
 * silently dropped.
 *
 * | Flat input | REST v2 (`/v2/pods`) | REST v1 (`/v1/pods`) | Change |
 * |---|---|---|---|
 * | name | `name` | `name` | in place |
 * | imageName | `image` | `imageName` | in place |
 * | templateId | `templateId` | `templateId` | v2 in place (applies the template's container settings), v1 replaces |
 * | templateRevision | — (re-applies the template: image, args, disk, env, ports, registry) | — (same, as `imageName`, `dockerEntrypoint`…) | in place |
 * | computeType | a `gpu` or a `cpu` block | `computeType` | replaces |
 * | gpuTypeIds | `gpu.id`, one create per type until one has capacity | `gpuTypeIds` (one create, the list in order) | replaces unless the pod's GPU type is still listed |
 * | gpuSelector | resolved from the catalog into `gpu.id` candidates | resolved into `gpuTypeIds` | replaces only when the pod's type no longer meets it |
 * | gpuTypePriority, cpuFlavorPriority | order of the candidates (provider-side) | `availability` natively; `custom` for the program's order and `price` (sorted by the provider) | recorded only (placement is done) |
 * | dataCenterPriority | — | same name | recorded only |
 * | gpuCount | `gpu.count` | `gpuCount` | replaces |
 * | cpuFlavorIds + vcpuCount | `cpu {id, vcpuCount}`, one create per flavor until one has capacity | `cpuFlavorIds`, `vcpuCount` | replaces (flavors: unless the pod's flavor is still listed) |
 * | cloudType | `cloud` | `cloudType` | replaces |
 * | dataCenterIds | `dataCenterIds` | `dataCenterIds` | replaces unless the pod's data centre is still listed |
 * | allowedCudaVersions, minCudaVersion | `gpu.allowedCudaVersions`, `gpu.minCudaVersion` | `allowedCudaVersions` (v1 has no minimum) | replaces unless the host's CUDA version still qualifies |
 * | containerDiskInGb | `disk` | `containerDiskInGb` | in place |
 * | volumeInGb + volumeMountPath | `mounts.persistent {size, path}` | `volumeInGb`, `volumeMountPath` | in place (size grows only) |
 * | networkVolumeId (+ volumeMountPath) | `mounts.network[0] {volumeId, path}` | `networkVolumeId` | replaces (path: in place) |
 * | containerRegistryAuthId | `registry` | `containerRegistryAuthId` | in place |
 * | env, ports, globalNetworking, locked | same names | same names | in place |
 * | dockerEntrypoint + dockerStartCmd | `args` (one string, words shell-quoted) | `dockerEntrypoint`, `dockerStartCmd` | in place |
 * | interruptible, countryCodes, minRAMPerGPU, minVCPUPerGPU, minDiskBandwidthMBps, minDownloadMbps, minUploadMbps, supportPublicIp | — | same names | replaces |
 * | startSsh, startJupyter | same names | — | replaces |
 * | desiredStatus | `POST /v2/pods/{id}/action` | `POST /v1/pods/{id}/start` / `stop` | start/stop, never replaces |
 * | waitForReady, readyTimeoutSeconds | provider-side | provider-side | never diffs |
 *
 * **REST v1 updates reset the pod**: Runpod restarts the container, erasing everything outside the
 * volume disk / network volume, and its public port mappings change. Only `name` and `locked`
 * change without a reset. REST v2 applies `globalNetworking` at the next start.
 *
 * Omitted optional inputs take Runpod's defaults and never show up as a diff.
 */
export interface PodArgs extends AdoptArgs {
  /** Pod name (need not be unique). Defaults to the logical name plus a random suffix. In place. */
  name?: pulumi.Input<string>;
  /** Container image, e.g. `runpod/pytorch:2.4.0-py3.11-cuda12.4.1-devel-ubuntu22.04`. Required unless `templateId` is given. In place. */
  imageName?: pulumi.Input<string>;
  /** Pod template to start from (its image, env, ports…); explicit inputs override it. REST v2: in place; REST v1: replaces. */
  templateId?: pulumi.Input<string>;
  /**
   * The revision of the template in `templateId`: give it the template's `revision` output.
   * Runpod applies a template only when the pod is created; when this changes, the provider
   * reads the template and updates the pod in place with its image, start command, container
   * disk, env, ports and registry credential, this pod's own inputs on top (env merged per key,
   * the pod's values winning) — never a replacement. The container restarts with it (REST v1
   * resets the pod), and the update waits for readiness like any other. Volumes, SSH/Jupyter and
   * CUDA settings apply only at create. Needs `templateId`. A pod that gets its first
   * `templateRevision` (state from an older version) only records it.
   */
  templateRevision?: pulumi.Input<string>;
  /** `GPU` (default) or `CPU`. Replaces. */
  computeType?: pulumi.Input<"GPU" | "CPU">;
  /**
   * GPU types in priority order, e.g. `["NVIDIA GeForce RTX 4090", "NVIDIA L40S"]`. A GPU pod names
   * its types here or describes them with `gpuSelector`; not allowed on CPU pods. When Runpod has
   * no capacity for one type the next is tried (REST v2: one create per type, each with all of
   * `dataCenterIds`; a refused create makes nothing, so there is never a second pod; REST v1: one
   * create with the list). The outputs `gpuTypeId` and `dataCenterId` say where the pod landed.
   * When every type is refused the error (code `capacity`) lists each with Runpod's answer and
   * the catalog's availability. A change replaces the pod unless the type it runs on is still listed.
   */
  gpuTypeIds?: pulumi.Input<pulumi.Input<GpuTypeId>[]>;
  /**
   * Instead of naming GPU types: what the pod needs of one. Resolved at create from Runpod's
   * catalog (`/v2/catalog/gpus`, on both wires) into the types that meet it together with the
   * pod's `cloudType`, `gpuCount` and CUDA constraint (`minCudaVersion` / `allowedCudaVersions`),
   * tried cheapest first (or per `gpuTypePriority`). Catalog changes never cause a diff; changing
   * the selector replaces the pod only when the type it runs on no longer meets it.
   */
  gpuSelector?: pulumi.Input<{
    /** Least VRAM per GPU, in GB. */
    minMemoryInGb?: pulumi.Input<number>;
    /** Most the pod's GPUs may cost per hour together, in USD (catalog price per GPU × `gpuCount`). */
    maxPricePerHr?: pulumi.Input<number>;
  }>;
  /**
   * How the GPU candidates are tried: `custom` (default: the program's order), `availability`
   * (the catalog's current availability in the allowed data centres, then price) or `price`
   * (cheapest first; a selector's default). REST v1 orders `availability` itself. Never diffs.
   */
  gpuTypePriority?: pulumi.Input<"custom" | "availability" | "price">;
  /** GPUs per pod, 1 to 8 (Runpod's machines have at most 8 GPUs; default 1). GPU pods only. Replaces. */
  gpuCount?: pulumi.Input<number>;
  /** CPU flavors in priority order (`cpu3c`, `cpu3g`, `cpu3m`, `cpu5c`, `cpu5g`, `cpu5m`). Required for CPU pods; tried in turn like `gpuTypeIds`. */
  cpuFlavorIds?: pulumi.Input<pulumi.Input<CpuFlavorId>[]>;
  /** How the CPU flavors are tried: `custom` (default: list order), `availability` (then price) or `price`. CPU pods only. */
  cpuFlavorPriority?: pulumi.Input<"custom" | "availability" | "price">;
  /** vCPUs of a CPU pod (default 2): a power of two from 2 to 32, on both wires. Replaces. */
  vcpuCount?: pulumi.Input<number>;
  /** `SECURE` (default; Runpod data centres) or `COMMUNITY`. Replaces. */
  cloudType?: pulumi.Input<"SECURE" | "COMMUNITY">;
  /** REST v1 only: a spot pod, cheaper but stoppable by Runpod at any time. Replaces. */
  interruptible?: pulumi.Input<boolean>;
  /** Data centres the pod may be placed in (default: any). Replaces unless the pod's data centre is still listed. */
  dataCenterIds?: pulumi.Input<pulumi.Input<DataCenterId>[]>;
  /** REST v1 only: `availability` (default) or `custom` (list order). */
  dataCenterPriority?: pulumi.Input<"availability" | "custom">;
  /** REST v1 only: ISO country codes the machine must be in, e.g. `["US", "CA"]`. Replaces. */
  countryCodes?: pulumi.Input<pulumi.Input<string>[]>;
  /** CUDA versions the host may have, e.g. `["12.8", "12.6"]`. GPU pods only. */
  allowedCudaVersions?: pulumi.Input<pulumi.Input<CudaVersion>[]>;
  /** REST v2 only: the lowest CUDA version the host may have, e.g. `"12.4"`. GPU pods only. */
  minCudaVersion?: pulumi.Input<CudaVersion>;
  /** Container disk in GB, at most 1024 (ephemeral: wiped on every stop and reset). In place. */
  containerDiskInGb?: pulumi.Input<number>;
  /**
   * Volume disk in GB (REST v2: at least 10, GPU pods only), persisted across restarts on the
   * pod's machine. Grows in place; a smaller value fails the preview (the data would be lost).
   * Mutually exclusive with `networkVolumeId`. At most 4096 GB.
   */
  volumeInGb?: pulumi.Input<number>;
  /** Where the volume disk or network volume is mounted (default `/workspace`); needs `volumeInGb` or `networkVolumeId` on both wires. In place. */
  volumeMountPath?: pulumi.Input<string>;
  /**
   * Network volume to attach (Secure Cloud only; it must be in one of `dataCenterIds` when both are
   * given — checked against the volume before the create). Replaces. A pod with a network volume
   * cannot be stopped, only terminated, so `desiredStatus: "EXITED"` is rejected with it.
   */
  networkVolumeId?: pulumi.Input<string>;
  /** Credentials for a private registry (a ContainerRegistryAuth id). In place. */
  containerRegistryAuthId?: pulumi.Input<string>;
  /**
   * Environment variables. Reference Runpod secrets as `{{ RUNPOD_SECRET_<name> }}` rather than
   * putting secret values here; values wrapped in `pulumi.secret` keep the whole map secret in state.
   * In place. `PUBLIC_KEY` and `JUPYTER_PASSWORD`, which Runpod injects, are not reported back.
   * A `{{ RUNPOD_SECRET_<name> }}` reference must be well-formed (checked at preview) and name a secret the account has (checked before the create is sent; error code `missing_secret`).
   */
  env?: pulumi.Input<Record<string, pulumi.Input<string>>>;
  /**
   * Exposed ports, e.g. `["8888/http", "22/tcp"]`. A `/tcp` port must be publicly mapped before the pod counts as ready. In place.
   * Each port number once (`8888/http` and `8888/tcp` clash; leading zeros are dropped); at most 10 HTTP ports (Runpod's console limit).
   */
  ports?: pulumi.Input<pulumi.Input<string>[]>;
  /**
   * Overrides the image's ENTRYPOINT (REST v1). REST v2 has no entrypoint override, only one
   * `args` string: the provider sends `dockerEntrypoint` followed by `dockerStartCmd` as that
   * string, each word shell-quoted. On v2 the image's own ENTRYPOINT, if it has one, therefore
   * still runs and receives these words as arguments; for images that define only CMD (Runpod's
   * official images) the result is the same as on v1. In place.
   */
  dockerEntrypoint?: pulumi.Input<pulumi.Input<string>[]>;
  /**
   * Overrides the image's start command (CMD). On REST v2 it becomes the `args` string (after
   * `dockerEntrypoint`); an `args` changed outside Pulumi reads back as `dockerStartCmd`. In place.
   */
  dockerStartCmd?: pulumi.Input<pulumi.Input<string>[]>;
  /** A private IP reachable from the account's other pods across data centres. NVIDIA GPU pods in supporting data centres, not interruptible. In place. */
  globalNetworking?: pulumi.Input<boolean>;
  /** REST v1 only: ask for a public IP on Community Cloud (Secure Cloud always has one). Replaces. */
  supportPublicIp?: pulumi.Input<boolean>;
  /**
   * Lock the pod so it cannot be stopped or reset from the console or other tools. In place.
   * It does not stop this stack: an update, stop, replacement or `pulumi destroy` that Pulumi
   * decides on unlocks the pod first (and locks it again afterwards when it stays).
   * Use the `protect` resource option to guard against deletion.
   */
  locked?: pulumi.Input<boolean>;
  /** REST v1 only: minimum system RAM per GPU in GB (Runpod's default 8). Replaces. */
  minRAMPerGPU?: pulumi.Input<number>;
  /** REST v1 only: minimum vCPUs per GPU (Runpod's default 2). Replaces. */
  minVCPUPerGPU?: pulumi.Input<number>;
  /** REST v1 only: minimum disk bandwidth of the machine in MB/s. Replaces. */
  minDiskBandwidthMBps?: pulumi.Input<number>;
  /** REST v1 only: minimum download bandwidth in Mb/s. Replaces. */
  minDownloadMbps?: pulumi.Input<number>;
  /** REST v1 only: minimum upload bandwidth in Mb/s. Replaces. */
  minUploadMbps?: pulumi.Input<number>;
  /** REST v2 only: set up SSH with the account's keys (injects `PUBLIC_KEY`) at create. Replaces. */
  startSsh?: pulumi.Input<boolean>;
  /** REST v2 only: start JupyterLab (injects a generated `JUPYTER_PASSWORD`) at create. Replaces. */
  startJupyter?: pulumi.Input<boolean>;
  /**
   * `RUNNING` (default) or `EXITED`. Changing it starts or stops the same pod (its volume disk
   * survives; the container disk does not) — never a replacement. A refresh shows a pod stopped
   * outside Pulumi as `EXITED`, so the next `up` starts it again.
   */
  desiredStatus?: pulumi.Input<"RUNNING" | "EXITED">;
  /**
   * Wait after a create or start until the pod runs and its public IP and TCP port mappings are
   * known (default true). Provider-side: changing it never updates the pod.
   */
  waitForReady?: pulumi.Input<boolean>;
  /**
   * How long to wait for readiness (default 600 s). When it runs out, the operation fails but the
   * pod stays in the stack's state: the next `up` waits again, `destroy` terminates it.
   */
  readyTimeoutSeconds?: pulumi.Input<number>;
}

/**
 * A Runpod pod: a GPU (or CPU) container on a rented machine, billed per hour while it runs.
 *
 * `pulumi up` creates it and, unless `waitForReady: false`, waits until it runs with its public
 * IP and TCP port mappings known. If it does not get there (timeout, failed start), the pod stays
 * in the stack's state so nothing you pay for goes untracked: the next `up` waits again and
 * `destroy` terminates it. `desiredStatus` stops and starts the same pod; fields Runpod cannot
 * change in place replace it (see {@link PodArgs}). `destroy` terminates the pod (a locked pod is
 * unlocked first); a pod already gone counts as deleted.
 *
 * A replacement creates the new pod before terminating the old one (pod names need not be unique),
 * which needs the GPUs of both for a moment; where GPUs are scarce, set the `deleteBeforeReplace`
 * resource option to free the old pod's GPUs first.
 *
 * Reads itself by id for refresh. To take over an existing one, give its id as `adoptId` (Pulumi's
 * import does not reach dynamic providers yet: see the README).
 */
export class Pod extends RunpodResource implements ResourceOutputs<PodArgs, PodComputed> {
  /** Pod name. */
  declare readonly name: pulumi.Output<string>;
  /** Image as given (or the template's). */
  declare readonly imageName: pulumi.Output<string | undefined>;
  /** Pod template the pod started from. */
  declare readonly templateId: pulumi.Output<string | undefined>;
  /** The revision of the template last applied to the pod (as given). */
  declare readonly templateRevision: pulumi.Output<string | undefined>;
  /** `GPU` or `CPU`. */
  declare readonly computeType: pulumi.Output<"GPU" | "CPU">;
  /** GPU types as given; after a refresh or import, the type the pod runs on when it is not listed. */
  declare readonly gpuTypeIds: pulumi.Output<string[] | undefined>;
  /** What the pod asked of a GPU type it did not name, as given. */
  declare readonly gpuSelector: pulumi.Output<{ minMemoryInGb?: number; maxPricePerHr?: number } | undefined>;
  /** How the GPU candidates were tried. */
  declare readonly gpuTypePriority: pulumi.Output<"custom" | "availability" | "price" | undefined>;
  /** GPUs attached (0 when the pod came back with zero GPUs after a stop). */
  declare readonly gpuCount: pulumi.Output<number | undefined>;
  /** CPU flavors as given (CPU pods). */
  declare readonly cpuFlavorIds: pulumi.Output<string[] | undefined>;
  /** How the CPU flavors were tried. */
  declare readonly cpuFlavorPriority: pulumi.Output<"custom" | "availability" | "price" | undefined>;
  /** vCPUs of the pod (CPU pods; on REST v1 also GPU pods). */
  declare readonly vcpuCount: pulumi.Output<number | undefined>;
  /** `SECURE` or `COMMUNITY`. */
  declare readonly cloudType: pulumi.Output<"SECURE" | "COMMUNITY" | undefined>;
  /** REST v1: a spot pod. */
  declare readonly interruptible: pulumi.Output<boolean | undefined>;
  /** Data centres the pod may be placed in, as given (`dataCenterId` is where it is). */
  declare readonly dataCenterIds: pulumi.Output<string[] | undefined>;
  /** REST v1: how the data centre list was tried. */
  declare readonly dataCenterPriority: pulumi.Output<"availability" | "custom" | undefined>;
  /** REST v1: allowed countries, as given. */
  declare readonly countryCodes: pulumi.Output<string[] | undefined>;
  /** CUDA versions the host may have, as given (`cudaVersion` is the host's). */
  declare readonly allowedCudaVersions: pulumi.Output<string[] | undefined>;
  /** REST v2: the lowest CUDA version the host may have, as given. */
  declare readonly minCudaVersion: pulumi.Output<string | undefined>;
  /** Container disk in GB. */
  declare readonly containerDiskInGb: pulumi.Output<number | undefined>;
  /** Volume disk in GB. */
  declare readonly volumeInGb: pulumi.Output<number | undefined>;
  /** Where the volume disk or network volume is mounted. */
  declare readonly volumeMountPath: pulumi.Output<string | undefined>;
  /** The attached network volume. */
  declare readonly networkVolumeId: pulumi.Output<string | undefined>;
  /** Registry credentials id ("" once Runpod no longer has the credentials set). */
  declare readonly containerRegistryAuthId: pulumi.Output<string | undefined>;
  /** Environment variables (without those Runpod injects). */
  declare readonly env: pulumi.Output<Record<string, string> | undefined>;
  /** Exposed ports. */
  declare readonly ports: pulumi.Output<string[] | undefined>;
  /** ENTRYPOINT override. */
  declare readonly dockerEntrypoint: pulumi.Output<string[] | undefined>;
  /** CMD override (REST v2: an `args` changed outside Pulumi reads back here). */
  declare readonly dockerStartCmd: pulumi.Output<string[] | undefined>;
  /** Global networking. */
  declare readonly globalNetworking: pulumi.Output<boolean | undefined>;
  /** REST v1: public IP requested on Community Cloud. */
  declare readonly supportPublicIp: pulumi.Output<boolean | undefined>;
  /** Locked against stops and resets from outside the stack. */
  declare readonly locked: pulumi.Output<boolean | undefined>;
  /** REST v1: minimum RAM per GPU in GB, as given. */
  declare readonly minRAMPerGPU: pulumi.Output<number | undefined>;
  /** REST v1: minimum vCPUs per GPU, as given. */
  declare readonly minVCPUPerGPU: pulumi.Output<number | undefined>;
  /** REST v1: minimum disk bandwidth in MB/s, as given. */
  declare readonly minDiskBandwidthMBps: pulumi.Output<number | undefined>;
  /** REST v1: minimum download bandwidth in Mb/s, as given. */
  declare readonly minDownloadMbps: pulumi.Output<number | undefined>;
  /** REST v1: minimum upload bandwidth in Mb/s, as given. */
  declare readonly minUploadMbps: pulumi.Output<number | undefined>;
  /** REST v2: SSH set up at create, as given. */
  declare readonly startSsh: pulumi.Output<boolean | undefined>;
  /** REST v2: JupyterLab started at create, as given. */
  declare readonly startJupyter: pulumi.Output<boolean | undefined>;
  /** `RUNNING` or `EXITED`, from the pod's actual state after a refresh. */
  declare readonly desiredStatus: pulumi.Output<"RUNNING" | "EXITED">;
  /** Provider-side: whether creates and starts wait for readiness. */
  declare readonly waitForReady: pulumi.Output<boolean | undefined>;
  /** Provider-side: how long to wait for readiness. */
  declare readonly readyTimeoutSeconds: pulumi.Output<number | undefined>;

  /** `PROVISIONING`, `STARTING`, `RUNNING`, `EXITED` or `ERROR` (REST v1's status mapped onto v2's). */
  declare readonly status: pulumi.Output<PodStatus>;
  /** The image the pod runs, as Runpod reports it. */
  declare readonly image: pulumi.Output<string | undefined>;
  /** USD per hour (REST v2: the current cost, 0 while stopped). */
  declare readonly costPerHr: pulumi.Output<number | undefined>;
  /** USD per hour after discounts such as savings plans (REST v2 reports one cost: same as costPerHr). */
  declare readonly adjustedCostPerHr: pulumi.Output<number | undefined>;
  /** Public IP once running (TCP ports are reachable on it through `portMappings`). */
  declare readonly publicIp: pulumi.Output<string | undefined>;
  /** Private port → public port, e.g. `{"22": 10341}`; changes whenever the pod resets. */
  declare readonly portMappings: pulumi.Output<Record<string, number>>;
  /** A ready-to-run `ssh` command when SSH is reachable. */
  declare readonly sshCommand: pulumi.Output<string | undefined>;
  /** The GPU type the pod actually got. */
  declare readonly gpuTypeId: pulumi.Output<string | undefined>;
  /** Human-readable GPU name, e.g. `RTX 4090`. */
  declare readonly gpuDisplayName: pulumi.Output<string | undefined>;
  /** VRAM per GPU of the type the pod runs on, in GB (from Runpod's catalog). */
  declare readonly gpuMemoryInGb: pulumi.Output<number | undefined>;
  /** The CPU flavor a CPU pod actually got. */
  declare readonly cpuFlavorId: pulumi.Output<string | undefined>;
  /** Memory in GB (REST v1: every pod; REST v2: CPU pods). */
  declare readonly memoryInGb: pulumi.Output<number | undefined>;
  /** Data centre the pod was placed in. */
  declare readonly dataCenterId: pulumi.Output<string | undefined>;
  /** REST v2: the host's CUDA version. */
  declare readonly cudaVersion: pulumi.Output<string | undefined>;
  /** REST v1: the machine the pod is tied to. */
  declare readonly machineId: pulumi.Output<string | undefined>;
  /** When the pod last started. */
  declare readonly lastStartedAt: pulumi.Output<string | undefined>;

  constructor(name: string, args: PodArgs, opts?: pulumi.CustomResourceOptions) {
    super(loose(spec), name, args, opts);
  }
}
