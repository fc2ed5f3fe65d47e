import type * as pulumi from "@pulumi/pulumi";
import type { JsonObject as Props } from "./schema/fields";

/**
 * The serialized provider stored in state for every resource. It captures nothing but the
 * resource kind: the code is reached by package name when the host calls it, so the closure
 * stays small, holds no path of the machine that ran `pulumi up`, and never tries to serialize
 * zod schemas or a connection pool. `runtime/host` is `runtime/dispatch` bundled into one file by
 * the build (scripts/build.js), which a fresh host loads faster; state written before it existed
 * names `runtime/dispatch`, which keeps working.
 */
const RUNTIME = "pulumi-runpod-dynamic/dist/provider/runtime/host";
/** The module behind RUNTIME, for the compiler only: the assertion leaves no trace in the closure. */
type Dispatch = typeof import("./runtime/dispatch");

export function dynamicProvider(kind: string): pulumi.dynamic.ResourceProvider {
  // Every method goes through one shared function, serialized once: the text is stored with every
  // resource (in its inputs and its outputs) and sent with every RPC, so each byte is paid often.
  /* eslint-disable @typescript-eslint/no-require-imports -- reached by package name at call time, never captured */
  const h = () => (require(RUNTIME) as Dispatch).handler(kind);
  return {
    configure: (r) => (require(RUNTIME) as Dispatch).configure(r),
    check: (o: Props, n: Props) => h().check(o, n),
    diff: (i: string, o: Props, n: Props) => h().diff(i, o, n),
    create: (p: Props) => h().create(p),
    read: (i: string, p: Props) => h().read(i, p),
    update: (i: string, o: Props, n: Props) => h().update(i, o, n),
    delete: (i: string, p: Props) => h().delete(i, p),
  };
  /* eslint-enable @typescript-eslint/no-require-imports */
}

const cache = new Map<string, pulumi.dynamic.ResourceProvider>();

/** One provider object per kind, so pulumi.dynamic.Resource serializes it once per kind. */
export function providerFor(kind: string): pulumi.dynamic.ResourceProvider {
  let provider = cache.get(kind);
  if (!provider) {
    provider = dynamicProvider(kind);
    cache.set(kind, provider);
  }
  return provider;
}
