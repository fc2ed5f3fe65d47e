import { z } from "zod";

/**
 * The schemas resources share, each with one message per mistake, so the same mistake reads the
 * same on every resource. Resources compose these; they do not define their own variants.
 */

/**
 * zod's own wording ("Expected object, received array", "Required") reads unlike every message
 * the provider writes; passed to every parse of user input (`{ errorMap: voice }`), this map makes
 * the library's defaults speak in the same voice ("must be a list"). It only fills in issues no
 * schema gave a message for. It is not installed globally: a program that uses zod itself keeps
 * zod's own defaults.
 */
export const voice: z.ZodErrorMap = (issue, ctx) => {
  // A map passed to a parse runs last, after the schema's own (`invalid_type_error`, `errorMap`):
  // keep a message a schema chose, and word only zod's defaults.
  if (ctx.defaultError !== z.defaultErrorMap(issue, ctx).message) return { message: ctx.defaultError };
  switch (issue.code) {
    case z.ZodIssueCode.invalid_type:
      if (issue.received === "undefined") return { message: "is required" };
      return { message: TYPE_WORDS[issue.expected] ?? `must be ${issue.expected === "integer" ? "a whole number" : `a ${issue.expected}`}` };
    case z.ZodIssueCode.invalid_enum_value:
      return { message: `must be one of ${issue.options.map((o) => JSON.stringify(o)).join(", ")}` };
    case z.ZodIssueCode.invalid_literal:
      return { message: `must be ${JSON.stringify(issue.expected)}` };
    case z.ZodIssueCode.invalid_union:
    case z.ZodIssueCode.invalid_union_discriminator:
      return { message: "is none of the accepted forms" };
    case z.ZodIssueCode.unrecognized_keys:
      return { message: `has unknown keys ${issue.keys.join(", ")}` };
    case z.ZodIssueCode.not_finite:
      return { message: "must be a finite number" };
    case z.ZodIssueCode.too_small:
      return { message: sizeWords("at least", issue.type, issue.minimum, issue.inclusive) };
    case z.ZodIssueCode.too_big:
      return { message: sizeWords("at most", issue.type, issue.maximum, issue.inclusive) };
    case z.ZodIssueCode.invalid_string:
      return { message: "is not in the expected format" };
    case z.ZodIssueCode.not_multiple_of:
      return { message: `must be a multiple of ${String(issue.multipleOf)}` };
    case z.ZodIssueCode.custom:
      return { message: issue.message ?? "is not valid" };
    default:
      return { message: ctx.defaultError };
  }
};

const TYPE_WORDS: Partial<Record<z.ZodParsedType, string>> = {
  array: "must be a list",
  number: "must be a number",
  nan: "must be a number",
  bigint: "must be a number",
  string: "must be a string",
  boolean: "must be true or false",
  object: "must be a map of names to values",
};

function sizeWords(bound: "at least" | "at most", type: string, limit: number | bigint, inclusive: boolean): string {
  const n = Number(limit);
  const exact = bound === "at least" ? (inclusive ? n : n + 1) : inclusive ? n : n - 1;
  if (type === "array" || type === "set") return `must have ${bound} ${exact} ${exact === 1 ? "entry" : "entries"}`;
  if (type === "string") return `must be ${bound} ${exact} characters long`;
  return inclusive ? `must be ${bound} ${n}` : `must be ${bound === "at least" ? "more" : "less"} than ${n}`;
}

// Characters below 0x20, DEL and the C1 controls: Runpod stores them verbatim and they break consoles and shells.
const CONTROL_CHARACTERS = /[\u0000-\u001f\u007f-\u009f]/;

/** true or false. */
export const bool = z.boolean({ invalid_type_error: "must be true or false" });

/** A finite number (JSON has no Infinity: it would be sent as null). */
export const finiteNumber = z.number({ invalid_type_error: "must be a number" }).refine((n) => Number.isFinite(n), "must be a finite number");

