// Routing and validation of REST requests (and of our own responses) against the official
// Runpod OpenAPI specs, with openapi-backend (routing, parameter parsing, Ajv validation).
//
// openapi-backend compiles schemas with Ajv's draft-07 class by default. The v2 spec is
// OpenAPI 3.1 (JSON Schema 2020-12) and relies on `unevaluatedProperties: false` to reject
// unknown body fields, which draft-07 Ajv silently ignores, so for v2 we hand openapi-backend an
// Ajv 2020 instance through its `customizeAjv` hook. openapi-backend's own spec-document check
// (openapi-schema-validator) has no 3.1 meta-schema, so backends run in `quick` mode, which skips
// that check and compiles each operation's validators lazily on first use (cheap start-up).
import * as fs from "node:fs";
import * as path from "node:path";
import { createRequire } from "node:module";
import { OpenAPIBackend } from "openapi-backend";
import type { Context, Document } from "openapi-backend";
import type Ajv from "ajv";
import type { ErrorObject, Options as AjvOptions, ValidateFunction } from "ajv";

export type RestWire = "v1" | "v2";

/** Locate the vendored specs from `dist/*.js` (built package) and from the sources (ts-node). */
export function specDir(): string {
  const candidates = [path.join(__dirname, "..", "spec"), path.join(__dirname, "spec")];
  for (const dir of candidates) {
    if (fs.existsSync(path.join(dir, "runpod-openapi-v2.json"))) return dir;
  }
  throw new Error(`runpod emulator: OpenAPI specs not found (looked in ${candidates.join(", ")})`);
}

export function loadSpec(wire: RestWire): Record<string, any> {
  const file = wire === "v2" ? "runpod-openapi-v2.json" : "runpod-openapi-v1.json";
  return JSON.parse(fs.readFileSync(path.join(specDir(), file), "utf8"));
}

// Ajv and ajv-formats are openapi-backend's own dependencies; resolve them from its location so
// we use the same copies it does even when a consumer hoists a different Ajv major to the top.
function loadDependency<T>(name: string): T {
  const bases: string[] = [];
  try {
    const backendEntry = require.resolve("openapi-backend");
    bases.push(backendEntry);
    bases.push(createRequire(backendEntry).resolve("openapi-schema-validator"));
  } catch {
    // fall through to a plain require
  }
  for (const base of bases) {
    try {
      return createRequire(base)(name) as T;
    } catch {
      // try next
    }
  }
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- the CommonJS build of a dependency, chosen at run time
  return require(name) as T;
}

type AjvClass = new (opts?: AjvOptions) => Ajv;
type AddFormats = (ajv: Ajv) => Ajv;

let ajvClasses: { Ajv2020: AjvClass; addFormats: AddFormats } | undefined;
function ajvDeps(): { Ajv2020: AjvClass; addFormats: AddFormats } {
  if (!ajvClasses) {
    const ajv2020 = loadDependency<{ default: AjvClass }>("ajv/dist/2020");
    const formats = loadDependency<{ default: AddFormats }>("ajv-formats");
    ajvClasses = { Ajv2020: ajv2020.default, addFormats: formats.default };
  }
  return ajvClasses;
}

// Formats OpenAPI defines on top of JSON Schema (and "currency", used by the v1 spec).
function addOpenApiFormats(ajv: Ajv): Ajv {
  const { addFormats } = ajvDeps();
  addFormats(ajv);
  ajv.addFormat("int32", { type: "number", validate: (n: number) => Number.isInteger(n) && n >= -(2 ** 31) && n < 2 ** 31 });
  ajv.addFormat("int64", { type: "number", validate: (n: number) => Number.isInteger(n) });
  ajv.addFormat("float", { type: "number", validate: () => true });
  ajv.addFormat("double", { type: "number", validate: () => true });
  ajv.addFormat("currency", { type: "number", validate: () => true });
  return ajv;
}

/** The outcome of routing + validating one request. */
export type Routed =
  | { kind: "ok"; operationId: string; params: Record<string, string>; query: Record<string, unknown>; body: unknown }
  | { kind: "invalid"; operationId: string; status: 400 | 422; errors: string[] }
  | { kind: "notFound" }
  | { kind: "methodNotAllowed" };

export interface WireBackend {
  wire: RestWire;
  api: OpenAPIBackend;
  errorResponseValidator?: ValidateFunction;
  route(req: { method: string; path: string; query: Record<string, string | string[]>; headers: Record<string, string>; body: unknown }): Promise<Routed>;
  /** Validate a response body against the spec's response schema for this operation and status. */
  validateResponse(operationId: string, status: number, body: unknown): string[];
}

