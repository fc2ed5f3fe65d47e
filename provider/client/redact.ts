/**
 * Every string the provider must never print: the API key, secret values, registry passwords.
 * It is process-wide because one dynamic-provider host serves every resource of a stack, and an
 * error raised while handling one resource must not leak the key or another resource's secret.
 */
const sensitive = new Set<string>();

/** Values shorter than this are not registered: redacting "a" or "1" would mangle every message. */
const MIN_LENGTH = 4;

export function registerSensitive(value: unknown): void {
  if (typeof value === "string" && value.length >= MIN_LENGTH) {
    sensitive.add(value);
    sensitive.add(encodeURIComponent(value));
    sensitive.add(Buffer.from(value).toString("base64"));
  }
}

export function redact(text: string): string {
  let out = text;
  // Longest first, so a secret that contains another secret is removed whole.
  for (const value of [...sensitive].sort((a, b) => b.length - a.length)) {
    if (value && out.includes(value)) out = out.split(value).join("[REDACTED]");
  }
  return out;
}

/** Redacts an error in place (message and stack) and returns it, so it can be rethrown. */
export function redactError<E>(error: E): E {
  if (error instanceof Error) {
    error.message = redact(error.message);
    if (error.stack) error.stack = redact(error.stack);
  }
  return error;
}
