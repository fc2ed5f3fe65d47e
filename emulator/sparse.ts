// Sparse mode: answer with the least the official spec allows, so clients are tested against
// what Runpod *may* send rather than what it usually sends. Derived from the response schema of
// the operation (no per-field lists):
//   - object properties the schema does not mark `required` are dropped;
//   - a required property whose schema allows null is null;
//   - a list is empty where the schema allows it (no `minItems`), except lists of identified
//     objects (items with an `id` property: the pods of `GET /pods`, an endpoint's releases…),
//     which are the data itself; their items are made sparse in turn;
//   - a free-form object (no declared properties, e.g. `env`) is `{}` below the top level.
import { loadSpec, RestWire } from "./specs";

type Schema = Record<string, any>;

interface Facets {
  required: Set<string>;
  props: Map<string, Schema[]>;
  nullable: boolean;
  minItems: number;
  items: Schema[];
  declared: boolean;
}

const specs = new Map<RestWire, Schema>();
function spec(wire: RestWire): Schema {
  let s = specs.get(wire);
  if (!s) {
    s = loadSpec(wire);
    specs.set(wire, s);
  }
  return s;
}

function resolve(root: Schema, s: unknown): Schema {
  let cur = (s ?? {}) as Schema;
  for (let i = 0; i < 32 && typeof cur.$ref === "string"; i++) {
    const parts = cur.$ref.replace(/^#\//, "").split("/");
    let next: any = root;
    for (const p of parts) next = next?.[p.replace(/~1/g, "/").replace(/~0/g, "~")];
    cur = (next ?? {}) as Schema;
  }
  return cur;
}

/** Merge what every part of a schema says (allOf, and any branch of anyOf/oneOf/if-then-else). */
function facets(root: Schema, schema: unknown, out?: Facets, depth = 0): Facets {
  const f: Facets = out ?? { required: new Set(), props: new Map(), nullable: false, minItems: 0, items: [], declared: false };
  const s = resolve(root, schema);
  if (depth > 16) return f;
  const types = Array.isArray(s.type) ? s.type : s.type !== undefined ? [s.type] : [];
  if (types.includes("null") || s.nullable === true || (Array.isArray(s.enum) && s.enum.includes(null)) || s.const === null) f.nullable = true;
  for (const r of Array.isArray(s.required) ? s.required : []) f.required.add(r);
  if (s.properties && typeof s.properties === "object") {
    f.declared = true;
    for (const [k, v] of Object.entries(s.properties)) f.props.set(k, [...(f.props.get(k) ?? []), v as Schema]);
  }
  if (typeof s.minItems === "number") f.minItems = Math.max(f.minItems, s.minItems);
  if (s.items) f.items.push(s.items);
  for (const key of ["allOf", "anyOf", "oneOf"]) {
    for (const part of Array.isArray(s[key]) ? s[key] : []) facets(root, part, f, depth + 1);
  }
  for (const key of ["then", "else"]) if (s[key]) facets(root, s[key], f, depth + 1);
  return f;
}

function mergedFacets(root: Schema, schemas: Schema[]): Facets {
  const f: Facets = { required: new Set(), props: new Map(), nullable: false, minItems: 0, items: [], declared: false };
  for (const s of schemas) facets(root, s, f);
  return f;
}

function isIdentified(root: Schema, itemSchemas: Schema[]): boolean {
  return mergedFacets(root, itemSchemas).props.has("id");
}

function sparseValue(root: Schema, schemas: Schema[], value: unknown, top: boolean): unknown {
  if (value === null || typeof value !== "object") return value;
  const f = mergedFacets(root, schemas);
  if (Array.isArray(value)) {
    if (top || isIdentified(root, f.items)) return value.map((v) => sparseValue(root, f.items, v, false));
    if (f.minItems === 0) return [];
    return value.map((v) => sparseValue(root, f.items, v, false));
  }
  if (!f.declared) return top ? value : {};
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
    if (!f.required.has(k)) continue;
    const propSchemas = f.props.get(k) ?? [];
    out[k] = mergedFacets(root, propSchemas).nullable ? null : sparseValue(root, propSchemas, v, false);
  }
  return out;
}

const responseSchemas = new Map<string, Schema | null>();

/** The JSON response schema the spec declares for this operation and status (or its 2XX / default). */
export function responseSchema(wire: RestWire, operationId: string, status: number): Schema | null {
  const key = `${wire}:${operationId}:${status}`;
  if (responseSchemas.has(key)) return responseSchemas.get(key)!;
  let found: Schema | null = null;
  for (const item of Object.values<Schema>((spec(wire).paths ?? {}) as Record<string, Schema>)) {
    for (const op of Object.values(item) as Schema[]) {
      if (op?.operationId !== operationId) continue;
      const responses = op.responses ?? {};
      const r = resolve(spec(wire), responses[String(status)] ?? responses[`${String(status)[0]}XX`] ?? responses.default);
      const content = r.content ?? {};
      const media = content["application/json"] ?? Object.values(content)[0];
      found = (media as Schema | undefined)?.schema ?? null;
    }
  }
  responseSchemas.set(key, found);
  return found;
}

/** The body reduced to what the spec requires for this operation's answer (unchanged if the spec has no schema). */
export function sparsify(wire: RestWire, operationId: string, status: number, body: unknown): unknown {
  const schema = responseSchema(wire, operationId, status);
  if (!schema) return body;
  return sparseValue(spec(wire), [schema], body, true);
}