/** A whole number. */
export const wholeNumber = z.number({ invalid_type_error: "must be a number" }).int("must be a whole number");
export const nonNegativeInt = wholeNumber.min(0, "must not be negative");
export const positiveInt = wholeNumber.min(1, "must be at least 1");
// JSON has no Infinity: it would be sent as null, which Runpod reads as "not set".
export const nonNegativeNumber = z.number({ invalid_type_error: "must be a number" }).min(0, "must not be negative").finite("must be a finite number");

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
export const printable = nonEmptyString
  .refine((s) => !CONTROL_CHARACTERS.test(s), "must not contain control characters (newlines, tabs…)")
  // A name copied with a stray space looks identical in the console but never matches.
  .refine((s) => s === s.trim() || s.trim() === "", "must not start or end with spaces");

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

export const envMap = z
  .record(z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, "must be a valid environment variable name"), z.string({ invalid_type_error: "must be a string" }))
  .superRefine((env, ctx) => {
    for (const [key, value] of Object.entries(env)) {
      const bad = malformedSecretReference(value);
      if (bad !== undefined) ctx.addIssue({ code: z.ZodIssueCode.custom, path: [key], message: bad });
    }
  });

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

// ---- appended: bounds, images, the one port rule, secret references --------------------------

/**
 * A whole number from `min` to `max`, where the bound is Runpod's or one chosen to stop an
 * expensive typo: `why` follows the at-most message and says what to do instead.
 */
export function limitedInt(min: number, max: number, unit: string, why: string) {
  const u = unit ? ` ${unit}` : "";
  return wholeNumber.min(min, `must be at least ${min}${u}`).max(max, `must be at most ${max}${u}: ${why}`);
}

/** A container image reference (`repository[:tag][@digest]`): printable and without spaces. */
export const imageRef = printable.refine((s) => !/\s/.test(s), 'must not contain spaces (an image is "repository:tag", e.g. "runpod/base:0.6.2")');

/**
 * vCPUs of a CPU pod or worker: a power of two from 2 to 32. Runpod's v2 spec states the power
 * of two and the floor of 2 (`cpu.vcpuCount`); its catalog's largest flavor has 32 vCPUs
 * (`GET /v2/catalog/cpus` `vcpu.max`, as the emulator's catalog measures it). v1 places the
 * same flavors, so the same counts apply on both wires.
 */
export const vcpuCount = wholeNumber
  .min(2, "must be at least 2")
  .max(32, "must be at most 32: Runpod's largest CPU flavors have 32 vCPUs")
  .refine((n) => (n & (n - 1)) === 0, "must be a power of two (2, 4, 8, 16 or 32)");

/** Runpod console: "Expose HTTP Ports (Max 10)". */
export const MAX_HTTP_PORTS = 10;

/** "8888/http" from "08888/http": the form Runpod reports, so a leading zero never shows up as a diff. */
export function normalPort(p: string): string {
  const [n, protocol] = p.split("/");
  return `${Number(n)}/${protocol}`;
}

/**
 * Exposed ports, the one rule for pods, templates and endpoints: each entry "number/protocol";
 * each number once whatever its protocol or leading zeros (Runpod maps one public port per
 * number), each repeat reported at its own index; at most {@link MAX_HTTP_PORTS} HTTP ports.
 * Entries are normalised (leading zeros dropped) to the form Runpod reports.
 */
export const exposedPorts = z
  .array(port, { invalid_type_error: "must be a list of ports" })
  .superRefine((ports, ctx) => {
    const first = new Map<number, string>();
    ports.forEach((p, i) => {
      const n = portNumber(p);
      const earlier = first.get(n);
      if (earlier !== undefined) {
        ctx.addIssue({
          code: z.ZodIssueCode.custom,
          path: [i],
          message: `duplicate port ${JSON.stringify(p)}: port ${n} is already exposed as ${JSON.stringify(earlier)}`,
        });
      } else first.set(n, p);
    });
    const http = ports.filter((p) => p.endsWith("/http")).length;
    if (http > MAX_HTTP_PORTS) {
      ctx.addIssue({
        code: z.ZodIssueCode.custom,
        message: `must expose at most ${MAX_HTTP_PORTS} HTTP ports (Runpod's limit; got ${http}): put more services behind one port, or expose some as /tcp`,
      });
    }
  })
  .transform((ports) => ports.map(normalPort));

/**
 * `{{ RUNPOD_SECRET_<name> }}`: how an env value refers to a Runpod secret, which Runpod
 * substitutes when the container starts. Secret names are letters, digits, _ and -.
 */
