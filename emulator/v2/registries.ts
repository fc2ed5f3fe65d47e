// REST v2 /v2/registries (container registry auths; the password is write-only).
import { StoredRegistry } from "../state";
import { RouteTable } from "../wire";

export function renderRegistryV2(r: StoredRegistry) {
  return { id: r.id, name: r.name };
}

export const registryRoutes: RouteTable = {
  "GET /v2/registries": {
    operationId: "listRegistries",
    handle: ({ store }) => {
      return { status: 200, body: { registries: store.listed(store.registries.values()).map(renderRegistryV2) } };
    },
  },
  "POST /v2/registries": {
    operationId: "createRegistry",
    handle: ({ store, b }) => {
      return { status: 201, body: renderRegistryV2(store.createRegistry({ name: b.name, username: b.username, password: b.password })) };
    },
  },
  "GET /v2/registries/{id}": {
    operationId: "getRegistry",
    handle: ({ store, id }) => {
      return { status: 200, body: renderRegistryV2(store.getRegistry(id)) };
    },
  },
  "DELETE /v2/registries/{id}": {
    operationId: "deleteRegistry",
    handle: ({ store, id }) => {
      store.deleteRegistry(id);
      return { status: 204 };
    },
  },
};
