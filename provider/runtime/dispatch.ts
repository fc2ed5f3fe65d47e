/**
 * The module the serialized provider closure reaches by package name at call time
 * (`require("pulumi-runpod-dynamic/dist/provider/runtime/dispatch")`). Resource modules are
 * loaded lazily so a stack with only volumes never loads the pod code.
 */
import type { ConfigSource } from "../client/settings";
import { configureContext } from "./context";
import type { KindHandler } from "./handler";

const loaders: Record<string, () => KindHandler> = {
  networkVolume: () => require("../resources/networkVolume").handler,
  template: () => require("../resources/template").handler,
  secret: () => require("../resources/secret").handler,
  containerRegistryAuth: () => require("../resources/containerRegistryAuth").handler,
  pod: () => require("../resources/pod").handler,
  endpoint: () => require("../resources/endpoint").handler,
};

export async function configure(req: { config?: ConfigSource } | undefined): Promise<void> {
  configureContext(req?.config);
}

export function handler(kind: string): KindHandler {
  const load = loaders[kind];
  if (!load) throw new Error(`pulumi-runpod-dynamic: unknown resource kind "${kind}" (state written by a newer version?)`);
  return load();
}
