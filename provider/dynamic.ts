import type * as pulumi from "@pulumi/pulumi";
import type { JsonObject as Props } from "./schema/fields";

/**
 * The serialized provider stored in state for every resource. It captures nothing but the
 * resource kind: the code is reached by package name when the host calls it, so the closure
 * stays small, holds no path of the machine that ran `pulumi up`, and never tries to serialize
 * zod schemas or an undici Agent.
 */
const RUNTIME = "pulumi-runpod-dynamic/dist/provider/runtime/dispatch";
/** The module behind RUNTIME, for the compiler only: the assertion leaves no trace in the closure. */
type Dispatch = typeof import("./runtime/dispatch");

export function dynamicProvider(kind: string): pulumi.dynamic.ResourceProvider {
  /* eslint-disable @typescript-eslint/no-require-imports -- reached by package name at call time, never captured */
  return {
    configure: (req) => (require(RUNTIME) as Dispatch).configure(req),
    check: (olds: Props, news: Props) => (require(RUNTIME) as Dispatch).handler(kind).check(olds, news),
    diff: (id: string, olds: Props, news: Props) => (require(RUNTIME) as Dispatch).handler(kind).diff(id, olds, news),
    create: (inputs: Props) => (require(RUNTIME) as Dispatch).handler(kind).create(inputs),
    read: (id: string, props: Props) => (require(RUNTIME) as Dispatch).handler(kind).read(id, props),
    update: (id: string, olds: Props, news: Props) => (require(RUNTIME) as Dispatch).handler(kind).update(id, olds, news),
    delete: (id: string, props: Props) => (require(RUNTIME) as Dispatch).handler(kind).delete(id, props),
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
