import { CreateOutcomeUnknownError, hasCode, RunpodApiError } from "./errors";
import { ApiSurface } from "./classify";
import { backoffCapMs, ProviderSettings } from "./settings";

/** What a create is about, for messages and for the error that lets the resource layer keep it. */
export interface CreateTarget {
  kind: string;
  name?: string;
  method: string;
  path: string;
  surface: ApiSurface;
}

export interface RecoveryDeps {
  settings: ProviderSettings;
  now(): number;
  sleep(ms: number): Promise<void>;
  random(): number;
}

/**
 * Runpod may list a just-created object only a moment later: an empty answer is believed only
 * after this many looks, because re-sending the create on a false "absent" buys a second pod.
 */
export const ABSENT_LOOKS = 3;

/**
 * Sends a create; never re-sends it blindly. When the answer is lost (network, timeout, 5xx) the
 * object may exist, so `recover` is asked — through outages and listing lag, until
 * `createRecoveryTimeoutMs` — and the create is re-sent only once the object is known to be absent.
 * A create that never reached Runpod (no connection) is simply sent again, up to `maxRetries`.
 */
export async function createWithRecovery<T>(
  send: () => Promise<T>,
  recover: () => Promise<T | undefined>,
  target: CreateTarget,
  deps: RecoveryDeps,
): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    const sentAt = new Date(deps.now()).toISOString();
    try {
      return await send();
    } catch (e) {
      if (!hasCode(e, "transient", "network", "timeout")) throw e;
      if (e instanceof RunpodApiError && e.neverSent) {
        // Runpod never saw it: nothing to look for, and nothing bought if it keeps failing.
        if (attempt >= deps.settings.maxRetries) throw e;
        await deps.sleep(deps.random() * backoffCapMs(deps.settings, attempt));
        continue;
      }
      const found = await lookForCreated(recover, target, sentAt, deps);
      if (found !== undefined) return found;
      if (attempt >= deps.settings.maxRetries) throw e; // absent every time: a plain failure, nothing was bought
    }
  }
}

async function lookForCreated<T>(recover: () => Promise<T | undefined>, target: CreateTarget, sentAt: string, deps: RecoveryDeps): Promise<T | undefined> {
  const { settings } = deps;
  const started = deps.now();
  const deadline = started + settings.createRecoveryTimeoutMs;
  let absent = 0;
  let failures = 0;
  const unknown = (lastError: unknown) =>
    new CreateOutcomeUnknownError({
      create: { kind: target.kind, name: target.name, sentAt },
      method: target.method,
      path: target.path,
      surface: target.surface,
      waitedMs: deps.now() - started,
      lastError,
    });
  for (;;) {
    const backoff = deps.random() * backoffCapMs(settings, failures);
    const pause = absent > 0 ? settings.pollIntervalMs * (0.5 + deps.random() / 2) : backoff;
    await deps.sleep(Math.max(0, Math.min(pause, deadline - deps.now())));
    try {
      const found = await recover();
      if (found !== undefined) return found;
      if (++absent >= ABSENT_LOOKS) return undefined;
    } catch (e) {
      // A lookup that found several matches already says what exists; a bug is not an outage.
      if (!(e instanceof RunpodApiError) || e.code === "conflict") throw e;
      if (!hasCode(e, "transient", "network", "timeout", "rate_limited")) throw unknown(e);
      failures++;
      if (deps.now() >= deadline) throw unknown(e);
    }
  }
}
