import { z } from "zod";
import { DATA_CENTER_IDS } from "./enums";

/**
 * The schemas resources share, each with one message per mistake, so the same mistake reads the
 * same on every resource. Resources compose these; they do not define their own variants.
 */

// Characters below 0x20 and DEL: Runpod stores them verbatim and they break consoles and shells.
const CONTROL_CHARACTERS = /[\u0000-\u001f\u007f]/;

/** true or false. */
export const bool = z.boolean({ invalid_type_error: "must be true or false" });

/** A finite number (JSON has no Infinity: it would be sent as null). */
export const finiteNumber = z.number({ invalid_type_error: "must be a number" }).refine((n) => Number.isFinite(n), "must be a finite number");

/** A whole number. */
export const wholeNumber = z.number({ invalid_type_error: "must be a number" }).int("must be a whole number");
export const nonNegativeInt = wholeNumber.min(0, "must not be negative");
export const positiveInt = wholeNumber.min(1, "must be at least 1");
export const nonNegativeNumber = z.number({ invalid_type_error: "must be a number" }).min(0, "must not be negative");

/** A whole number within Runpod's bounds; `unit` reads after the number ("GB"). */
export function boundedInt(min: number, max: number, unit = ""): z.ZodNumber {
  const u = unit ? ` ${unit}` : "";
  return wholeNumber.min(min, `must be at least ${min}${u}`).max(max, `must be at most ${max}${u}`);
}

/** A string with something in it. */
export const nonEmptyString = z
  .string({ invalid_type_error: "must be a string" })
  .min(1, "must not be empty")
  .refine((s) => s.trim() !== "", "must not be blank");

/** A string that names something (names, usernames, images): no control characters. */
export const printable = nonEmptyString.refine((s) => !CONTROL_CHARACTERS.test(s), "must not contain control characters (newlines, tabs…)");

export const resourceName = printable.refine((s) => s.length <= 191, "must be at most 191 characters");
export const runpodId = z.string({ invalid_type_error: "must be a string" }).regex(/^[A-Za-z0-9_-]+$/, "must be a Runpod id (letters, digits, - or _)");
export const absolutePath = printable.refine((s) => s.startsWith("/"), "must be an absolute path, e.g. /workspace");

/** One of `values`, with a message that lists them. */
export function enumOf<T extends readonly [string, ...string[]]>(values: T, what?: string) {
  const list = values.map((v) => `"${v}"`).join(", ");
  return z.enum(values as unknown as [T[number], ...T[number][]], {
    errorMap: () => ({ message: what ? `must be ${what} (one of: ${values.join(", ")})` : `must be one of ${list}` }),
  });
}

export const dataCenterId = enumOf(DATA_CENTER_IDS, "a Runpod data centre id");

/** A CUDA version "major.minor". */
export const cudaVersion = z.string({ invalid_type_error: "must be a string" }).regex(/^\d+\.\d+$/, 'must be a CUDA version "major.minor", e.g. "12.4"');

/** A list without repeats. */
export function uniqueList<T extends z.ZodTypeAny>(item: T) {
  return z
    .array(item, { invalid_type_error: "must be a list" })
    .refine((xs) => new Set(xs.map((x) => JSON.stringify(x))).size === xs.length, "must not list an entry twice");
}

/** A non-empty list without repeats. */
export function nonEmptyList<T extends z.ZodTypeAny>(item: T) {
  return z
    .array(item, { invalid_type_error: "must be a list" })
    .min(1, "must not be empty")
    .refine((xs) => new Set(xs.map((x) => JSON.stringify(x))).size === xs.length, "must not list an entry twice");
}

/** A power of two, at least `min` (Runpod's vCPU counts). */
export function powerOfTwo(min: number) {
  return wholeNumber.min(min, `must be at least ${min}`).refine((n) => n > 0 && (n & (n - 1)) === 0, "must be a power of two (2, 4, 8, 16, …)");
}

/** "8888/http" or "22/tcp". */
export const port = z
  .string({ invalid_type_error: "must be a string" })
  .regex(/^\d{1,5}\/(http|tcp)$/, 'must look like "8888/http" or "22/tcp"')
  .refine((p) => {
    const n = Number(p.split("/")[0]);
    return n >= 1 && n <= 65535;
  }, "port number must be between 1 and 65535");

/** A port's identity: its number (leading zeros dropped). Runpod maps one public port per number. */
export function portNumber(p: string): number {
  return Number(p.split("/")[0]);
}

/** Exposed ports: each number once, whatever its protocol or leading zeros. */
export const portList = z
  .array(port, { invalid_type_error: "must be a list of ports" })
  .refine((ps) => new Set(ps.map(portNumber)).size === ps.length, "must not expose a port number twice");

export const envMap = z.record(
  z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, "must be a valid environment variable name"),
  z.string({ invalid_type_error: "must be a string" }),
);

/** Free text (descriptions, readmes): any string, the empty string included (it clears the text). */
export const text = z.string({ invalid_type_error: "must be a string" });

/**
 * A list without repeats, each repeat reported at its own index (`ports.1: duplicate port
 * "8888/http"`) so the failure points at the entry to remove; `what` names one entry.
 */
export function distinctList<T extends z.ZodTypeAny>(item: T, what: string) {
  return z.array(item, { invalid_type_error: "must be a list" }).superRefine((items, ctx) => {
    const seen = new Set<string>();
    items.forEach((value, i) => {
      const key = JSON.stringify(value);
      if (seen.has(key)) ctx.addIssue({ code: z.ZodIssueCode.custom, path: [i], message: `duplicate ${what} ${key}` });
      seen.add(key);
    });
  });
}
