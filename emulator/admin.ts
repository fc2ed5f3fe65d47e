// The admin API (/__emulator/*): unauthenticated, never faulted, not logged. It drives the same
// controls as the in-process `Emulator` object, for an emulator running in another process.
import { z } from "zod";
import type { Emulator } from "./index";
import { Faults } from "./faults";
import { catalogAdminRoutes, catalogDataCenterRoute } from "./catalog-admin";
import type { RequestLogEntry } from "./server";
import { PodStatus, ResourceKind, Store } from "./state";
import { WireResult } from "./wire";
import { FORCED_WORKER_STATUSES, ForcedWorkerStatus } from "./store/endpoint-workers";

export const POD_STATUSES: PodStatus[] = ["PROVISIONING", "STARTING", "RUNNING", "EXITED", "ERROR", "TERMINATED"];
export const RESOURCE_KINDS: ResourceKind[] = ["networkVolumes", "templates", "registries", "pods", "endpoints", "secrets"];

export interface AdminContext {
  emulator: Emulator;
  store: Store;
  faults: Faults;
  log(): RequestLogEntry[];
  clearLog(): void;
}

function redactedState(store: Store): Record<string, unknown[]> {
  const out: Record<string, unknown[]> = {};
  for (const kind of RESOURCE_KINDS) {
    out[kind] = store.list(kind).map((o) => {
      const copy = { ...(o as Record<string, unknown>) };
      if (kind === "registries") copy.password = "[redacted]";
      if (kind === "secrets") copy.value = "[redacted]";
      return copy;
    });
  }
  return out;
}

const adminErr = (status: number, message: string): WireResult => ({ status, body: { message } });
const holdSchema = z.object({ ms: z.number().int().min(0).optional() }).strict();
const stockSchema = z
  .object({ gpuTypeId: z.string().min(1), dataCenterId: z.string().min(1).optional(), units: z.number().int().min(0).nullable().optional() })
  .strict();
const cpuStockSchema = z
  .object({ cpuFlavorId: z.string().min(1), dataCenterId: z.string().min(1).optional(), units: z.number().int().min(0).nullable().optional() })
  .strict();
const statusSchema = z.object({ status: z.enum(POD_STATUSES as [PodStatus, ...PodStatus[]]) }).strict();
const workersSchema = z.object({ status: z.enum(FORCED_WORKER_STATUSES as [ForcedWorkerStatus, ...ForcedWorkerStatus[]]).nullable() }).strict();
const clusterSchema = z.object({ id: z.string().min(1), rank: z.number().int().min(0).nullable().optional(), ip: z.string().min(1).optional() }).strict();
const quota = z.number().int().min(1);
const settingsSchema = z
  .object({
    podReadyAfterPolls: z.number().int().min(0).optional(),
    endpointWorkerReadyAfterPolls: z.number().int().min(0).optional(),
    templateReleaseDelayMs: z.number().int().min(0).optional(),
    requireScaleToZeroBeforeDelete: z.boolean().optional(),
    rateLimit: z.object({ second: quota.optional(), minute: quota, hour: quota, day: quota }).strict().nullable().optional(),
    readOnlyKeys: z.array(z.string().min(1)).optional(),
    listingLag: z
      .object({ lists: z.number().int().min(0).optional(), ms: z.number().int().min(0).optional() })
      .strict()
      .nullable()
      .optional(),
    sparse: z.boolean().optional(),
  })
  .strict();

/** Route table of the admin API: "METHOD /path" (after /__emulator) → handler. */
type AdminHandler = (body: unknown, params: string[]) => WireResult;

