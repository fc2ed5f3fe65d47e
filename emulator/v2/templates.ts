// REST v2 /v2/templates and the public catalog templates.
import { StoredTemplate } from "../state";
import { RouteTable, asRecord, has } from "../wire";
import { V2_CONTAINER_DEFAULTS, containerPatchV2, containerV2 } from "./common";

export function renderTemplateV2(t: StoredTemplate) {
  return {
    id: t.id,
    name: t.name,
    ...containerV2(t),
    registry: t.catalog ? null : t.registryId,
    mounts: t.volumeInGb >= 10 ? { persistent: { size: t.volumeInGb, path: t.volumeMountPath } } : {},
    serverless: t.serverless,
    public: t.public,
    category: t.category,
    startSsh: t.startSsh,
    startJupyter: t.startJupyter,
    allowedCudaVersions: t.allowedCudaVersions,
  };
}

export const templateRoutes: RouteTable = {
  "GET /v2/templates": {
    operationId: "listTemplates",
    handle: ({ store }) => {
      return { status: 200, body: { templates: store.listed(store.listTemplates({ includeBound: false })).map(renderTemplateV2) } };
    },
  },
  "GET /v2/catalog/templates": {
    operationId: "listPublicTemplates",
    handle: ({ store, query }) => {
      const source = typeof query.source === "string" ? query.source : "official";
      return { status: 200, body: { templates: source === "official" ? store.listCatalogTemplates().map(renderTemplateV2) : [] } };
    },
  },
  "POST /v2/templates": {
    operationId: "createTemplate",
    handle: ({ store, b }) => {
      const c = { ...V2_CONTAINER_DEFAULTS, ...containerPatchV2(b) };
      const persistent = asRecord(asRecord(b.mounts).persistent);
      const t = store.createTemplate({
        ...c,
        name: b.name,
        category: b.category ?? "NVIDIA",
        serverless: b.serverless ?? false,
        public: b.public ?? false,
        readme: "",
        volumeInGb: has(persistent, "size") ? persistent.size : 0,
        volumeMountPath: has(persistent, "path") ? persistent.path : "/workspace",
        startSsh: b.startSsh ?? true,
        startJupyter: b.startJupyter ?? true,
        allowedCudaVersions: b.allowedCudaVersions ?? [],
      });
      return { status: 201, body: renderTemplateV2(t) };
    },
  },
  "GET /v2/templates/{id}": {
    operationId: "getTemplate",
    handle: ({ store, id }) => {
      return { status: 200, body: renderTemplateV2(store.getTemplate(id)) };
    },
  },
  "PATCH /v2/templates/{id}": {
    operationId: "updateTemplate",
    handle: ({ store, b, id }) => {
      const patch: Record<string, unknown> = { ...containerPatchV2(b) };
      for (const k of ["name", "category", "serverless", "public", "startSsh", "startJupyter", "allowedCudaVersions"]) {
        if (has(b, k)) patch[k] = b[k];
      }
      const persistent = asRecord(asRecord(b.mounts).persistent);
      if (has(persistent, "size")) {
        patch.volumeInGb = persistent.size;
        patch.volumeMountPath = persistent.path;
      }
      return { status: 200, body: renderTemplateV2(store.updateTemplate(id, patch)) };
    },
  },
  "DELETE /v2/templates/{id}": {
    operationId: "deleteTemplate",
    handle: ({ store, id }) => {
      store.deleteTemplate(id);
      return { status: 204 };
    },
  },
};
