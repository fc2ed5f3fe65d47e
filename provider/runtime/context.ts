import type { RunpodHttp } from "../client/http";
import { ConfigSource, ProviderSettings, resolveSettings } from "../client/settings";

/** What every resource operation gets: the resolved settings and the shared HTTP client. */
export interface OperationContext {
  settings: ProviderSettings;
  http: RunpodHttp;
  wire: ProviderSettings["apiVersion"];
}

let current: OperationContext | undefined;

/**
 * Every `pulumi preview`/`up` starts a fresh host process, and a preview of unchanged resources
 * never sends a request: the HTTP client (its pacing, retries, recovery and error modules) is
 * only required when an operation first reaches for `ctx.http`.
 */
function lazyContext(settings: ProviderSettings): OperationContext {
  let http: RunpodHttp | undefined;
  return {
    settings,
    wire: settings.apiVersion,
    get http(): RunpodHttp {
      // eslint-disable-next-line @typescript-eslint/no-require-imports -- deferred: a preview that sends nothing never loads the client
      http ??= new (require("../client/http") as typeof import("../client/http")).RunpodHttp(settings);
      return http;
    },
  };
}

const sameSettings = (a: ProviderSettings, b: ProviderSettings) => (Object.keys(a) as (keyof ProviderSettings)[]).every((k) => a[k] === b[k]);

/**
 * Called from the provider's `configure` with the stack config the engine sent. The host calls it
 * once per kind of resource, with the same config: the context (its HTTP client, and the catalog
 * state check keeps per settings) carries over unless the settings really changed.
 */
export function configureContext(config: ConfigSource | undefined): void {
  const settings = resolveSettings(config);
  if (current && sameSettings(current.settings, settings)) return;
  current = lazyContext(settings);
}

/** Falls back to the environment when the host never sent Configure (older engines). */
export function context(): OperationContext {
  if (!current) configureContext(undefined);
  return current!;
}