/**
 * Ajv (8.x) forgets the properties evaluated by sibling keywords (e.g. `allOf`) when an `if`
 * fails at the same schema level, so `unevaluatedProperties: false` then rejects every property
 * of a valid body (e.g. a QUEUE `createEndpoint`, whose schema has a top-level
 * `if: {type: LOAD_BALANCER} then: {...}`). Moving `if`/`then`/`else` into an `allOf` entry is
 * equivalent under JSON Schema 2020-12 and sidesteps the bug. Only the in-memory copy is changed.
 */
export function workAroundAjvUnevaluatedIf(node: unknown): number {
  let rewritten = 0;
  const visit = (n: unknown): void => {
    if (Array.isArray(n)) {
      n.forEach(visit);
      return;
    }
    if (!n || typeof n !== "object") return;
    const o = n as Record<string, unknown>;
    for (const v of Object.values(o)) visit(v);
    if (o.if !== undefined && o.unevaluatedProperties !== undefined) {
      const cond: Record<string, unknown> = { if: o.if };
      if (o.then !== undefined) cond.then = o.then;
      if (o.else !== undefined) cond.else = o.else;
      delete o.if;
      delete o.then;
      delete o.else;
      o.allOf = [...(Array.isArray(o.allOf) ? o.allOf : []), cond];
      rewritten++;
    }
  };
  visit(node);
  return rewritten;
}

// One Ajv instance per (wire, option set): a fresh Ajv 2020 instance has to compile the 2020-12
// meta-schemas again, which made every lazily compiled operation cost hundreds of milliseconds.
const ajvCache = new Map<string, Ajv>();
function cachedAjv(wire: RestWire, opts: AjvOptions, original: Ajv): Ajv {
  const key = `${wire}:${JSON.stringify(opts)}`;
  let ajv = ajvCache.get(key);
  if (!ajv) {
    if (wire === "v2") {
      const { Ajv2020 } = ajvDeps();
      ajv = addOpenApiFormats(new Ajv2020({ ...opts, allErrors: true, strict: false, validateSchema: false }));
    } else {
      ajv = addOpenApiFormats(original);
    }
    ajvCache.set(key, ajv);
  }
  return ajv;
}

async function buildBackend(wire: RestWire): Promise<WireBackend> {
  const definition = loadSpec(wire) as Document;
  const is31 = wire === "v2";
  workAroundAjvUnevaluatedIf((definition as any).components);
  const api = new OpenAPIBackend({
    definition,
    apiRoot: wire === "v1" ? "/v1" : "/",
    quick: true,
    coerceTypes: true,
    ajvOpts: { allErrors: true, strict: false },
    customizeAjv: (original, opts) => cachedAjv(wire, opts, original),
    // Authentication is enforced by the emulator before routing (uniformly for every wire).
    securityHandlers: is31 ? { bearerAuth: () => true } : { ApiKey: () => true },
    handlers: {
      notFound: (): Routed => ({ kind: "notFound" }),
      methodNotAllowed: (): Routed => ({ kind: "methodNotAllowed" }),
      validationFail: (c: Context): Routed => {
        const op = c.operation as any;
        const bodySchema = op.requestBody?.content?.["application/json"]?.schema;
        const raw = c.validation.errors ?? [];
        const errors = formatAjvErrors(raw, bodySchema);
        const documents422 = Boolean(op.responses && op.responses["422"]);
        // An empty PATCH body (minProperties) is a "bad request" per the spec text of
        // updateNetworkVolume ("Invalid request body"), everything else is a schema violation.
        const onlyEmptyBody = raw.length > 0 && raw.every((e) => e.keyword === "minProperties" && e.instancePath === "/requestBody");
        const status: 400 | 422 = is31 && documents422 && !onlyEmptyBody ? 422 : 400;
        return { kind: "invalid", operationId: String(op.operationId), status, errors };
      },
      notImplemented: (c: Context): Routed => ({
        kind: "ok",
        operationId: String(c.operation.operationId),
        params: (c.request.params ?? {}) as Record<string, string>,
        query: (c.request.query ?? {}) as Record<string, unknown>,
        body: c.request.requestBody,
      }),
    },
  });
  await api.init();

  let errorResponseValidator: ValidateFunction | undefined;
  if (is31) {
    const { Ajv2020 } = ajvDeps();
    const ajv = addOpenApiFormats(new Ajv2020({ allErrors: true, strict: false }));
    errorResponseValidator = ajv.compile((definition as any).components.schemas.ErrorResponse);
  }

  return {
    wire,
    api,
    errorResponseValidator,
    async route(req) {
      return (await api.handleRequest({
        method: req.method,
        path: req.path,
        query: req.query,
        headers: req.headers,
        body: req.body,
      })) as Routed;
    },
    validateResponse(operationId, status, body) {
      if (status === 204 || body === undefined) return [];
      if (status >= 400) {
        if (!errorResponseValidator) return [];
        return errorResponseValidator(body) ? [] : formatAjvErrors(errorResponseValidator.errors ?? [], undefined, "");
      }
      const result = api.validateResponse(body, operationId, status);
      return result.errors ? formatAjvErrors(result.errors, undefined, "") : [];
    },
  };
}

