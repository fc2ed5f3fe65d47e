// Pod status machine (polling hook, start/exit, capacity) and the test control hooks.
import { RegistryStore } from "./registries";
import { findCpuFlavor, findGpuType } from "../catalog";
import { DomainError, PodCluster, PodStatus, StoredPod } from "./types";

/** A stock map's key for a GPU type or CPU flavour in one data centre (ids never hold a newline). */
const stockKey = (id: string, dataCenterId?: string): string => (dataCenterId === undefined ? id : `${id}\n${dataCenterId}`);

/** Free units of `id` (absent = plentiful); in a data centre, the lower of its own stock and the type's. */
function freeIn(stock: Map<string, number>, id: string, dataCenterId?: string): number {
  const all = stock.get(id) ?? Number.POSITIVE_INFINITY;
  if (dataCenterId === undefined) return all;
  return Math.min(all, stock.get(stockKey(id, dataCenterId)) ?? Number.POSITIVE_INFINITY);
}

function setIn(stock: Map<string, number>, id: string, units: number | undefined, dataCenterId?: string): void {
  const key = stockKey(id, dataCenterId);
  if (units === undefined || !Number.isFinite(units)) stock.delete(key);
  else stock.set(key, Math.max(0, Math.floor(units)));
}

/** Moves `delta` units of `id` (negative: taken) on the type's own stock and its data centre's, where either is counted. */
function moveIn(stock: Map<string, number>, id: string, delta: number, dataCenterId: string | null): void {
  for (const key of [id, ...(dataCenterId ? [stockKey(id, dataCenterId)] : [])]) {
    const free = stock.get(key);
    if (free !== undefined) stock.set(key, free + delta);
  }
}

export class PodLifecycleStore extends RegistryStore {
  /**
   * Free GPUs of a type: across every data centre, or (with `dataCenterId`) in one data centre.
   * A data centre's own stock is kept under a composite key in the same map, so reset() clears it.
   */
  setGpuStock(gpuTypeId: string, units: number | undefined, dataCenterId?: string): void {
    setIn(this.gpuStock, gpuTypeId, units, dataCenterId);
  }

  /** Free GPUs of a type (in a data centre: the lower of its own stock and the type's). */
  freeGpus(gpuTypeId: string, dataCenterId?: string): number {
    return freeIn(this.gpuStock, gpuTypeId, dataCenterId);
  }

  /** Free vCPUs of a CPU flavour, everywhere or (with `dataCenterId`) in one data centre; as GPU stock. */
  setCpuStock(cpuFlavorId: string, vcpus: number | undefined, dataCenterId?: string): void {
    setIn(this.cpuStock, cpuFlavorId, vcpus, dataCenterId);
  }

  /** Free vCPUs of a CPU flavour (in a data centre: the lower of its own stock and the flavour's). */
  freeCpus(cpuFlavorId: string, dataCenterId?: string): number {
    return freeIn(this.cpuStock, cpuFlavorId, dataCenterId);
  }

  /** What a pod holds while it has compute: GPUs of its type, or vCPUs of its flavour. */
  private holding(pod: StoredPod): { stock: Map<string, number>; id: string; units: number } | null {
    if (pod.computeType === "GPU") return pod.gpuTypeId ? { stock: this.gpuStock, id: pod.gpuTypeId, units: pod.gpuCount } : null;
    return pod.cpuFlavorId ? { stock: this.cpuStock, id: pod.cpuFlavorId, units: pod.vcpuCount } : null;
  }

  /** Takes the pod's compute from stock without checking it (a test forcing a status may overdraw). */
  protected takeCapacity(pod: StoredPod): void {
    if (pod.holdsCapacity) return;
    pod.holdsCapacity = true;
    const h = this.holding(pod);
    if (h) moveIn(h.stock, h.id, -h.units, pod.dataCenterId);
  }

  protected releaseCapacity(pod: StoredPod): void {
    if (!pod.holdsCapacity) return;
    pod.holdsCapacity = false;
    const h = this.holding(pod);
    if (h) moveIn(h.stock, h.id, h.units, pod.dataCenterId);
  }

  protected acquireCapacity(pod: StoredPod, messageForStart: boolean): void {
    if (pod.holdsCapacity) return;
    const h = this.holding(pod);
    if (h && freeIn(h.stock, h.id, pod.dataCenterId) < h.units) {
      const gpu = pod.computeType === "GPU";
      const what = gpu ? `${h.units} x ${h.id}` : `${h.units} vCPUs of ${h.id}`;
      const start = gpu
        ? "There are not enough free GPUs on the host machine to start this pod"
        : "There are no instances currently available to start this pod";
      throw new DomainError("capacity", messageForStart ? `${start} (${what} requested).` : `no capacity for ${what}`);
    }
    this.takeCapacity(pod);
  }

  // ------------------------------------------------------------------ pods

  getPod(id: string, opts: { poll?: boolean } = {}): StoredPod {
    const pod = this.pods.get(id);
    if (!pod) throw new DomainError("notFound", `pod ${id} not found`);
    if (opts.poll) this.advancePod(pod);
    return pod;
  }

  /** The polling hook: each GET of a transitioning pod moves it one step toward RUNNING. */
  protected advancePod(pod: StoredPod): void {
    if (pod.status !== "PROVISIONING" && pod.status !== "STARTING") return;
    pod.pollsRemaining -= 1;
    if (pod.pollsRemaining <= 0) this.becomeReady(pod);
    else pod.status = "STARTING";
  }

  protected beginStart(pod: StoredPod, initial: "PROVISIONING" | "STARTING"): void {
    pod.status = initial;
    pod.publicIp = null;
    pod.portMappings = null;
    pod.pollsRemaining = this.opts.podReadyAfterPolls;
    pod.lastStatusChange = `Rented by User: ${new Date(this.opts.now()).toUTCString()}`;
    if (this.failNextStarts > 0) {
      this.failNextStarts -= 1;
      pod.failOnReady = true;
    }
    if (pod.pollsRemaining <= 0) this.becomeReady(pod);
  }

