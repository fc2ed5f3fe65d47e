/**
 * Producing the `__provider` text exactly as a user's program would.
 */
import type * as Pulumi from "@pulumi/pulumi";
import { PROVIDER_KEY, PropertyMap, SECRET_SIG, SIG_KEY } from "./protocol";

/**
 * Pulumi's program runtime (with TypeScript, for closure serialization) loads when a test first
 * serializes or runs a program, not whenever the harness is imported: most test files only drive
 * the host, and every jest test file loads its own copy.
 */
function pulumi(): typeof Pulumi {
  return require("@pulumi/pulumi") as typeof Pulumi;
}

/** What `pulumi.dynamic.Resource` puts in `__provider`: the serialized `() => provider` closure. */
export async function serializeProvider(provider: Pulumi.dynamic.ResourceProvider): Promise<string> {
  return (await pulumi().runtime.serializeFunction(() => provider, { allowSecrets: true })).text;
}

export interface CapturedResource {
  type: string;
  name: string;
  /** The inputs the program registered, secrets unwrapped, WITHOUT `__provider`. */
  inputs: PropertyMap;
  /** The `__provider` text (unwrapped if it was a secret because the closure captured one). */
  providerText: string;
  /** Top-level input names whose value was (or contained) a secret. */
  secretInputs: string[];
  /** True if `__provider` itself was a secret (the closure captured a secret Output). */
  providerSecret: boolean;
  /** The mock id given to the resource. */
  id: string;
}

export interface CaptureOptions {
  project?: string;
  stack?: string;
  /** Run the program as a preview (unknowns stay unknown). Default false. */
  preview?: boolean;
  /** Outputs the mocked engine returns per resource; default: echo the inputs. */
  outputs?: (args: Pulumi.runtime.MockResourceArgs) => PropertyMap;
  /** Stack config visible to the program (`pulumi.Config`), e.g. `{"runpod:apiKey": "..."}`. */
  config?: Record<string, string>;
}

function isSecret(v: unknown): v is { value: unknown } {
  return typeof v === "object" && v !== null && (v as PropertyMap)[SIG_KEY] === SECRET_SIG;
}

/** Removes secret wrappers at any depth; reports whether there were any. */
export function unwrapSecrets(value: unknown): [unknown, boolean] {
  if (isSecret(value)) {
    const [inner] = unwrapSecrets(value.value);
    return [inner, true];
  }
  if (Array.isArray(value)) {
    let had = false;
    const out = value.map((v) => {
      const [u, s] = unwrapSecrets(v);
      had = had || s;
      return u;
    });
    return [out, had];
  }
  if (value && typeof value === "object" && Object.getPrototypeOf(value) === Object.prototype) {
    let had = false;
    const out: PropertyMap = {};
    for (const [k, v] of Object.entries(value)) {
      const [u, s] = unwrapSecrets(v);
      had = had || s;
      out[k] = u;
    }
    return [out, had];
  }
  return [value, false];
}

let captureQueue: Promise<unknown> = Promise.resolve();

/**
 * Runs resource constructors (a user's program) under `pulumi.runtime.setMocks` and returns, per
 * logical name, exactly what each custom resource registered: its type, its inputs and the
 * serialized provider a `pulumi.dynamic.Resource` sends as `__provider`.
 *
 * `construct` may return a promise; registration errors (e.g. an unserializable closure) are
 * rethrown. Calls are serialized because the Pulumi runtime settings are process-global.
 */
export function captureSerializedProvider(construct: () => unknown, opts: CaptureOptions = {}): Promise<Record<string, CapturedResource>> {
  const run = captureQueue.then(() => doCapture(construct, opts));
  captureQueue = run.catch(() => undefined);
  return run;
}

async function doCapture(construct: () => unknown, opts: CaptureOptions): Promise<Record<string, CapturedResource>> {
  const captured: Record<string, CapturedResource> = {};
  const errors: unknown[] = [];
  const onRejection = (reason: unknown) => errors.push(reason);
  process.on("unhandledRejection", onRejection);
  try {
    if (opts.config) {
      for (const [k, v] of Object.entries(opts.config)) pulumi().runtime.setConfig(k, v);
    }
    await pulumi().runtime.setMocks(
      {
        newResource(args) {
          const raw = { ...args.inputs } as PropertyMap;
          const id = args.id || `${args.name}-id`;
          if (args.custom) {
            if (captured[args.name]) errors.push(new Error(`two resources named ${args.name}: capture keys by logical name`));
            const [providerText, providerSecret] = unwrapSecrets(raw[PROVIDER_KEY]);
            delete raw[PROVIDER_KEY];
            const inputs: PropertyMap = {};
            const secretInputs: string[] = [];
            for (const [k, v] of Object.entries(raw)) {
              const [u, s] = unwrapSecrets(v);
              inputs[k] = u;
              if (s) secretInputs.push(k);
            }
            captured[args.name] = {
              type: args.type,
              name: args.name,
              inputs,
              providerText: typeof providerText === "string" ? providerText : "",
              secretInputs,
              providerSecret,
              id,
            };
          }
          return { id, state: opts.outputs ? opts.outputs(args) : args.inputs };
        },
        call(args) {
          return args.inputs;
        },
      },
      opts.project ?? "project",
      opts.stack ?? "stack",
      opts.preview ?? false,
    );
    await construct();
    // Registration is asynchronous; wait for the runtime's RPC queue to drain (twice, in case
    // outputs of the first wave fed more registrations).
    const settings = require("@pulumi/pulumi/runtime/settings") as { waitForRPCs(): Promise<void> };
    await settings.waitForRPCs();
    await new Promise((r) => setImmediate(r));
    await settings.waitForRPCs();
    await new Promise((r) => setImmediate(r));
  } finally {
    process.off("unhandledRejection", onRejection);
  }
  if (errors.length > 0) {
    const e = errors[0];
    throw e instanceof Error ? e : new Error(String(e));
  }
  return captured;
}
