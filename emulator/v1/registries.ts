// REST v1 /v1/containerregistryauth.
import { StoredRegistry } from "../state";
import { RouteTable } from "../wire";

export function renderRegistryV1(r: StoredRegistry) {
  return { id: r.id, name: r.name };
}

export const registryRoutesV1: RouteTable = {
  "GET /containerregistryauth": {
    operationId: "ListContainerRegistryAuths",
    handle: ({ store }) => {
      return { status: 200, body: store.listed(store.registries.values()).map(renderRegistryV1) };
    },
  },
  "POST /containerregistryauth": {
    operationId: "CreateContainerRegistryAuth",
    handle: ({ store, b }) => {
      return { status: 200, body: renderRegistryV1(store.createRegistry({ name: b.name, username: b.username, password: b.password })) };
    },
  },
  "GET /containerregistryauth/{containerRegistryAuthId}": {
    operationId: "GetContainerRegistryAuth",
    handle: ({ store, param }) => {
      return { status: 200, body: renderRegistryV1(store.getRegistry(param("containerRegistryAuthId"))) };
    },
  },
  "DELETE /containerregistryauth/{containerRegistryAuthId}": {
    operationId: "DeleteContainerRegistryAuth",
    handle: ({ store, param }) => {
      store.deleteRegistry(param("containerRegistryAuthId"));
      return { status: 204 };
    },
  },
};
