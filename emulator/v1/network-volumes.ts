// REST v1 /v1/networkvolumes.
import { StoredNetworkVolume } from "../state";
import { RouteTable } from "../wire";

export function renderVolumeV1(v: StoredNetworkVolume) {
  return { id: v.id, name: v.name, size: v.size, dataCenterId: v.dataCenterId };
}

export const networkVolumeRoutesV1: RouteTable = {
  "GET /networkvolumes": {
    operationId: "ListNetworkVolumes",
    handle: ({ store }) => {
      return { status: 200, body: store.listed(store.volumes.values()).map(renderVolumeV1) };
    },
  },
  "POST /networkvolumes": {
    operationId: "CreateNetworkVolume",
    handle: ({ store, b }) => {
      return { status: 200, body: renderVolumeV1(store.createVolume({ name: b.name, size: b.size, dataCenterId: b.dataCenterId })) };
    },
  },
  "GET /networkvolumes/{networkVolumeId}": {
    operationId: "GetNetworkVolume",
    handle: ({ store, param }) => {
      return { status: 200, body: renderVolumeV1(store.getVolume(param("networkVolumeId"))) };
    },
  },
  "POST /networkvolumes/{networkVolumeId}/update": {
    operationId: "UpdateNetworkVolume",
    handle: ({ store, b, param }) => {
      return { status: 200, body: renderVolumeV1(store.updateVolume(param("networkVolumeId"), { name: b.name, size: b.size })) };
    },
  },
  "DELETE /networkvolumes/{networkVolumeId}": {
    operationId: "DeleteNetworkVolume",
    handle: ({ store, param }) => {
      store.deleteVolume(param("networkVolumeId"));
      return { status: 204 };
    },
  },
};