  protected becomeReady(pod: StoredPod): void {
    pod.pollsRemaining = 0;
    if (pod.failOnReady) {
      pod.failOnReady = false;
      pod.status = "ERROR";
      pod.publicIp = null;
      pod.portMappings = null;
      this.releaseCapacity(pod);
      pod.lastStatusChange = `Exited with error: container failed to start (${new Date(this.opts.now()).toUTCString()})`;
      return;
    }
    pod.status = "RUNNING";
    pod.startedAt = this.nowIso();
    pod.publicIp = `${this.rng.int(38, 213)}.${this.rng.int(0, 255)}.${this.rng.int(0, 255)}.${this.rng.int(1, 254)}`;
    const mappings: Record<string, number> = {};
    for (const p of pod.ports) {
      const [port, proto] = p.split("/");
      if ((proto ?? "http").toLowerCase() === "tcp" && /^\d+$/.test(port)) mappings[port] = this.rng.int(10000, 49999);
    }
    pod.portMappings = mappings;
    if (pod.globalNetworking && !pod.globalIp) pod.globalIp = `10.${this.rng.int(0, 255)}.${this.rng.int(0, 255)}.${this.rng.int(1, 254)}`;
    pod.lastStatusChange = `Rented by User: ${new Date(this.opts.now()).toUTCString()}`;
  }

  protected goExited(pod: StoredPod, why: string): void {
    pod.status = "EXITED";
    pod.pollsRemaining = 0;
    pod.publicIp = null;
    pod.portMappings = null;
    this.releaseCapacity(pod);
    pod.lastStatusChange = `${why}: ${new Date(this.opts.now()).toUTCString()}`;
  }

  podCost(pod: StoredPod): number {
    if (pod.status === "EXITED" || pod.status === "ERROR" || pod.status === "TERMINATED") return 0;
    if (pod.computeType === "GPU" && pod.gpuTypeId) {
      const g = findGpuType(pod.gpuTypeId);
      if (!g) return 0;
      const unit =
        pod.cloud === "COMMUNITY" ? (pod.interruptible ? g.communitySpotPrice : g.communityPrice) : pod.interruptible ? g.secureSpotPrice : g.securePrice;
      return Math.round(unit * pod.gpuCount * 1000) / 1000;
    }
    const c = pod.cpuFlavorId ? findCpuFlavor(pod.cpuFlavorId) : undefined;
    return c ? Math.round(c.securePerVcpu * pod.vcpuCount * 1000) / 1000 : 0;
  }

  podActions(pod: StoredPod): Array<"start" | "stop" | "restart" | "terminate"> {
    let actions: Array<"start" | "stop" | "restart" | "terminate">;
    switch (pod.status) {
      case "RUNNING":
        actions = ["stop", "restart", "terminate"];
        break;
      case "PROVISIONING":
      case "STARTING":
        actions = ["stop", "terminate"];
        break;
      case "EXITED":
      case "ERROR":
        actions = ["start", "terminate"];
        break;
      default:
        actions = [];
    }
    return pod.locked ? actions.filter((a) => a === "start") : actions;
  }

  // Control hooks (tests / admin routes).
  setPodStatus(id: string, status: PodStatus): StoredPod {
    const pod = this.pods.get(id);
    if (!pod) throw new Error(`runpod emulator: no pod ${id}`);
    switch (status) {
      case "RUNNING":
        this.takeCapacity(pod);
        pod.failOnReady = false;
        this.becomeReady(pod);
        break;
      case "PROVISIONING":
      case "STARTING":
        this.takeCapacity(pod);
        pod.status = status;
        pod.publicIp = null;
        pod.portMappings = null;
        pod.pollsRemaining = Math.max(1, this.opts.podReadyAfterPolls);
        break;
      case "EXITED":
        this.goExited(pod, "Exited");
        break;
      case "ERROR":
        this.goExited(pod, "Exited with error");
        pod.status = "ERROR";
        break;
      case "TERMINATED":
        this.releaseCapacity(pod);
        pod.status = "TERMINATED";
        pod.publicIp = null;
        pod.portMappings = null;
        pod.lastStatusChange = `Terminated: ${new Date(this.opts.now()).toUTCString()}`;
        break;
    }
    return pod;
  }

  /** Make a pod a cluster member (or standalone again with null). */
  setPodCluster(id: string, cluster: PodCluster | null): StoredPod {
    const pod = this.pods.get(id);
    if (!pod) throw new Error(`runpod emulator: no pod ${id}`);
    pod.cluster = cluster ? { id: cluster.id, rank: cluster.rank ?? null, ...(cluster.ip ? { ip: cluster.ip } : {}) } : null;
    return pod;
  }

  preempt(id: string): StoredPod {
    const pod = this.pods.get(id);
    if (!pod) throw new Error(`runpod emulator: no pod ${id}`);
    if (!pod.interruptible) throw new Error(`runpod emulator: pod ${id} is not interruptible (only spot pods can be preempted)`);
    this.goExited(pod, "Preempted by Runpod (spot instance reclaimed)");
    return pod;
  }

  failPodStart(target: string): void {
    if (target === "next") {
      this.failNextStarts += 1;
      return;
    }
    const pod = this.pods.get(target);
    if (!pod) throw new Error(`runpod emulator: no pod ${target}`);
    pod.failOnReady = true;
    if (pod.status === "PROVISIONING" || pod.status === "STARTING") {
      if (pod.pollsRemaining <= 0) this.becomeReady(pod);
    }
  }
}
