import type * as pulumi from "@pulumi/pulumi";

/**
 * The serialized provider stored in state for every resource. It captures nothing but the
 * resource kind: the code is reached by package name when the host calls it, so the closure
 * stays small, holds no path of the machine that ran `pulumi up`, and never tries to serialize
 * zod schemas or an undici Agent.
 */
const RUNTIME = "pulumi-runpod-dynamic/dist/provider/runtime/dispatch";

export function dynamicProvider(kind: string): pulumi.dynamic.ResourceProvider {
  return {
    configure: (req) => require(RUNTIME).configure(req),
    check: (olds, news) => require(RUNTIME).handler(kind).check(olds, news),
    diff: (id, olds, news) => require(RUNTIME).handler(kind).diff(id, olds, news),
    create: (inputs) => require(RUNTIME).handler(kind).create(inputs),
    read: (id, props) => require(RUNTIME).handler(kind).read(id, props),
    update: (id, olds, news) => require(RUNTIME).handler(kind).update(id, olds, news),
    delete: (id, props) => require(RUNTIME).handler(kind).delete(id, props),
  };
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