const SECRET_REFERENCE = /\{\{\s*RUNPOD_SECRET_([A-Za-z0-9_-]+)\s*\}\}/g;

/** The secret names an env value refers to, each once. */
export function secretReferences(value: string): string[] {
  return [...new Set([...value.matchAll(SECRET_REFERENCE)].map((m) => m[1]))];
}

/**
 * Why a value's attempt at a secret reference is not one (a missing brace, lower case, no
 * name): Runpod would pass such text to the container verbatim. Undefined when there is none.
 */
export function malformedSecretReference(value: string): string | undefined {
  const rest = value.replace(SECRET_REFERENCE, "");
  if (!/RUNPOD_SECRET/i.test(rest)) return undefined;
  return "has a malformed secret reference: write it as {{ RUNPOD_SECRET_<name> }} with the secret's name (letters, digits, _ and -)";
}

/**
 * GPUs on one pod or serverless worker. Runpod documents no maximum, but a pod or worker runs on
 * one machine and Runpod's machines have at most 8 GPUs (the catalog's `maxCount`; 8 for every
 * type in the emulator's catalog). Above it Runpod answers "no capacity", which reads as if a
 * retry could help.
 */
export const gpuCount = limitedInt(1, 8, "", "Runpod's machines have at most 8 GPUs and one pod or worker runs on one machine; run several instead");

/**
 * Container disk in GB, from `min`. Runpod documents no maximum; 1024 GB is ours: the container
 * disk is wiped on every restart and billed while the pod exists, so a terabyte or more is almost
 * certainly a typo (an extra digit).
 */
export function containerDisk(min: number) {
  return limitedInt(min, 1024, "GB", "the container disk is wiped on restart; keep large data on a volume disk or a network volume");
}

/**
 * Volume disk in GB (0: none). Runpod documents no maximum for a pod's local volume; 4096 GB is
 * ours, the ceiling Runpod's v2 spec puts on a network volume (`CreateNetworkVolumeRequest.size`):
 * no host offers one pod more local disk than that.
 */
export const volumeDisk = limitedInt(0, 4096, "GB", "Runpod's largest volumes are 4096 GB; split the data over network volumes");

/**
 * Serverless workers (min or max). Runpod's specs state only `minimum 0`; 100 is ours: Runpod caps
 * workers per account by a quota it raises on request, and always-on workers bill around the
 * clock, so more than 100 is almost certainly a typo (an extra digit).
 */
export const workerCount = limitedInt(0, 100, "", "more is almost certainly a typo; for more capacity split the load over several endpoints");

// ---- appended: ids the live catalog decides (provider/catalog/validate.ts) ---------------------
// Which ids exist is Runpod's catalog's answer, read during check; these schemas hold only the
// format, so an id Runpod adds tomorrow passes without a release of this package.

/** An id of Runpod's catalog (a GPU type: "NVIDIA GeForce RTX 4090"): printable, no outer spaces. */
export const catalogId = printable;

/** A data centre id's shape, "EU-RO-1" or "EUR-IS-2"; which exist is the catalog's answer. */
export const dataCenterIdFormat = z
  .string({ invalid_type_error: "must be a string" })
  .regex(/^[A-Z]{2,4}-[A-Z]{2,4}-\d+$/, 'must be a Runpod data centre id such as "EU-RO-1" (upper case, region-site-number)');

/** A CPU flavour id's shape, "cpu3c"; which exist is the catalog's answer. */
export const cpuFlavorIdFormat = z
  .string({ invalid_type_error: "must be a string" })
  .regex(/^[a-z0-9]+$/, 'must be a CPU flavor id such as "cpu3c" (lower case)');

/** A serverless GPU pool id's shape, "AMPERE_24"; which exist is the catalog's answer. */
export const gpuPoolIdFormat = z
  .string({ invalid_type_error: "must be a string" })
  .regex(/^[A-Z0-9]+(_[A-Z0-9]+)*$/, 'must be a serverless GPU pool id such as "AMPERE_24" (upper case)');

/** GPUs on one pod or worker: at least 1; the ceiling is the catalog's `maxCount` of the GPU type. */
export const gpuCountFormat = positiveInt;
