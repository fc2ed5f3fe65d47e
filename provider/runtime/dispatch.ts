/**
 * The module the serialized provider closure reaches by package name at call time
 * (`require("pulumi-runpod-dynamic/dist/provider/runtime/dispatch")`). Resource modules are
 * loaded lazily so a stack with only volumes never loads the pod code, and a kind's lifecycle
 * (create, read, update, delete and the HTTP stack behind them) only when one of them runs: a
 * preview needs the field table alone.
 */
import type { ConfigSource } from "../client/settings";
import { kindEntry } from "../resources/registry";
import { configureContext, context } from "./context";
import type { KindHandler } from "./handler";
import { checkResource, diffResource, isPendingId } from "./plan";

export async function configure(req: { config?: ConfigSource } | undefined): Promise<void> {
  configureContext(req?.config);
}

function planned(kind: string): KindHandler {
  const entry = kindEntry(kind);
  const spec = entry.spec();
  let lifecycle: KindHandler | undefined;
  const ops = () => (lifecycle ??= entry.handler());
  return {
    check: (olds, news) => checkResource(spec, context(), olds, news),
    // A pending create's diff asks Runpod whether the object exists: the lifecycle's business.
    diff: async (id, olds, news) => (isPendingId(id) ? ops().diff(id, olds, news) : diffResource(spec, context(), olds, news)),
    create: (inputs) => ops().create(inputs),
    read: (id, props) => ops().read(id, props),
    update: (id, olds, news) => ops().update(id, olds, news),
    delete: (id, props) => ops().delete(id, props),
  };
}

/** The host calls `handler(kind)` for every RPC: the registry's lookup and `require` run once per kind. */
const handlers = new Map<string, KindHandler>();

export function handler(kind: string): KindHandler {
  let found = handlers.get(kind);
  if (!found) handlers.set(kind, (found = planned(kind)));
  return found;
}