// One backend per wire per process: the specs never change, and compiled validators are reused
// by every emulator instance started in the same process.
const backends = new Map<RestWire, Promise<WireBackend>>();
export function getBackend(wire: RestWire): Promise<WireBackend> {
  let b = backends.get(wire);
  if (!b) {
    b = buildBackend(wire);
    backends.set(wire, b);
    b.catch(() => backends.delete(wire));
  }
  return b;
}

// ---------------------------------------------------------------------------------------------
// Error formatting: one readable line per violation, naming the field, e.g.
//   "size: must be >= 10", "bogus: unknown field", "mounts.network[0].path: is required".

function pointerToField(instancePath: string, rootPrefix: string): string {
  let p = instancePath;
  if (rootPrefix && p.startsWith(rootPrefix)) p = p.slice(rootPrefix.length);
  else if (p.startsWith("/query/")) p = p.slice("/query".length);
  else if (p.startsWith("/path/")) p = p.slice("/path".length);
  const parts = p
    .split("/")
    .filter((s) => s !== "")
    .map((s) => s.replace(/~1/g, "/").replace(/~0/g, "~"));
  let out = "";
  for (const part of parts) {
    if (/^\d+$/.test(part)) out += `[${part}]`;
    else out += out ? `.${part}` : part;
  }
  return out;
}

function joinField(base: string, prop: string): string {
  return base ? `${base}.${prop}` : prop;
}

