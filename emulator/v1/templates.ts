// REST v1 /v1/templates.
import { StoredTemplate, joinArgs } from "../state";
import { RouteTable, has } from "../wire";
import { V1_CONTAINER_DEFAULTS, containerPatchV1, containerUpdateV1, q } from "./common";

export function renderTemplateV1(t: StoredTemplate) {
  const out: Record<string, unknown> = {
    id: t.id,
    name: t.name,
    imageName: t.image,
    category: t.category,
    isServerless: t.serverless,
    isPublic: t.public,
    isRunpod: t.catalog,
    containerDiskInGb: t.disk,
    volumeInGb: t.volumeInGb,
    volumeMountPath: t.volumeMountPath,
    dockerEntrypoint: t.dockerEntrypoint,
    dockerStartCmd: t.dockerStartCmd,
    env: t.env,
    ports: t.ports,
    readme: t.readme,
    earned: 0,
    runtimeInMin: 0,
  };
  if (t.registryId) out.containerRegistryAuthId = t.registryId;
  return out;
}

export const templateRoutesV1: RouteTable = {
  "GET /templates": {
    operationId: "ListTemplates",
    handle: ({ store, query }) => {
      const list = store.listed(
        store.listTemplates({
          includeBound: q(query, "includeEndpointBoundTemplates") === true,
          includeCatalog: q(query, "includeRunpodTemplates") === true || q(query, "includePublicTemplates") === true,
        }),
      );
      return { status: 200, body: list.map(renderTemplateV1) };
    },
  },
  "POST /templates": {
    operationId: "CreateTemplate",
    handle: ({ store, b }) => {
      const c = { ...V1_CONTAINER_DEFAULTS, ...containerPatchV1(b) };
      c.args = joinArgs(c.dockerEntrypoint, c.dockerStartCmd);
      const t = store.createTemplate({
        ...c,
        name: b.name,
        category: b.category ?? "NVIDIA",
        serverless: b.isServerless ?? false,
        public: b.isPublic ?? false,
        readme: b.readme ?? "",
        volumeInGb: b.volumeInGb ?? 20,
        volumeMountPath: b.volumeMountPath ?? "/workspace",
        startSsh: true,
        startJupyter: true,
        allowedCudaVersions: [],
      });
      return { status: 200, body: renderTemplateV1(t) };
    },
  },
  "GET /templates/{templateId}": {
    operationId: "GetTemplate",
    handle: ({ store, param }) => {
      return { status: 200, body: renderTemplateV1(store.getTemplate(param("templateId"))) };
    },
  },
  "POST /templates/{templateId}/update": {
    operationId: "UpdateTemplate",
    handle: ({ store, b, param }) => {
      const id = param("templateId");
      const current = store.getTemplate(id);
      const patch: Record<string, unknown> = { ...containerUpdateV1(b, current) };
      // category / isServerless are not part of TemplateUpdateInput: not updatable over v1.
      if (has(b, "name")) patch.name = b.name;
      if (has(b, "isPublic")) patch.public = b.isPublic;
      if (has(b, "readme")) patch.readme = b.readme;
      if (has(b, "volumeInGb")) patch.volumeInGb = b.volumeInGb;
      if (has(b, "volumeMountPath")) patch.volumeMountPath = b.volumeMountPath;
      const updated = store.updateTemplate(id, patch);
      store.rollTemplateToEndpoints(id);
      return { status: 200, body: renderTemplateV1(updated) };
    },
  },
  "DELETE /templates/{templateId}": {
    operationId: "DeleteTemplate",
    handle: ({ store, param }) => {
      store.deleteTemplate(param("templateId"));
      return { status: 204 };
    },
  },
};
