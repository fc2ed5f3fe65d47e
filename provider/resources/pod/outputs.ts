/**
 * The pod's computed outputs: what Runpod decided (placement, cost, addresses), read from its
 * answers with one reader per output and wire.
 */
import type { ComputedTable } from "../../schema/fields";
import type { PodApis, V1Pod } from "./api";
import { knownGpuMemory, knownGpuName } from "../../catalog/gpuFacts";
import { PodStatus, portMappingsOf, publicIpOf, statusOf } from "./status";

/** Outputs of a {@link Pod} that are not inputs. */
export interface PodComputed {
  /** `PROVISIONING`, `STARTING`, `RUNNING`, `EXITED` or `ERROR` (REST v1's status mapped onto v2's). */
  status: PodStatus;
  /** The image the pod runs, as Runpod reports it. */
  image: string;
  /** USD per hour (REST v2: the current cost, 0 while stopped). */
  costPerHr: number;
  /** USD per hour after discounts such as savings plans (REST v2 reports one cost: same as costPerHr). */
  adjustedCostPerHr: number;
  /** Public IP once running. */
  publicIp: string;
  /** Private port → public port, e.g. `{"22": 10341}`; changes whenever the pod resets. */
  portMappings: Record<string, number>;
  /** A ready-to-run `ssh` command when SSH is reachable. */
  sshCommand: string;
  /** The GPU type the pod actually got. */
  gpuTypeId: string;
  /** Human-readable GPU name, e.g. `RTX 4090`. */
  gpuDisplayName: string;
  /** VRAM per GPU of the type the pod runs on, in GB (from Runpod's catalog; carried from state when not looked up). */
  gpuMemoryInGb: number;
  /** The CPU flavor a CPU pod actually got. */
  cpuFlavorId: string;
  /** Memory in GB (REST v1: every pod; REST v2: CPU pods). */
  memoryInGb: number;
  /** Data centre the pod was placed in. */
  dataCenterId: string;
  /** REST v2: the host's CUDA version. */
  cudaVersion: string;
  /** REST v1: the machine the pod is tied to. */
  machineId: string;
  /** When the pod last started. */
  lastStartedAt: string;
}

/** A price as a number: v1's spec allows the string form (`"0.74"`). */
function money(value: number | string | null | undefined): number | undefined {
  const n = typeof value === "string" ? Number(value) : value;
  return typeof n === "number" && Number.isFinite(n) ? n : undefined;
}

/** v2 names the SSH command; v1 only gives the address it is made of. */
function v1SshCommand(pod: V1Pod): string | undefined {
  const ip = publicIpOf("v1", pod);
  const sshPort = portMappingsOf("v1", pod)["22"];
  return ip && sshPort ? `ssh root@${ip} -p ${sshPort}` : undefined;
}

export const computed: ComputedTable<PodComputed, PodApis> = {
  status: { v2: (o) => statusOf("v2", o), v1: (o) => statusOf("v1", o) },
  image: { v2: (o) => o.image, v1: (o) => o.image },
  costPerHr: { v2: (o) => money(o.cost), v1: (o) => money(o.costPerHr) },
  adjustedCostPerHr: { v2: (o) => money(o.cost), v1: (o) => money(o.adjustedCostPerHr) },
  publicIp: { v2: (o) => publicIpOf("v2", o), v1: (o) => publicIpOf("v1", o) },
  portMappings: { v2: (o) => portMappingsOf("v2", o), v1: (o) => portMappingsOf("v1", o) },
  sshCommand: { v2: (o) => o.ssh?.direct?.command ?? o.ssh?.proxy?.command, v1: v1SshCommand },
  gpuTypeId: { v2: (o) => o.gpu?.id, v1: (o) => o.gpu?.id ?? o.machine?.gpuTypeId },
  gpuDisplayName: {
    v2: (o) => (o.gpu ? (knownGpuName(o.gpu.id) ?? o.gpu.id) : undefined),
    v1: (o) => o.gpu?.displayName ?? o.machine?.gpuDisplayName,
  },
  gpuMemoryInGb: { v2: (o) => knownGpuMemory(o.gpu?.id), v1: (o) => knownGpuMemory(o.gpu?.id ?? o.machine?.gpuTypeId) },
  cpuFlavorId: { v2: (o) => o.cpu?.id, v1: (o) => o.cpuFlavorId },
  memoryInGb: { v2: (o) => o.cpu?.memory, v1: (o) => o.memoryInGb },
  dataCenterId: { v2: (o) => o.dataCenterId, v1: (o) => o.machine?.dataCenterId },
  cudaVersion: { v2: (o) => o.cudaVersion },
  machineId: { v1: (o) => o.machineId },
  lastStartedAt: { v2: (o) => o.startedAt, v1: (o) => o.lastStartedAt },
};