function resolveSchemaPath(root: unknown, schemaPath: string): any {
  const parts = schemaPath
    .replace(/^#\/?/, "")
    .split("/")
    .filter((s) => s !== "");
  let cur: any = root;
  for (const raw of parts) {
    const part = decodeURIComponent(raw.replace(/~1/g, "/").replace(/~0/g, "~"));
    if (cur == null || typeof cur !== "object") return undefined;
    cur = cur[part];
  }
  return cur;
}

function asObject(v: unknown): Record<string, any> {
  return v !== null && typeof v === "object" ? (v as Record<string, any>) : {};
}

function knownProperties(schema: any, out = new Set<string>(), depth = 0): Set<string> {
  if (!schema || typeof schema !== "object" || depth > 8) return out;
  if (schema.properties && typeof schema.properties === "object") {
    for (const k of Object.keys(schema.properties)) out.add(k);
  }
  for (const key of ["allOf", "anyOf", "oneOf"]) {
    if (Array.isArray(schema[key])) for (const s of schema[key]) knownProperties(s, out, depth + 1);
  }
  for (const key of ["then", "else"]) if (schema[key]) knownProperties(schema[key], out, depth + 1);
  return out;
}

/** "when type is LOAD_BALANCER" / "when templateId is absent", derived from an `if` schema. */
function describeCondition(ifSchema: any): string {
  if (!ifSchema || typeof ifSchema !== "object") return "under a conditional rule";
  if (ifSchema.not && Array.isArray(ifSchema.not.required) && ifSchema.not.required.length === 1) {
    return `when ${ifSchema.not.required[0]} is not set`;
  }
  if (ifSchema.properties && typeof ifSchema.properties === "object") {
    const conds = Object.entries(ifSchema.properties as Record<string, any>)
      .filter(([, s]) => s && (s.const !== undefined || (Array.isArray(s.enum) && s.enum.length === 1)))
      .map(([k, s]) => `${k} is ${String(s.const !== undefined ? s.const : s.enum[0])}`);
    if (conds.length) return `when ${conds.join(" and ")}`;
  }
  return "under a conditional rule";
}

export function formatAjvErrors(errors: ErrorObject[], bodySchema: unknown, rootPrefix = "/requestBody"): string[] {
  const syntheticRoot = { properties: { requestBody: bodySchema } };
  // Conditional rules (`if`/`then`): openapi-backend de-duplicates repeated sub-schemas into
  // $refs, so errors raised inside a `then` carry the schemaPath of the shared schema instead.
  // Attach the condition to errors on the fields the `then` constrains.
  const conditions: Array<{ prefix: string; names: Set<string>; text: string }> = [];
  for (const e of errors) {
    if (e.keyword !== "if" || !bodySchema) continue;
    const branch = (e.params as any).failingKeyword === "else" ? "else" : "then";
    const ifSchema = resolveSchemaPath(syntheticRoot, e.schemaPath);
    const branchSchema = resolveSchemaPath(syntheticRoot, e.schemaPath.replace(/\/if$/, `/${branch}`));
    const names = new Set<string>([
      ...Object.keys(asObject(branchSchema).properties ?? {}),
      ...((asObject(branchSchema).required as string[] | undefined) ?? []),
    ]);
    const text = branch === "then" ? describeCondition(ifSchema) : "under a conditional rule";
    conditions.push({ prefix: e.instancePath, names, text });
  }
  const conditionFor = (e: ErrorObject): string | undefined => {
    for (const cond of conditions) {
      if (!e.instancePath.startsWith(cond.prefix)) continue;
      const rest = e.instancePath
        .slice(cond.prefix.length)
        .split("/")
        .filter((x) => x !== "");
      const top = rest[0] ?? ((e.params as any).missingProperty as string | undefined);
      if (top !== undefined && cond.names.has(top)) return cond.text;
    }
    return undefined;
  };

  let errs = errors.filter((e) => e.keyword !== "if");

  // oneOf: keep only the branch whose discriminator (`type`) matched, if exactly one did.
  for (const summary of errs.filter((e) => e.keyword === "oneOf")) {
    const prefix = summary.schemaPath + "/";
    const byBranch = new Map<string, ErrorObject[]>();
    for (const e of errs) {
      if (!e.schemaPath.startsWith(prefix)) continue;
      const idx = e.schemaPath.slice(prefix.length).split("/")[0];
      byBranch.set(idx, [...(byBranch.get(idx) ?? []), e]);
    }
    if (byBranch.size === 0) continue;
    const discriminatorPath = summary.instancePath + "/type";
    const matching = [...byBranch.entries()].filter(
      ([, list]) => !list.some((e) => e.instancePath === discriminatorPath && (e.keyword === "enum" || e.keyword === "const")),
    );
    const keep = matching.length === 1 ? new Set(matching[0][1]) : new Set<ErrorObject>();
    errs = errs.filter((e) => {
      if (e.schemaPath.startsWith(prefix)) return keep.has(e);
      if (e === summary) return keep.size === 0;
      return true;
    });
  }

  // unevaluatedProperties also fires for *known* properties whose subschema failed (annotations
  // of failing subschemas are dropped); those failures are already reported, so drop the noise.
  errs = errs.filter((e) => {
    if (e.keyword !== "unevaluatedProperties") return true;
    const parent = resolveSchemaPath(syntheticRoot, e.schemaPath.replace(/\/unevaluatedProperties$/, ""));
    const prop = String((e.params as any).unevaluatedProperty);
    return !knownProperties(parent).has(prop);
  });

  const out: string[] = [];
  for (const e of errs) {
    const field = pointerToField(e.instancePath, rootPrefix);
    const p = e.params as any;
    let line: string;
    switch (e.keyword) {
      case "required":
        if (p.missingProperty === "requestBody" && e.instancePath === "") line = "body: a JSON request body is required";
        else line = `${joinField(field, p.missingProperty)}: is required`;
        break;
      case "additionalProperties":
        line = `${joinField(field, p.additionalProperty)}: unknown field (not allowed by the schema)`;
        break;
      case "unevaluatedProperties":
        line = `${joinField(field, p.unevaluatedProperty)}: unknown field (not allowed by the schema)`;
        break;
      case "enum": {
        const allowed: unknown[] = p.allowedValues ?? [];
        const shown = allowed.slice(0, 8).map(String).join(", ");
        line = `${field || "body"}: must be one of ${shown}${allowed.length > 8 ? ", …" : ""}`;
        break;
      }
      case "const":
        line = `${field || "body"}: must be ${JSON.stringify(p.allowedValue)}`;
        break;
      case "minProperties":
        line = `${field || "body"}: at least ${p.limit} field${p.limit === 1 ? "" : "s"} must be provided`;
        break;
      case "oneOf":
        line = `${field || "body"}: must match exactly one of the allowed shapes`;
        break;
      case "parse":
        line = `body: malformed JSON (${e.message})`;
        break;
      default:
        line = `${field || "body"}: ${e.message ?? e.keyword}`;
    }
    const cond = conditionFor(e);
    if (cond) line += ` (${cond})`;
    if (!out.includes(line)) out.push(line);
  }
  if (out.length === 0 && errors.length > 0) out.push("body: does not match the request schema");
  return out;
}
