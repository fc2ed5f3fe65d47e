// GraphQL wire: only Runpod's secret operations. A small parser for GraphQL executable documents
// (operations, variables, arguments with literals or variables, nested selections, aliases,
// __typename) plus an executor for:
//   mutation secretCreate(input: SecretCreateInput!): Secret
//   mutation secretValueUpdate(input: SecretValueUpdateInput!): Secret
//   mutation secretDescriptionUpdate(input: SecretDescriptionUpdateInput!): Secret
//   mutation secretDelete(id: ID!): Void            (success = {"data":{"secretDelete":null}})
//   query    myself { secrets { id name description createdAt updatedAt } }
// Domain errors (duplicate name, unknown id) answer HTTP 200 with {"data": null, "errors": [...]}.
// A secret's value is stored but can never be read back (the Secret type has no value field).
import { DomainError, Store, StoredSecret } from "./state";
import { WireResult } from "./wire";
import { Field, Operation, Value, parseDocument } from "./graphql/parse";

export { GraphQLSyntaxError, parseDocument } from "./graphql/parse";
export type { Field, Operation, Value } from "./graphql/parse";

// ------------------------------------------------------------------------------ executor

class FieldError extends Error {
  constructor(
    message: string,
    public readonly code: string,
  ) {
    super(message);
  }
}

interface InputField {
  type: "String" | "ID";
  required: boolean;
}

const INPUT_TYPES: Record<string, Record<string, InputField>> = {
  SecretCreateInput: {
    name: { type: "String", required: true },
    value: { type: "String", required: true },
    description: { type: "String", required: false },
  },
  SecretValueUpdateInput: { id: { type: "ID", required: true }, value: { type: "String", required: true } },
  SecretDescriptionUpdateInput: { id: { type: "ID", required: true }, description: { type: "String", required: true } },
};

const MUTATIONS: Record<string, { argName: string; argType: string }> = {
  secretCreate: { argName: "input", argType: "SecretCreateInput" },
  secretValueUpdate: { argName: "input", argType: "SecretValueUpdateInput" },
  secretDescriptionUpdate: { argName: "input", argType: "SecretDescriptionUpdateInput" },
  secretDelete: { argName: "id", argType: "ID" },
};

const SECRET_FIELDS = new Set(["id", "name", "description", "createdAt", "updatedAt", "__typename"]);

function resolveValue(v: Value, vars: Record<string, unknown>): unknown {
  switch (v.kind) {
    case "var":
      return vars[v.name];
    case "literal":
      return v.value;
    case "list":
      return v.items.map((i) => resolveValue(i, vars));
    case "object":
      return Object.fromEntries(v.fields.map(([k, fv]) => [k, resolveValue(fv, vars)]));
  }
}

function coerceInput(typeName: string, value: unknown, where: string): Record<string, string | null | undefined> {
  const spec = INPUT_TYPES[typeName];
  if (value === null || value === undefined || typeof value !== "object" || Array.isArray(value)) {
    throw new FieldError(`${where} of required type "${typeName}!" was not provided.`, "BAD_USER_INPUT");
  }
  const obj = value as Record<string, unknown>;
  const out: Record<string, string | null | undefined> = {};
  for (const key of Object.keys(obj)) {
    if (!spec[key]) throw new FieldError(`Field "${key}" is not defined by type "${typeName}".`, "BAD_USER_INPUT");
  }
  for (const [key, f] of Object.entries(spec)) {
    const v = obj[key];
    if (v === undefined || v === null) {
      if (f.required) throw new FieldError(`Field "${typeName}.${key}" of required type "${f.type}!" was not provided.`, "BAD_USER_INPUT");
      if (v === null) out[key] = null;
      continue;
    }
    if (typeof v !== "string" && !(f.type === "ID" && typeof v === "number")) {
      throw new FieldError(`${f.type} cannot represent a non string value: ${JSON.stringify(v)} (field "${typeName}.${key}")`, "BAD_USER_INPUT");
    }
    out[key] = String(v);
  }
  return out;
}

function checkSecretSelection(selections: Field[] | null, path: string): void {
  if (!selections) throw new FieldError(`Field "${path}" of type "Secret" must have a selection of subfields.`, "GRAPHQL_VALIDATION_FAILED");
  for (const f of selections) {
    if (!SECRET_FIELDS.has(f.name)) throw new FieldError(`Cannot query field "${f.name}" on type "Secret".`, "GRAPHQL_VALIDATION_FAILED");
    if (f.selections) throw new FieldError(`Field "${f.name}" must not have a selection since its type has no subfields.`, "GRAPHQL_VALIDATION_FAILED");
  }
}

function projectSecret(s: StoredSecret, selections: Field[] | null, path: string): Record<string, unknown> {
  checkSecretSelection(selections, path);
  const out: Record<string, unknown> = {};
  for (const f of selections ?? []) {
    out[f.alias] = f.name === "__typename" ? "Secret" : ((s as unknown as Record<string, unknown>)[f.name] ?? null);
  }
  return out;
}

export interface GraphQLRequestInfo {
  /** Root field names executed (e.g. ["secretCreate"]) — used for logging and fault decisions. */
  operations: string[];
}

