/**
 * The catalog phase of check: one authenticating catalog read per host process (so a wrong key
 * fails `pulumi preview` even when nothing changed), then the resource's catalog rules for inputs
 * that changed. An outage or an offline run falls back to the format rules, said once.
 */
import { hasCode } from "../client/errors";
import type { ProviderSettings } from "../client/settings";
import { notice } from "../runtime/notice";
import { CheckFailure, JsonObject, ResourceSpec, Wire, WireApis, deepEqual, loose } from "../schema/fields";
import { CatalogView, liveCatalog } from "./validate";

type Outcome = { kind: "ok" } | { kind: "refused"; failure: CheckFailure } | { kind: "unavailable" };

/** Per host process: the view of the settings it was made for, and what reading it taught us. */
let current: { settings: ProviderSettings; view: CatalogView; first: Promise<Outcome>; unavailable: boolean } | undefined;

let saidFallback = false;
/** The fallback note, once per host process: the engine shows each stderr line, and 300 would drown the plan. */
function fallBack(why: string): void {
  if (current) current.unavailable = true;
  if (saidFallback) return;
  saidFallback = true;
  notice(`Runpod's catalog could not be read (${why}); GPU types, CPU flavours, data centres, pools and CUDA versions are checked by format only in this run`);
}

function refused(e: unknown): CheckFailure {
  const status = hasCode(e, "forbidden") ? "403: the key may not read the catalog" : "401: the key is missing, wrong, expired or revoked";
  return {
    property: "runpod:apiKey",
    reason:
      `runpod:apiKey: Runpod refused the API key (HTTP ${status}). Set a valid key with ` +
      "`pulumi config set --secret runpod:apiKey <key>` or the RUNPOD_API_KEY environment variable",
  };
}

const isRefusal = (e: unknown) => hasCode(e, "unauthorized", "forbidden");
const reasonOf = (e: unknown) => (e instanceof Error ? e.message : String(e));

/** The view for these settings; the first call in a process starts the authenticating read. */
function stateFor(settings: ProviderSettings) {
  if (current?.settings !== settings) {
    const view = liveCatalog(settings);
    const first = view.gpuTypes().then(
      (): Outcome => ({ kind: "ok" }),
      (e: unknown): Outcome => {
        if (isRefusal(e)) return { kind: "refused", failure: refused(e) };
        fallBack(reasonOf(e));
        return { kind: "unavailable" };
      },
    );
    current = { settings, view, first, unavailable: false };
  }
  return current;
}

/**
 * Catalog failures for checked `inputs` (every field and rule already passed). The first check of
 * the process waits for the authenticating read whatever changed; later ones read the catalog
 * only when an input the kind's catalog rules read differs from `olds`.
 */
export async function catalogFailures<A, Apis extends WireApis, C>(
  typed: ResourceSpec<A, Apis, C>,
  settings: ProviderSettings,
  wire: Wire,
  olds: JsonObject,
  inputs: JsonObject,
): Promise<CheckFailure[]> {
  if (!settings.apiKey) {
    // Nothing to authenticate with: a preview without credentials (a pull request's CI) still
    // gets the format rules; the operations that need Runpod say the key is missing.
    fallBack("runpod:apiKey / RUNPOD_API_KEY is not set");
    return [];
  }
  const state = stateFor(settings);
  const outcome = await state.first;
  if (outcome.kind === "refused") return [outcome.failure];
  if (outcome.kind === "unavailable" || state.unavailable) return [];

  const spec = loose(typed);
  const rules = spec.catalog;
  if (!rules) return [];
  const changed = (field: string | number) => !deepEqual(olds[field], inputs[field]);
  if (!rules.fields.some(changed)) return [];
  try {
    return await rules.check(inputs, state.view, { wire, olds, changed });
  } catch (e) {
    if (isRefusal(e)) return [refused(e)];
    fallBack(reasonOf(e));
    return [];
  }
}
