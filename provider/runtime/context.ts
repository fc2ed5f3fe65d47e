import { RunpodHttp } from "../client/http";
import { ConfigSource, ProviderSettings, resolveSettings } from "../client/settings";

/** What every resource operation gets: the resolved settings and the shared HTTP client. */
export interface OperationContext {
  settings: ProviderSettings;
  http: RunpodHttp;
  wire: ProviderSettings["apiVersion"];
}

let current: OperationContext | undefined;

/** Called from the provider's `configure` with the stack config the engine sent. */
export function configureContext(config: ConfigSource | undefined): void {
  const settings = resolveSettings(config);
  current = { settings, http: new RunpodHttp(settings), wire: settings.apiVersion };
}

/** Falls back to the environment when the host never sent Configure (older engines). */
export function context(): OperationContext {
  if (!current) configureContext(undefined);
  return current!;
}
