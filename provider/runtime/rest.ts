import { isNotFound, RunpodApiError } from "../client/errors";
import { JsonObject, ResourceSpec, Wire, WireApis, getPath, isObject } from "../schema/fields";
import { OperationContext } from "./context";
import { ApiObject, FieldTableHandler, idOf } from "./handler";

type Props = JsonObject;

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
 * Field-table CRUD over REST: everything a resource does that its field table and routes imply.
 * Resources with a lifecycle of their own (pods wait for readiness, endpoints scale to zero
 * before delete) override the hooks, not the whole flow.
 */
export class RestHandler<A, Apis extends WireApis, C = object> extends FieldTableHandler<A, Apis, C> {
  constructor(
    spec: ResourceSpec<A, Apis, C>,
    readonly routes: Partial<Record<Wire, RestRoutes>>,
  ) {
    super(spec);
  }

  protected routesFor(wire: Wire): RestRoutes {
    const routes = this.routes[wire];
    if (!routes) throw new Error(`${this.spec.typeName} is not available on Runpod REST ${wire}`);
    return routes;
  }

  protected itemPath(ctx: OperationContext, id: string): string {
    return `${this.routesFor(ctx.wire).collection}/${encodeURIComponent(id)}`;
  }

  protected async createObject(ctx: OperationContext, body: Props, _inputs: A): Promise<ApiObject<Apis>> {
    const routes = this.routesFor(ctx.wire);
    return ctx.http.create<ApiObject<Apis>>({ path: routes.collection, body }, () => this.findCreated(ctx, body), { kind: this.spec.typeName });
  }

  protected override async recoverCreated(ctx: OperationContext, body: Props, _inputs: A, since?: number): Promise<ApiObject<Apis> | undefined> {
    return this.findCreated(ctx, body, since);
  }

  /** GET by id; undefined when Runpod no longer has it. */
  protected async fetch(ctx: OperationContext, id: string): Promise<ApiObject<Apis> | undefined> {
    const routes = this.routesFor(ctx.wire);
    try {
      const found = await ctx.http.rest<ApiObject<Apis> | undefined>({ method: "GET", path: this.itemPath(ctx, id), query: routes.getQuery });
      // An empty or non-object answer says nothing about the object: treat it as still there.
      return isObject(found) ? found : ({ id } as ApiObject<Apis>);
    } catch (e) {
      if (isNotFound(e)) return undefined;
      throw e;
    }
  }

  protected async list(ctx: OperationContext): Promise<ApiObject<Apis>[]> {
    const routes = this.routesFor(ctx.wire);
    const result = await ctx.http.rest<unknown>({ method: "GET", path: routes.collection, query: routes.getQuery });
    const items = routes.listKey && isObject(result) ? result[routes.listKey] : result;
    return Array.isArray(items) ? items.filter(isObject) : [];
  }

  protected async updateObject(ctx: OperationContext, id: string, body: Props, _inputs: A, _changed: string[], _prior: A): Promise<ApiObject<Apis>> {
    const routes = this.routesFor(ctx.wire);
    if (Object.keys(body).length === 0 || !routes.updatable) {
      return (await this.fetch(ctx, id)) ?? ({ id } as ApiObject<Apis>);
    }
    const result = await ctx.http.rest<unknown>({ method: "PATCH", path: this.itemPath(ctx, id), body });
    if (idOf(result) !== undefined) return result;
    return (await this.fetch(ctx, id)) ?? ({ id } as ApiObject<Apis>);
  }

  protected async deleteObject(ctx: OperationContext, id: string, _props: A): Promise<void> {
    await ctx.http.rest({ method: "DELETE", path: this.itemPath(ctx, id) });
  }

  /**
   * After a create whose answer was lost: the object we may have created, matched on the name
   * (auto-names make this exact) and every other scalar we sent that the API reports back.
   */
  protected async findCreated(ctx: OperationContext, body: Props, since = Date.now()): Promise<ApiObject<Apis> | undefined> {
    const listed = await this.list(ctx);
    if (listed.some((item) => idOf(item) === undefined)) {
      // The spec lets a list leave out ids (v1 requires no field): such an answer cannot say which
      // object a create made, and "none" would make the next up create a second one.
      throw new RunpodApiError({
        status: 0,
        code: "unknown",
        method: "GET",
        path: this.routesFor(ctx.wire).collection,
        apiMessage: `Runpod listed ${this.spec.typeName}s without their ids, so which one a create made cannot be told`,
      });
    }
    const candidates = listed.filter((item) => this.isCreatedBy(ctx, item, body) && createdSince(item, since));
    if (candidates.length === 1) return candidates[0];
    if (candidates.length > 1) {
      throw new RunpodApiError({
        status: 0,
        code: "conflict",
        method: "POST",
        path: this.routesFor(ctx.wire).collection,
        apiMessage:
          `the create's response was lost and ${candidates.length} ${this.spec.typeName}s now match it ` +
          `(ids ${candidates.map((c) => idOf(c)).join(", ")}); none was adopted, so delete the ones you do not want in the Runpod console before running \`pulumi up\` again`,
      });
    }
    return undefined;
  }

  /** Whether a listed object is the one a create with `body` would have made. */
  protected isCreatedBy(_ctx: OperationContext, item: ApiObject<Apis>, body: Props): boolean {
    return matchesCreateBody(item, body);
  }
}

/**
 * Clocks differ between this machine and Runpod; an object reported created well before the
 * create started is someone else's, however alike.
 */
const CLOCK_SKEW_MS = 5 * 60_000;

function createdSince(item: unknown, since: number): boolean {
  const at = getPath(item, "createdAt");
  if (typeof at !== "string") return true;
  const t = Date.parse(at);
  return !Number.isFinite(t) || t >= since - CLOCK_SKEW_MS;
}

function matchesCreateBody(item: unknown, body: Props): boolean {
  if (getPath(item, "name") !== body.name) return false;
  for (const [key, sent] of Object.entries(body)) {
    if (sent === null || typeof sent === "object") continue;
    const reported = getPath(item, key);
    if (reported !== undefined && reported !== null && reported !== sent) return false;
  }
  return true;
}
