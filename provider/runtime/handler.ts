import { isNotFound, ResourceInitError, RunpodApiError } from "../client/errors";
import { redactError, registerSensitive } from "../client/redact";
import { AUTONAME_KEY, PROVIDER_KEY, Props, ResourceSpec, Wire, getPath, secretFieldNames } from "../schema/fields";
import { checkInputs, createBody, diffInputs, inputsFrom, outputsFrom, updateBody } from "../schema/derive";
import { OperationContext, context } from "./context";

export { ResourceInitError };

/** The six operations the dynamic-provider host calls, for one kind of resource. */
export interface KindHandler {
  check(olds: Props, news: Props): Promise<{ inputs: Props; failures: { property: string; reason: string }[] }>;
  diff(id: string, olds: Props, news: Props): Promise<{ changes: boolean; replaces: string[]; stables: string[]; deleteBeforeReplace: boolean }>;
  create(inputs: Props): Promise<{ id: string; outs: Props }>;
  read(id: string, props: Props): Promise<{ id: string; props: Props; inputs?: Props }>;
  update(id: string, olds: Props, news: Props): Promise<{ outs: Props }>;
  delete(id: string, props: Props): Promise<void>;
}

/** Where a REST resource lives on one wire. */
export interface RestRoutes {
  /** Collection path under the REST base, e.g. "/network-volumes". */
  collection: string;
  /** v2 wraps lists in an object: `{"networkVolumes": [...]}`. */
  listKey?: string;
  /** The wire has an update operation (registries have none). */
  updatable: boolean;
  /** Query parameters every GET needs (v1 templates bound to endpoints are hidden otherwise). */
  getQuery?: Record<string, string | boolean>;
}

/**
 * The host sends a ResourceInitError's properties to the engine as the resource's state, without
 * adding `__provider` as it does for a successful result; state without it could never be
 * updated or deleted, so put it back.
 */
function withProvider(error: unknown, raw: Props): unknown {
  if (error instanceof ResourceInitError && raw?.[PROVIDER_KEY] !== undefined && error.properties[PROVIDER_KEY] === undefined) {
    error.properties[PROVIDER_KEY] = raw[PROVIDER_KEY];
  }
  return error;
}

function strip(props: Props): Props {
  const { [PROVIDER_KEY]: _provider, ...rest } = props;
  return rest;
}

/**
 * Registers a resource's secret inputs for redaction. Check does it too, but a create or update
 * must not depend on check having run in this process first.
 */
export function registerSecretInputs(spec: ResourceSpec, ...propSets: Props[]): void {
  for (const name of secretFieldNames(spec)) for (const props of propSets) registerSensitive(props?.[name]);
}

/**
 * The operations the host calls, derived from a field table, whatever the transport: check and
 * diff come from the table, create/read/update/delete run the same flow (secret registration,
 * outputs, redaction, "gone" handling) around transport hooks. REST resources and the GraphQL
 * Secret differ only in those hooks.
 */
export abstract class FieldTableResource implements KindHandler {
  constructor(readonly spec: ResourceSpec) {}

  protected ctx(): OperationContext {
    return context();
  }

  async check(olds: Props, news: Props) {
    const ctx = this.ctx();
    return checkInputs(this.spec, ctx.wire, strip(olds ?? {}), strip(news ?? {}));
  }

  async diff(_id: string, olds: Props, news: Props) {
    const { changed: _changed, ...result } = diffInputs(this.spec, this.ctx().wire, strip(olds), strip(news));
    return result;
  }

  async create(rawInputs: Props) {
    const inputs = strip(rawInputs);
    registerSecretInputs(this.spec, inputs);
    const ctx = this.ctx();
    try {
      const body = await this.createRequestBody(ctx, inputs);
      const created = await this.createObject(ctx, body, inputs);
      const id = String(created.id);
      const outs = this.outputs(ctx, created, inputs);
      return { id, outs: await this.afterCreate(ctx, id, outs, inputs) };
    } catch (e) {
      throw redactError(withProvider(e, rawInputs));
    }
  }

  async read(id: string, props: Props) {
    const ctx = this.ctx();
    const prior = strip(props ?? {});
    try {
      const found = await this.fetch(ctx, id);
      if (!found) return { id: "", props: {} };
      const outs = this.outputs(ctx, found, prior);
      return { id, props: outs, inputs: inputsFrom(this.spec, outs) };
    } catch (e) {
      throw redactError(e);
    }
  }

  async update(id: string, olds: Props, news: Props) {
    const ctx = this.ctx();
    const prior = strip(olds);
    const inputs = strip(news);
    registerSecretInputs(this.spec, prior, inputs);
    try {
      const { changed } = diffInputs(this.spec, ctx.wire, prior, inputs);
      const merged = { ...prior, ...inputs };
      if (inputs[AUTONAME_KEY] === undefined) delete merged[AUTONAME_KEY];
      const body = updateBody(this.spec, ctx.wire, merged, changed);
      const updated = await this.updateObject(ctx, id, body, merged, changed, prior);
      const outs = this.outputs(ctx, updated, merged);
      return { outs: await this.afterUpdate(ctx, id, outs, merged, prior) };
    } catch (e) {
      throw redactError(withProvider(e, news));
    }
  }

  async delete(id: string, props: Props) {
    const ctx = this.ctx();
    try {
      await this.deleteObject(ctx, id, strip(props ?? {}));
    } catch (e) {
      if (isNotFound(e)) return; // already gone: the goal of a delete is met
      throw redactError(e);
    }
  }

  // ---- hooks a resource may override -------------------------------------------------------

