import { ProviderConfigError } from "./errors";
import { registerSensitive } from "./redact";

export type Wire = "v1" | "v2";

/** Where each setting comes from: stack config key first, then environment variable. */
export const CONFIG_KEYS = {
  apiKey: { config: "runpod:apiKey", env: "RUNPOD_API_KEY" },
  apiVersion: { config: "runpod:apiVersion", env: "RUNPOD_API_VERSION" },
  apiUrl: { config: "runpod:apiUrl", env: "RUNPOD_API_URL" },
  graphqlUrl: { config: "runpod:graphqlUrl", env: "RUNPOD_GRAPHQL_URL" },
  requestTimeoutSeconds: { config: "runpod:requestTimeoutSeconds", env: "RUNPOD_REQUEST_TIMEOUT_SECONDS" },
  maxRetries: { config: "runpod:maxRetries", env: "RUNPOD_MAX_RETRIES" },
  maxRetryDelaySeconds: { config: "runpod:maxRetryDelaySeconds", env: "RUNPOD_MAX_RETRY_DELAY_SECONDS" },
  pollIntervalSeconds: { config: "runpod:pollIntervalSeconds", env: "RUNPOD_POLL_INTERVAL_SECONDS" },
  /** How long a template delete keeps retrying while a pod or endpoint still uses the template. */
  templateDeleteTimeoutSeconds: { config: "runpod:templateDeleteTimeoutSeconds", env: "RUNPOD_TEMPLATE_DELETE_TIMEOUT_SECONDS" },
  /** How long a create whose answer was lost keeps asking Runpod whether the object exists. */
  createRecoveryTimeoutSeconds: { config: "runpod:createRecoveryTimeoutSeconds", env: "RUNPOD_CREATE_RECOVERY_TIMEOUT_SECONDS" },
  /** How long one request may wait on Runpod's rate limit (pacing and 429 Retry-After) before failing. */
  rateLimitTimeoutSeconds: { config: "runpod:rateLimitTimeoutSeconds", env: "RUNPOD_RATE_LIMIT_TIMEOUT_SECONDS" },
} as const;

export const DEFAULT_REST_URL: Record<Wire, string> = {
  v2: "https://api.runpod.io/v2",
  v1: "https://rest.runpod.io/v1",
};
export const DEFAULT_GRAPHQL_URL = "https://api.runpod.io/graphql";

export interface ProviderSettings {
  /** Undefined until an operation needs it: previews (check/diff) never call the API. */
  apiKey: string | undefined;
  apiVersion: Wire;
  /** REST base including the version path, e.g. https://api.runpod.io/v2 */
  restUrl: string;
  graphqlUrl: string;
  requestTimeoutMs: number;
  maxRetries: number;
  maxRetryDelayMs: number;
  retryBaseDelayMs: number;
  pollIntervalMs: number;
  /** Bound on retrying a template delete that Runpod refuses because the template is in use. */
  templateDeleteTimeoutMs: number;
  /** Bound on looking for an object whose create answer was lost (independent of `maxRetries`). */
  createRecoveryTimeoutMs: number;
  /** Bound on one request's waits for Runpod's rate limit; such waits spend no retry. */
  rateLimitTimeoutMs: number;
}

/** The part of the dynamic-provider host's config object we use. */
export interface ConfigSource {
  get(key: string): string | undefined;
}

function lookup(config: ConfigSource | undefined, env: NodeJS.ProcessEnv, key: keyof typeof CONFIG_KEYS): string | undefined {
  const source = CONFIG_KEYS[key];
  let value: unknown;
  try {
    value = config?.get(source.config);
  } catch {
    value = undefined; // the host's Config throws when Configure was never called
  }
  if (typeof value === "string" && value !== "") return value;
  const fromEnv = env[source.env];
  return fromEnv === undefined || fromEnv === "" ? undefined : fromEnv;
}

function positiveNumber(raw: string | undefined, key: keyof typeof CONFIG_KEYS, fallback: number): number {
  if (raw === undefined) return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value) || value < 0) {
    throw new ProviderConfigError(`${CONFIG_KEYS[key].config} (or ${CONFIG_KEYS[key].env}) must be a non-negative number, got "${raw}"`);
  }
  return value;
}

/**
 * A REST base whose path does not already end in /v1 or /v2 gets the active version appended,
 * so `runpod:apiUrl` may name either the exact base or just the server (e.g. the emulator's root).
 */
export function restBase(url: string, wire: Wire): string {
  const trimmed = url.replace(/\/+$/, "");
  return /\/v[12]$/.test(trimmed) ? trimmed : `${trimmed}/${wire}`;
}

export function resolveSettings(config: ConfigSource | undefined, env: NodeJS.ProcessEnv = process.env): ProviderSettings {
  const version = lookup(config, env, "apiVersion") ?? "v2";
  if (version !== "v1" && version !== "v2") {
    throw new ProviderConfigError(`runpod:apiVersion must be "v2" (default) or "v1", got "${version}"`);
  }
  const apiKey = lookup(config, env, "apiKey");
  registerSensitive(apiKey);
  const apiUrl = lookup(config, env, "apiUrl");
  return {
    apiKey,
    apiVersion: version,
    restUrl: apiUrl ? restBase(apiUrl, version) : DEFAULT_REST_URL[version],
    graphqlUrl: lookup(config, env, "graphqlUrl") ?? DEFAULT_GRAPHQL_URL,
    requestTimeoutMs: positiveNumber(lookup(config, env, "requestTimeoutSeconds"), "requestTimeoutSeconds", 60) * 1000,
    maxRetries: positiveNumber(lookup(config, env, "maxRetries"), "maxRetries", 8),
    maxRetryDelayMs: positiveNumber(lookup(config, env, "maxRetryDelaySeconds"), "maxRetryDelaySeconds", 30) * 1000,
    retryBaseDelayMs: 250,
    pollIntervalMs: positiveNumber(lookup(config, env, "pollIntervalSeconds"), "pollIntervalSeconds", 5) * 1000,
    // Runpod: "It can take up to 2 minutes to be able to delete a template after its most recent use".
    templateDeleteTimeoutMs: positiveNumber(lookup(config, env, "templateDeleteTimeoutSeconds"), "templateDeleteTimeoutSeconds", 180) * 1000,
    createRecoveryTimeoutMs: positiveNumber(lookup(config, env, "createRecoveryTimeoutSeconds"), "createRecoveryTimeoutSeconds", 600) * 1000,
    rateLimitTimeoutMs: positiveNumber(lookup(config, env, "rateLimitTimeoutSeconds"), "rateLimitTimeoutSeconds", 600) * 1000,
  };
}

/**
 * Exponential backoff before retry `attempt` (0 for the first), capped at
 * `runpod:maxRetryDelaySeconds`; callers spread their wait below it with a random factor.
 */
export function backoffCapMs(settings: Pick<ProviderSettings, "retryBaseDelayMs" | "maxRetryDelayMs">, attempt: number): number {
  return Math.min(settings.maxRetryDelayMs, settings.retryBaseDelayMs * 2 ** attempt);
}

export function requireApiKey(settings: ProviderSettings): string {
  if (!settings.apiKey) {
    throw new ProviderConfigError(
      "Runpod API key is not set: run `pulumi config set --secret runpod:apiKey <key>` " + "or export RUNPOD_API_KEY=<key> before running pulumi.",
    );
  }
  return settings.apiKey;
}
