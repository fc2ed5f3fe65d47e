// Who is calling: Bearer key checks (constant-time) and the read-only keys that authenticate but
// may not mutate (Runpod answers such calls 403: "the bearer token is valid, but it does not
// grant access to the requested resource or action").
import { createHash, timingSafeEqual } from "node:crypto";

export type AuthOutcome = { ok: true; readOnly: boolean } | { ok: false; message: string };

function keyMatches(presented: string, expected: string): boolean {
  const a = createHash("sha256").update(presented).digest();
  const b = createHash("sha256").update(expected).digest();
  return timingSafeEqual(a, b);
}

/**
 * Accept `Bearer <key>` when `apiKey` is unset (any non-empty key), equals it, or is one of
 * `readOnlyKeys` (which are accepted even when `apiKey` is set, and flagged read-only).
 */
export function authenticate(header: string | undefined, apiKey: string | undefined, readOnlyKeys: readonly string[]): AuthOutcome {
  const m = typeof header === "string" ? /^Bearer\s+(\S.*)$/i.exec(header.trim()) : null;
  const presented = m ? m[1].trim() : "";
  if (presented === "") return { ok: false, message: "missing bearer token" };
  const readOnly = readOnlyKeys.some((k) => keyMatches(presented, k));
  if (readOnly) return { ok: true, readOnly: true };
  if (apiKey === undefined || keyMatches(presented, apiKey)) return { ok: true, readOnly: false };
  return { ok: false, message: "invalid API key" };
}

/** Methods that change nothing (a read-only key may call them). */
export function isReadOnlyMethod(method: string): boolean {
  return method === "GET" || method === "HEAD" || method === "OPTIONS";
}