  /**
   * Outputs from an API object (create/update response or a read), the rest carried from `prior`.
   * Override to express what a field table cannot (an API `null` that means "cleared").
   */
  protected outputs(ctx: OperationContext, apiObject: Props, prior: Props): Props {
    return outputsFrom(this.spec, ctx.wire, apiObject, prior);
  }

  protected async createRequestBody(ctx: OperationContext, inputs: Props): Promise<Props> {
    return createBody(this.spec, ctx.wire, inputs);
  }

  /** Sends the create; must never create twice after a lost answer. Returns the API object. */
  protected abstract createObject(ctx: OperationContext, body: Props, inputs: Props): Promise<Props>;

  /** Runs after the create was accepted; a failure here must report the id (ResourceInitError). */
  protected async afterCreate(_ctx: OperationContext, _id: string, outs: Props, _inputs: Props): Promise<Props> {
    return outs;
  }

  protected async afterUpdate(_ctx: OperationContext, _id: string, outs: Props, _inputs: Props, _prior: Props): Promise<Props> {
    return outs;
  }

  /** The API object by id; undefined when Runpod no longer has it. */
  protected abstract fetch(ctx: OperationContext, id: string): Promise<Props | undefined>;

  /** Applies the changed fields (`body` holds those the wire updates in place); returns the API object. */
  protected abstract updateObject(ctx: OperationContext, id: string, body: Props, inputs: Props, changed: string[], prior: Props): Promise<Props>;

  /** Deletes; a not-found error is treated as success by the caller. */
  protected abstract deleteObject(ctx: OperationContext, id: string, props: Props): Promise<void>;
}

/**
 * Field-table CRUD over REST: everything a resource does that its field table and routes imply.
 * Resources with a lifecycle of their own (pods wait for readiness, endpoints scale to zero
 * before delete) override the hooks, not the whole flow.
 */
export class RestResource extends FieldTableResource {
  constructor(
    spec: ResourceSpec,
    readonly routes: Partial<Record<Wire, RestRoutes>>,
  ) {
    super(spec);
  }

  protected routesFor(wire: Wire): RestRoutes {
    const routes = this.routes[wire];
    if (!routes) throw new Error(`${this.spec.typeName} is not available on Runpod REST ${wire}`);
    return routes;
  }

  protected async createObject(ctx: OperationContext, body: Props, _inputs: Props): Promise<Props> {
    const routes = this.routesFor(ctx.wire);
    return ctx.http.create({ path: routes.collection, body }, () => this.findCreated(ctx, body), { kind: this.spec.typeName });
  }

  /** GET by id; undefined when Runpod no longer has it. */
  protected async fetch(ctx: OperationContext, id: string): Promise<Props | undefined> {
    const routes = this.routesFor(ctx.wire);
    try {
      return await ctx.http.rest({ method: "GET", path: `${routes.collection}/${encodeURIComponent(id)}`, query: routes.getQuery });
    } catch (e) {
      if (isNotFound(e)) return undefined;
      throw e;
    }
  }

  protected async list(ctx: OperationContext): Promise<Props[]> {
    const routes = this.routesFor(ctx.wire);
    const result = await ctx.http.rest({ method: "GET", path: routes.collection, query: routes.getQuery });
    const items = routes.listKey ? result?.[routes.listKey] : result;
    return Array.isArray(items) ? items : [];
  }

  protected async updateObject(ctx: OperationContext, id: string, body: Props, _inputs: Props, _changed: string[], _prior: Props): Promise<Props> {
    const routes = this.routesFor(ctx.wire);
    const path = `${routes.collection}/${encodeURIComponent(id)}`;
    if (Object.keys(body).length === 0 || !routes.updatable) {
      return (await this.fetch(ctx, id)) ?? {};
    }
    const result = await ctx.http.rest({ method: "PATCH", path, body });
    return result && typeof result === "object" && result.id ? result : ((await this.fetch(ctx, id)) ?? {});
  }

  protected async deleteObject(ctx: OperationContext, id: string, _props: Props): Promise<void> {
    const routes = this.routesFor(ctx.wire);
    await ctx.http.rest({ method: "DELETE", path: `${routes.collection}/${encodeURIComponent(id)}` });
  }

  /**
   * After a create whose response was lost: the object we may have created, matched on the name
   * (auto-names make this exact) and every other scalar we sent that the API reports back.
   */
  protected async findCreated(ctx: OperationContext, body: Props): Promise<Props | undefined> {
    const candidates = (await this.list(ctx)).filter((item) => this.isCreatedBy(ctx, item, body));
    if (candidates.length === 1) return candidates[0];
    if (candidates.length > 1) {
      throw new RunpodApiError({
        status: 0,
        code: "conflict",
        method: "POST",
        path: this.routesFor(ctx.wire).collection,
        apiMessage:
          `the create's response was lost and ${candidates.length} ${this.spec.typeName}s now match it ` +
          `(ids ${candidates.map((c) => c.id).join(", ")}); none was adopted, so delete the ones you do not want in the Runpod console before running \`pulumi up\` again`,
      });
    }
    return undefined;
  }

  /** Whether a listed object is the one a create with `body` would have made. */
  protected isCreatedBy(_ctx: OperationContext, item: Props, body: Props): boolean {
    return matchesCreateBody(item, body);
  }
}

function matchesCreateBody(item: Props, body: Props): boolean {
  if (item.name !== body.name) return false;
  for (const [key, sent] of Object.entries(body)) {
    if (sent === null || typeof sent === "object") continue;
    const reported = getPath(item, key);
    if (reported !== undefined && reported !== null && reported !== sent) return false;
  }
  return true;
}
