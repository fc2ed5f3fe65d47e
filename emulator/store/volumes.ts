// Network volumes: create/update/delete rules (a volume in use by a pod or endpoint cannot be deleted).
import { StoreCore } from "./core";
import { findDataCenter } from "../catalog";
import { DomainError, StoredNetworkVolume, VolumeCreate } from "./types";

export class VolumeStore extends StoreCore {
  getVolume(id: string): StoredNetworkVolume {
    const v = this.volumes.get(id);
    if (!v) throw new DomainError("notFound", `network volume ${id} not found`);
    return v;
  }

  createVolume(input: VolumeCreate): StoredNetworkVolume {
    const dc = findDataCenter(input.dataCenterId);
    if (!dc) throw new DomainError("invalid", `unknown data center ${input.dataCenterId}`, "dataCenter");
    const type = input.type ?? "STANDARD";
    if (!dc.networkVolumeTypes.includes(type)) {
      throw new DomainError("invalid", `data center ${dc.id} does not offer ${type} network volumes`, "type");
    }
    const vol: StoredNetworkVolume = {
      id: this.newId(10, this.volumes),
      name: input.name,
      size: input.size,
      dataCenterId: dc.id,
      type,
      createdAt: this.nowIso(),
    };
    this.volumes.set(vol.id, vol);
    this.markCreated(vol.id);
    return vol;
  }

  updateVolume(id: string, patch: { name?: string; size?: number }): StoredNetworkVolume {
    const vol = this.getVolume(id);
    if (patch.size !== undefined && patch.size < vol.size) {
      throw new DomainError(
        "invalid",
        `size must be greater than or equal to the current size (${vol.size} GB); network volume storage cannot be reduced`,
        "size",
      );
    }
    if (patch.name !== undefined) vol.name = patch.name;
    if (patch.size !== undefined) vol.size = patch.size;
    return vol;
  }

  deleteVolume(id: string): void {
    const vol = this.getVolume(id);
    const pod = [...this.pods.values()].find((p) => p.networkVolumeId === id && p.status !== "TERMINATED");
    if (pod) throw new DomainError("inUse", `network volume ${id} is in use by pod ${pod.id} and cannot be deleted`);
    const ep = [...this.endpoints.values()].find((e) => e.networkVolumeIds.includes(id));
    if (ep) throw new DomainError("inUse", `network volume ${id} is in use by endpoint ${ep.id} and cannot be deleted`);
    this.volumes.delete(vol.id);
  }
}
