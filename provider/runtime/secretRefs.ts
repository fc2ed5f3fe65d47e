/**
 * `{{ RUNPOD_SECRET_<name> }}` references in a pod's, endpoint's or template's env must name a
 * secret the account has: Runpod does not check, and the container would start with the literal
 * text as the value. Check looks at the syntax (`provider/schema/common.ts`, no request); this
 * module looks the names up right before a create is sent.
 */
import type { RunpodHttp } from "../client/http";
import { secretReferences } from "../schema/common";
import type { OperationContext } from "./context";

/** The stable code of {@link MissingSecretError}: callers branch on it, never on the text. */
export const MISSING_SECRET = "missing_secret";

/** An env value names a secret the Runpod account does not have; nothing was created. */
export class MissingSecretError extends Error {
  readonly code = MISSING_SECRET;
  constructor(
    /** The env key whose value holds the reference. */
    readonly envKey: string,
    /** The secret name the reference gives. */
    readonly secretName: string,
    what: string,
  ) {
    super(
      `env.${envKey}: refers to the secret "${secretName}" ({{ RUNPOD_SECRET_${secretName} }}), but the Runpod account has no secret by that name, ` +
        `so the ${what} was not created; create the secret (runpod Secret "${secretName}") or correct the name`,
    );
    this.name = "MissingSecretError";
  }
}

const NAMES = "query RunpodSecretNames { myself { secrets { name } } }";

/** One listing per HTTP client (one per configured provider), shared by every create in the process. */
const listings = new WeakMap<RunpodHttp, Promise<ReadonlySet<string>>>();

async function listNames(http: RunpodHttp): Promise<ReadonlySet<string>> {
  const data = await http.graphql<{ myself?: { secrets?: Array<{ name?: unknown }> | null } | null }>(NAMES, {}, "myself.secrets");
  const secrets = data?.myself?.secrets;
  return new Set(Array.isArray(secrets) ? secrets.flatMap((s) => (typeof s?.name === "string" ? [s.name] : [])) : []);
}

function secretNames(http: RunpodHttp, fresh: boolean): Promise<ReadonlySet<string>> {
  let listing = fresh ? undefined : listings.get(http);
  if (!listing) {
    listing = listNames(http);
    // A failed listing is not remembered: the next create asks again.
    listing.catch(() => listings.delete(http));
    listings.set(http, listing);
  }
  return listing;
}

/**
 * Fails with a {@link MissingSecretError} when `env` refers to a secret the account lacks. No
 * request when `env` has no reference. A name the shared listing lacks is looked up once more
 * before failing: a Secret created earlier in the same run must count.
 */
export async function requireReferencedSecrets(ctx: OperationContext, env: Record<string, string> | undefined, what: string): Promise<void> {
  const refs = Object.entries(env ?? {}).flatMap(([key, value]) => (typeof value === "string" ? secretReferences(value).map((name) => ({ key, name })) : []));
  if (refs.length === 0) return;
  let names = await secretNames(ctx.http, false);
  if (refs.some((r) => !names.has(r.name))) names = await secretNames(ctx.http, true);
  const missing = refs.find((r) => !names.has(r.name));
  if (missing) throw new MissingSecretError(missing.key, missing.name, what);
}
