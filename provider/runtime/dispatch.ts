/**
 * The module the serialized provider closure reaches by package name at call time
 * (`require("pulumi-runpod-dynamic/dist/provider/runtime/dispatch")`). Resource modules are
 * loaded lazily so a stack with only volumes never loads the pod code.
 */
import type { ConfigSource } from "../client/settings";
import { kindEntry } from "../resources/registry";
import { configureContext } from "./context";
import type { KindHandler } from "./handler";

export async function configure(req: { config?: ConfigSource } | undefined): Promise<void> {
  configureContext(req?.config);
}

/** The host calls `handler(kind)` for every RPC: the registry's lookup and `require` run once per kind. */
const handlers = new Map<string, KindHandler>();

export function handler(kind: string): KindHandler {
  let found = handlers.get(kind);
  if (!found) handlers.set(kind, (found = kindEntry(kind).handler()));
  return found;
}
