/**
 * What a pod answer says about its status and reachability on each wire, and when a starting
 * pod counts as ready: the rules the lifecycle waits on, on one page.
 */
import type { Wire } from "../../schema/fields";
import { PodObject, V1Pod, V2Pod, byWire } from "./api";
import type { PodInputs } from "./fields";

/** One status vocabulary for both wires (v2's `status`; v1's `desiredStatus` mapped onto it). */
export type PodStatus = "PROVISIONING" | "STARTING" | "RUNNING" | "EXITED" | "ERROR" | "TERMINATED";

/** Statuses of a pod that is on its way up or up. */
const UP: ReadonlySet<PodStatus> = new Set<PodStatus>(["PROVISIONING", "STARTING", "RUNNING"]);

/** The `desiredStatus` input value a pod's current state corresponds to. */
export function desiredStatusOf(wire: Wire, pod: PodObject): "RUNNING" | "EXITED" | undefined {
  const status = statusOf(wire, pod);
  if (status === undefined || status === "TERMINATED") return undefined;
  return UP.has(status) ? "RUNNING" : "EXITED";
}

export function isUp(wire: Wire, pod: PodObject): boolean {
  const status = statusOf(wire, pod);
  return status !== undefined && UP.has(status);
}

export function isTerminated(wire: Wire, pod: PodObject): boolean {
  return statusOf(wire, pod) === "TERMINATED";
}

/**
 * v2 reports `status` directly. v1 only reports the *desired* status (RUNNING as soon as a start
 * is accepted), so a v1 pod that should run counts as RUNNING once Runpod has given it an address
 * (public IP or port mappings) and as STARTING before that.
 */
export function statusOf(wire: Wire, pod: PodObject): PodStatus | undefined {
  return byWire(wire, pod, v2Status, v1Status);
}

function v2Status(pod: V2Pod): PodStatus | undefined {
  return typeof pod.status === "string" ? pod.status : undefined;
}

function v1Status(pod: V1Pod): PodStatus | undefined {
  switch (pod.desiredStatus) {
    case "RUNNING":
      return v1HasAddress(pod) ? "RUNNING" : "STARTING";
    case "EXITED":
      return "EXITED";
    case "TERMINATED":
      return "TERMINATED";
    default:
      return undefined;
  }
}

function v1HasAddress(pod: V1Pod): boolean {
  const mappings = pod.portMappings;
  return (typeof pod.publicIp === "string" && pod.publicIp !== "") || (!!mappings && typeof mappings === "object" && Object.keys(mappings).length > 0);
}

/** `{"22": 10341}`: private port → public port, for the ports Runpod has published. */
export function portMappingsOf(wire: Wire, pod: PodObject): Record<string, number> {
  return byWire(wire, pod, v2PortMappings, v1PortMappings);
}

function v1PortMappings(pod: V1Pod): Record<string, number> {
  const out: Record<string, number> = {};
  const mappings = pod.portMappings;
  if (mappings && typeof mappings === "object") {
    for (const [k, v] of Object.entries(mappings)) if (v !== null && v !== undefined && Number.isFinite(Number(v))) out[k] = Number(v);
  }
  return out;
}

function v2PortMappings(pod: V2Pod): Record<string, number> {
  const out: Record<string, number> = {};
  for (const p of runtimePorts(pod)) {
    if (p.private !== undefined && p.public !== null && p.public !== undefined) out[String(p.private)] = Number(p.public);
  }
  return out;
}

/** The pod's public IP, once Runpod has assigned one. */
export function publicIpOf(wire: Wire, pod: PodObject): string | undefined {
  return byWire(
    wire,
    pod,
    (o) => runtimePorts(o).find((p) => typeof p.ip === "string" && p.ip !== "" && p.public !== null && p.public !== undefined)?.ip ?? undefined,
    (o) => (typeof o.publicIp === "string" && o.publicIp !== "" ? o.publicIp : undefined),
  );
}

type RuntimePort = NonNullable<NonNullable<V2Pod["runtime"]>["ports"]>[number];

function runtimePorts(pod: V2Pod): RuntimePort[] {
  const ports = pod.runtime?.ports;
  return Array.isArray(ports) ? ports.filter((p): p is RuntimePort => p !== null && typeof p === "object") : [];
}

/** TCP ports the inputs expose: they need a public mapping before the pod counts as ready. */
export function tcpPorts(ports: readonly string[] | undefined): string[] {
  if (!ports) return [];
  return ports.filter((p) => typeof p === "string" && p.endsWith("/tcp")).map((p) => p.split("/")[0]);
}

export type Readiness = { state: "ready" } | { state: "waiting"; waitingFor: string } | { state: "failed"; reason: string };

/**
 * Whether a pod that should run is usable: running, with its public IP and every requested TCP
 * port mapped. Only called after Runpod accepted a create or start, so a stopped pod is a failed start.
 */
export function readiness(wire: Wire, pod: PodObject, inputs: PodInputs): Readiness {
  const status = statusOf(wire, pod);
  if (status === "TERMINATED") return { state: "failed", reason: "it was terminated" };
  if (status === "ERROR") return { state: "failed", reason: "Runpod reports status ERROR (the container failed to start)" };
  if (status === "EXITED") {
    return { state: "failed", reason: "it stopped (EXITED) while starting — an interruptible pod may have been preempted, or the container exited" };
  }
  if (status !== "RUNNING") return { state: "waiting", waitingFor: `status RUNNING (now ${status ?? "unknown"})` };
  const gpuCount = pod.gpu?.count;
  if ((inputs.computeType ?? "GPU") === "GPU" && pod.gpu && typeof gpuCount === "number" && gpuCount === 0) {
    return {
      state: "failed",
      reason:
        "it started with zero GPUs: the GPUs of the machine it is tied to were rented while it was stopped. " +
        "The next `pulumi up` proposes replacing it (gpuCount differs); use a network volume to keep data independent of the machine",
    };
  }
  const tcp = tcpPorts(inputs.ports);
  // Only port mappings need v2's runtime details; the spec lets a running pod's `runtime` be null.
  const noRuntime = byWire(
    wire,
    pod,
    (o) => !o.runtime,
    () => false,
  );
  if (tcp.length > 0 && noRuntime) return { state: "waiting", waitingFor: "runtime details" };
  const mappings = portMappingsOf(wire, pod);
  const missing = tcp.filter((p) => mappings[p] === undefined);
  if (missing.length > 0) return { state: "waiting", waitingFor: `public mappings for ${missing.map((p) => `${p}/tcp`).join(", ")}` };
  if (tcp.length > 0 && !publicIpOf(wire, pod)) return { state: "waiting", waitingFor: "a public IP" };
  return { state: "ready" };
}