export function adminRouter(ctx: AdminContext): (method: string, path: string, body: unknown) => WireResult {
  const { emulator, store, faults } = ctx;
  const ok = (): WireResult => ({ status: 204 });
  const exact: Record<string, AdminHandler> = {
    "GET /": () => health(),
    "GET /health": () => health(),
    "GET /log": () => ({ status: 200, body: { requests: ctx.log() } }),
    "DELETE /log": () => (ctx.clearLog(), ok()),
    "POST /log/clear": () => (ctx.clearLog(), ok()),
    "POST /reset": () => (emulator.reset(), ok()),
    "GET /faults": () => ({ status: 200, body: faults.get() }),
    "POST /faults": (b) => (faults.set(b ?? {}), { status: 200, body: faults.get() }),
    "PUT /faults": (b) => (faults.set(b ?? {}), { status: 200, body: faults.get() }),
    "PATCH /faults": (b) => (faults.update(b ?? {}), { status: 200, body: faults.get() }),
    "DELETE /faults": () => (faults.clear(), ok()),
    "GET /state": () => ({ status: 200, body: redactedState(store) }),
    "GET /settings": () => ({ status: 200, body: emulator.settings }),
    "POST /settings": (b) => (emulator.configure(settingsSchema.parse(b ?? {})), { status: 200, body: emulator.settings }),
    "PATCH /settings": (b) => (emulator.configure(settingsSchema.parse(b ?? {})), { status: 200, body: emulator.settings }),
    "POST /gpu-stock": (b) => {
      const s = stockSchema.parse(b ?? {});
      store.setGpuStock(s.gpuTypeId, s.units ?? undefined, s.dataCenterId);
      return ok();
    },
    "POST /cpu-stock": (b) => {
      const s = cpuStockSchema.parse(b ?? {});
      store.setCpuStock(s.cpuFlavorId, s.units ?? undefined, s.dataCenterId);
      return ok();
    },
    ...catalogAdminRoutes,
  };
  // "/pods/{id}/<verb>" and "/templates/{id}/<verb>"
  const byId: Record<string, AdminHandler> = {
    "POST /pods/fail-start": (_b, [id]) => (store.failPodStart(id), ok()),
    "POST /pods/status": (b, [id]) => (emulator.setPodStatus(id, statusSchema.parse(b ?? {}).status), ok()),
    "POST /pods/preempt": (_b, [id]) => (store.preempt(id), ok()),
    "POST /pods/cluster": (b, [id]) => {
      const c = clusterSchema.parse(b ?? {});
      store.setPodCluster(id, { id: c.id, rank: c.rank ?? null, ip: c.ip });
      return ok();
    },
    "DELETE /pods/cluster": (_b, [id]) => (store.setPodCluster(id, null), ok()),
    "POST /endpoints/workers": (b, [id]) => (store.forceEndpointWorkers(id, workersSchema.parse(b ?? {}).status), ok()),
    "POST /templates/hold": (b, [id]) => (store.holdTemplate(id, holdSchema.parse(b ?? {}).ms), ok()),
    "POST /templates/release": (_b, [id]) => (store.releaseTemplate(id), ok()),
  };

  function health(): WireResult {
    const url = emulator.url;
    return { status: 200, body: { ok: true, url, seed: emulator.seed, wires: { v2: `${url}/v2`, v1: `${url}/v1`, graphql: `${url}/graphql` } } };
  }

  return (method, path, body) => {
    const parts = path.replace(/\/+$/, "").split("/").slice(2).map(decodeURIComponent); // after "/__emulator"
    const route = `${method} /${parts.join("/")}`;
    try {
      const handler = exact[route];
      if (handler) return handler(body, []);
      const catalog = catalogDataCenterRoute(method, parts, body);
      if (catalog) return catalog;
      if (parts.length === 3) {
        const [kind, id, verb] = parts;
        const h = byId[`${method} /${kind}/${verb}`];
        if (h) {
          if (kind === "pods" && verb !== "fail-start" && !store.pods.has(id)) return adminErr(404, `no pod ${id}`);
          if (kind === "endpoints" && id !== "next" && !store.endpoints.has(id)) return adminErr(404, `no endpoint ${id}`);
          return h(body, [id]);
        }
      }
      return adminErr(404, `unknown admin route ${route}`);
    } catch (err) {
      if (err instanceof z.ZodError) {
        return adminErr(400, err.issues.map((i) => `${i.path.join(".") || "body"}: ${i.message}`).join("; "));
      }
      return adminErr(400, (err as Error).message);
    }
  };
}