/** Parse + validate enough to know which root fields a request runs (before executing it). */
export function inspectGraphQL(body: unknown): { ok: true; op: Operation; info: GraphQLRequestInfo } | { ok: false; result: WireResult } {
  const b = body !== null && typeof body === "object" && !Array.isArray(body) ? (body as Record<string, unknown>) : null;
  if (!b || typeof b.query !== "string") {
    return { ok: false, result: gqlErrors(400, [{ message: "Must provide query string." }]) };
  }
  let ops: Operation[];
  try {
    ops = parseDocument(b.query);
  } catch (err) {
    return { ok: false, result: gqlErrors(400, [{ message: (err as Error).message, extensions: { code: "GRAPHQL_PARSE_FAILED" } }]) };
  }
  const opName = typeof b.operationName === "string" ? b.operationName : null;
  const op = opName ? ops.find((o) => o.name === opName) : ops.length === 1 ? ops[0] : undefined;
  if (!op) {
    const message = opName ? `Unknown operation named "${opName}".` : "Must provide operation name if query contains multiple operations.";
    return { ok: false, result: gqlErrors(400, [{ message }]) };
  }
  if (op.type === "subscription") return { ok: false, result: gqlErrors(400, [{ message: "Subscriptions are not supported." }]) };
  return { ok: true, op, info: { operations: op.selections.map((s) => s.name) } };
}

function gqlErrors(status: number, errors: Array<Record<string, unknown>>): WireResult {
  return { status, body: { errors } };
}

export function executeGraphQL(store: Store, op: Operation, body: unknown): WireResult {
  const b = body as Record<string, unknown>;
  const vars: Record<string, unknown> = {};
  const provided = b.variables !== null && typeof b.variables === "object" ? (b.variables as Record<string, unknown>) : {};
  for (const v of op.variables) {
    const val = provided[v.name] !== undefined ? provided[v.name] : v.defaultValue ? resolveValue(v.defaultValue, {}) : undefined;
    if ((val === undefined || val === null) && v.type.endsWith("!")) {
      return gqlErrors(200, [{ message: `Variable "$${v.name}" of required type "${v.type}" was not provided.`, extensions: { code: "BAD_USER_INPUT" } }]);
    }
    vars[v.name] = val;
  }

  const data: Record<string, unknown> = {};
  const errors: Array<Record<string, unknown>> = [];
  const rootType = op.type === "mutation" ? "Mutation" : "Query";

  for (const field of op.selections) {
    try {
      if (field.name === "__typename") {
        data[field.alias] = rootType;
        continue;
      }
      const args = Object.fromEntries(field.args.map(([k, v]) => [k, resolveValue(v, vars)]));
      if (op.type === "mutation") {
        const m = MUTATIONS[field.name];
        if (!m) throw new FieldError(`Cannot query field "${field.name}" on type "Mutation".`, "GRAPHQL_VALIDATION_FAILED");
        for (const k of Object.keys(args)) {
          if (k !== m.argName) throw new FieldError(`Unknown argument "${k}" on field "Mutation.${field.name}".`, "GRAPHQL_VALIDATION_FAILED");
        }
        if (field.name === "secretDelete") {
          const id = args.id;
          if (typeof id !== "string" && typeof id !== "number") {
            throw new FieldError(`Field "secretDelete" argument "id" of type "ID!" is required, but it was not provided.`, "BAD_USER_INPUT");
          }
          store.deleteSecret(String(id));
          data[field.alias] = null;
          continue;
        }
        checkSecretSelection(field.selections, field.name);
        const input = coerceInput(m.argType, args[m.argName], `Field "${field.name}" argument "${m.argName}"`);
        let secret: StoredSecret;
        if (field.name === "secretCreate") {
          secret = store.createSecret({ name: input.name as string, value: input.value as string, description: input.description ?? null });
        } else if (field.name === "secretValueUpdate") {
          secret = store.updateSecretValue(input.id as string, input.value as string);
        } else {
          secret = store.updateSecretDescription(input.id as string, input.description as string);
        }
        data[field.alias] = projectSecret(secret, field.selections, field.name);
      } else {
        if (field.name !== "myself") throw new FieldError(`Cannot query field "${field.name}" on type "Query".`, "GRAPHQL_VALIDATION_FAILED");
        if (!field.selections) throw new FieldError(`Field "myself" of type "User" must have a selection of subfields.`, "GRAPHQL_VALIDATION_FAILED");
        const user: Record<string, unknown> = {};
        for (const f of field.selections) {
          if (f.name === "secrets") {
            checkSecretSelection(f.selections, "secrets");
            user[f.alias] = store.listed(store.listSecrets()).map((s) => projectSecret(s, f.selections, "secrets"));
          } else if (f.name === "id") {
            user[f.alias] = "user_emulator";
          } else if (f.name === "__typename") {
            user[f.alias] = "User";
          } else {
            throw new FieldError(`Cannot query field "${f.name}" on type "User".`, "GRAPHQL_VALIDATION_FAILED");
          }
        }
        data[field.alias] = user;
      }
    } catch (err) {
      if (err instanceof FieldError) {
        errors.push({ message: err.message, path: [field.alias], extensions: { code: err.code } });
      } else if (err instanceof DomainError) {
        errors.push({
          message: err.message,
          path: [field.alias],
          extensions: { code: err.kind === "notFound" ? "NOT_FOUND" : "BAD_USER_INPUT" },
        });
      } else {
        throw err;
      }
      data[field.alias] = null;
    }
  }
  if (errors.length) return { status: 200, body: { data: null, errors } };
  return { status: 200, body: { data } };
}
