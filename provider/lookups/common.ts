/**
 * What every lookup shares: the stack's `runpod:*` config read in the program (lookups run in the
 * program process, never on the dynamic-provider host), Pulumi's Input-taking `…Output` twins,
 * and the errors a lookup that finds nothing (or too much) throws.
 */
import * as pulumi from "@pulumi/pulumi";
import { ConfigSource, ProviderSettings, resolveSettings } from "../client/settings";

/** Args of a `…Output` lookup: every argument may be an Input. */
export type LookupInputs<A> = { [K in keyof A]: pulumi.Input<A[K]> };

/** The stack's provider settings, `runpod:*` config first, then the provider's environment variables. */
export function programSettings(): ProviderSettings {
  const config = new pulumi.Config("runpod");
  const source: ConfigSource = { get: (key) => config.get(key.replace(/^runpod:/, "")) };
  return resolveSettings(source);
}

/** Pulumi's convention: the Output twin of a Promise lookup, waiting for its Input args. */
export function outputLookup<A extends object, R>(lookup: (args: A, opts?: pulumi.InvokeOptions) => Promise<R>) {
  return (args: LookupInputs<A>, opts?: pulumi.InvokeOptions): pulumi.Output<R> =>
    pulumi.output(args as pulumi.Input<object>).apply((plain) => lookup(plain as A, opts));
}

export type LookupErrorCode = "lookup_not_found" | "lookup_ambiguous" | "lookup_invalid";

/** A lookup that cannot answer; branch on `code`. */
export class LookupError extends Error {
  constructor(
    readonly code: LookupErrorCode,
    message: string,
  ) {
    super(message);
    this.name = "LookupError";
  }
}
