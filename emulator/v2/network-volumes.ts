// REST v2 /v2/network-volumes.
import { StoredNetworkVolume } from "../state";
import { RouteTable } from "../wire";

export function renderVolumeV2(v: StoredNetworkVolume) {
  return { id: v.id, name: v.name, size: v.size, dataCenter: v.dataCenterId, type: v.type };
}

export const networkVolumeRoutes: RouteTable = {
  "GET /v2/network-volumes": {
    operationId: "listNetworkVolumes",
    handle: ({ store }) => {
      return { status: 200, body: { networkVolumes: store.listed(store.volumes.values()).map(renderVolumeV2) } };
    },
  },
  "POST /v2/network-volumes": {
    operationId: "createNetworkVolume",
    handle: ({ store, b }) => {
      return { status: 201, body: renderVolumeV2(store.createVolume({ name: b.name, size: b.size, dataCenterId: b.dataCenter, type: b.type })) };
    },
  },
  "GET /v2/network-volumes/{id}": {
    operationId: "getNetworkVolume",
    handle: ({ store, id }) => {
      return { status: 200, body: renderVolumeV2(store.getVolume(id)) };
    },
  },
  "PATCH /v2/network-volumes/{id}": {
    operationId: "updateNetworkVolume",
    handle: ({ store, b, id }) => {
      return { status: 200, body: renderVolumeV2(store.updateVolume(id, { name: b.name, size: b.size })) };
    },
  },
  "DELETE /v2/network-volumes/{id}": {
    operationId: "deleteNetworkVolume",
    handle: ({ store, id }) => {
      store.deleteVolume(id);
      return { status: 204 };
    },
  },
};
