import { RunpodHttp } from "../client/http";
import { ProviderSettings } from "../client/settings";
import { KINDS } from "../resources/registry";
import { RestHandler } from "../runtime/rest";
import { inputsFrom, outputsFrom } from "../schema/derive";
import { JsonObject, fieldEntries, isObject } from "../schema/fields";

/** One object of the account, as Runpod lists it. */
export interface FoundObject {
  /** The provider's kind key (`networkVolume`, `pod`, …). */
  kind: string;
  /** The resource class name (`NetworkVolume`, `Pod`, …). */
  typeName: string;
  id: string;
  name: string;
  /** The inputs a program would declare to describe it, secret inputs left out. */
  inputs: JsonObject;
  /** When Runpod reports a creation time (pods, endpoints, and v1 objects that carry one). */
  createdAt?: string;
  /** USD per hour, where Runpod reports one (pods). */
  costPerHour?: number;
}

const SECRET_LIST = "query RunpodSecrets { myself { secrets { id name description createdAt } } }";

/** Runpod's cost field differs per wire (v2 `cost`, v1 `costPerHr`/`adjustedCostPerHr`). */
function costOf(api: JsonObject): number | undefined {
  for (const key of ["cost", "costPerHr", "adjustedCostPerHr"]) {
    const v = api[key];
    if (typeof v === "number" && Number.isFinite(v)) return v;
  }
  return undefined;
}

function describe(kind: string, typeName: string, wire: ProviderSettings["apiVersion"], api: JsonObject): FoundObject {
  const entry = KINDS.find((k) => k.kind === kind)!;
  const spec = entry.spec();
  const inputs = inputsFrom(spec, outputsFrom(spec, wire, api, {}));
  // Secret inputs (values, passwords) are never returned by Runpod; settings are provider knobs.
  for (const [field, f] of fieldEntries(spec)) if (f.secret || f.setting) delete inputs[field];
  delete inputs.__autonamePrefix;
  const createdAt = typeof api.createdAt === "string" ? api.createdAt : undefined;
  return { kind, typeName, id: String(api.id), name: typeof api.name === "string" ? api.name : String(api.id), inputs, createdAt, costPerHour: costOf(api) };
}

/**
 * Lists every object of the six kinds in the account: REST (the resources' own routes, read-only
 * GETs) for five, GraphQL `myself { secrets }` for secrets, which REST does not serve.
 */
export async function listAccount(settings: ProviderSettings, http = new RunpodHttp(settings)): Promise<FoundObject[]> {
  const wire = settings.apiVersion;
  const found: FoundObject[] = [];
  for (const entry of KINDS) {
    const handler = entry.handler();
    if (handler instanceof RestHandler) {
      const routes = handler.routes[wire];
      if (!routes) continue;
      const result = await http.rest<unknown>({ method: "GET", path: routes.collection, query: routes.getQuery });
      const items = routes.listKey && isObject(result) ? result[routes.listKey] : result;
      for (const api of Array.isArray(items) ? items.filter(isObject) : []) {
        if (api.id === undefined || api.id === null) continue;
        found.push(describe(entry.kind, entry.typeName, wire, api));
      }
    } else if (entry.kind === "secret") {
      const data = await http.graphql<{ myself?: { secrets?: JsonObject[] | null } | null }>(SECRET_LIST, {}, "myself.secrets");
      for (const api of data?.myself?.secrets ?? []) if (isObject(api) && api.id) found.push(describe(entry.kind, entry.typeName, wire, api));
    }
  }
  return found;
}
