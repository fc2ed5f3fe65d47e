import { isNotFound, ResourceInitError } from "../client/errors";
import { redactError, registerSensitive } from "../client/redact";
import { AUTONAME_KEY, JsonObject, PROVIDER_KEY, ResourceSpec, WireApis, loose, secretFieldNames } from "../schema/fields";
import { checkInputs, createBody, diffInputs, inputsFrom, outputsFrom, updateBody } from "../schema/derive";
import { OperationContext, context } from "./context";
import { notice } from "./notice";

export { ResourceInitError };

type Props = JsonObject;

/** The six operations the dynamic-provider host calls, for one kind of resource. */
export interface KindHandler {
  check(olds: Props, news: Props): Promise<{ inputs: Props; failures: { property: string; reason: string }[] }>;
  diff(id: string, olds: Props, news: Props): Promise<{ changes: boolean; replaces: string[]; stables: string[]; deleteBeforeReplace: boolean }>;
  create(inputs: Props): Promise<{ id: string; outs: Props }>;
  read(id: string, props: Props): Promise<{ id: string; props: Props; inputs?: Props }>;
  update(id: string, olds: Props, news: Props): Promise<{ outs: Props }>;
  delete(id: string, props: Props): Promise<void>;
}

/** An API object of the resource on whichever wire is active. */
export type ApiObject<Apis extends WireApis> = Apis["v2"] | Apis["v1"];

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

function messageOf(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

/**
 * Registers a resource's secret inputs for redaction. Check does it too, but a create or update
 * must not depend on check having run in this process first.
 */
export function registerSecretInputs<A, Apis extends WireApis, C>(spec: ResourceSpec<A, Apis, C>, ...propSets: Props[]): void {
  for (const name of secretFieldNames(loose(spec))) for (const props of propSets) registerSensitive(props?.[name]);
}

/**
 * The operations the host calls, derived from a field table, whatever the transport: check and
 * diff come from the table, create/read/update/delete run the same flow (secret registration,
 * outputs, redaction, "gone" handling, keeping an accepted create in state) around transport
 * hooks. REST resources and the GraphQL Secret differ only in those hooks, which receive the
 * resource's typed inputs `A` and its API objects `Apis`.
 */
export abstract class FieldTableHandler<A, Apis extends WireApis, C = object> implements KindHandler {
  constructor(readonly spec: ResourceSpec<A, Apis, C>) {}

  protected ctx(): OperationContext {
    return context();
  }

  async check(olds: Props, news: Props) {
    return checkInputs(this.spec, this.ctx().wire, strip(olds ?? {}), strip(news ?? {}));
  }

  async diff(_id: string, olds: Props, news: Props) {
    const { changed: _changed, reasons, ...result } = diffInputs(this.spec, this.ctx().wire, strip(olds), strip(news));
    if (reasons.length > 0) {
      const name = typeof olds.name === "string" ? ` "${olds.name}"` : "";
      notice(`${this.spec.typeName}${name} will be replaced: ${reasons.map((r) => r.reason).join("; ")}`);
    }
    return result;
  }

  async create(rawInputs: Props) {
    const inputs = strip(rawInputs);
    registerSecretInputs(this.spec, inputs);
    const ctx = this.ctx();
    const typed = inputs as A;
    try {
      const body = await this.createRequestBody(ctx, typed);
      let created = await this.createObject(ctx, body, typed);
      let id = idOf(created);
      if (id === undefined) {
        // The spec requires an id, but an answer without one must not lose what Runpod created.
        const found = await this.recoverCreated(ctx, body, typed);
        if (found !== undefined && idOf(found) !== undefined) {
          created = found;
          id = idOf(found);
        }
      }
      if (id === undefined) {
        throw new Error(
          `Runpod accepted the ${this.spec.typeName} create but its answer carried no id; run \`pulumi refresh\` after checking the Runpod console`,
        );
      }
      // From here on Runpod holds the object: whatever fails must keep its id in state.
      try {
        const outs = this.outputs(ctx, created, typed);
        return { id, outs: await this.afterCreate(ctx, id, outs, typed) };
      } catch (e) {
        if (e instanceof ResourceInitError) throw e;
        throw new ResourceInitError(
          `${this.spec.typeName} ${id} was created but ${messageOf(e)}. It is kept in the stack: run \`pulumi up\` to finish it, or \`pulumi destroy\` to delete it`,
          id,
          { ...inputs, ...this.safeOutputs(ctx, created, typed) },
        );
      }
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
      const outs = this.outputs(ctx, found, prior as A);
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
      const updated = await this.updateObject(ctx, id, body, merged as A, changed, prior as A);
      const outs = this.outputs(ctx, updated, merged as A);
      return { outs: await this.afterUpdate(ctx, id, outs, merged as A, prior as A) };
    } catch (e) {
      throw redactError(withProvider(e, news));
    }
  }

  async delete(id: string, props: Props) {
    const ctx = this.ctx();
    try {
      await this.deleteObject(ctx, id, strip(props ?? {}) as A);
    } catch (e) {
      if (isNotFound(e)) return; // already gone: the goal of a delete is met
      throw redactError(e);
    }
  }

  private safeOutputs(ctx: OperationContext, apiObject: ApiObject<Apis> | undefined, prior: A): Props {
    try {
      return apiObject ? this.outputs(ctx, apiObject, prior) : {};
    } catch {
      return {};
    }
  }

  // ---- hooks a resource may override -------------------------------------------------------

  /**
   * Outputs from an API object (create/update answer or a read), the rest carried from `prior`.
   * Override to express what a field table cannot (an API `null` that means "cleared").
   */
  protected outputs(ctx: OperationContext, apiObject: ApiObject<Apis>, prior: A): Props {
    return outputsFrom(this.spec, ctx.wire, apiObject, prior as Props);
  }

  protected async createRequestBody(ctx: OperationContext, inputs: A): Promise<Props> {
    return createBody(this.spec, ctx.wire, inputs as Props);
  }

  /** Sends the create; must never create twice after a lost answer. Returns the API object. */
  protected abstract createObject(ctx: OperationContext, body: Props, inputs: A): Promise<ApiObject<Apis>>;

  /**
   * Finds the object a create made when its answer did not say which it is (a lost answer, or
   * one without an id). Undefined: not found, or this kind cannot look.
   */
  protected async recoverCreated(_ctx: OperationContext, _body: Props, _inputs: A): Promise<ApiObject<Apis> | undefined> {
    return undefined;
  }

  /** Runs after the create was accepted; the flow keeps the id in state whatever it throws. */
  protected async afterCreate(_ctx: OperationContext, _id: string, outs: Props, _inputs: A): Promise<Props> {
    return outs;
  }

  protected async afterUpdate(_ctx: OperationContext, _id: string, outs: Props, _inputs: A, _prior: A): Promise<Props> {
    return outs;
  }

  /** The API object by id; undefined when Runpod no longer has it. */
  protected abstract fetch(ctx: OperationContext, id: string): Promise<ApiObject<Apis> | undefined>;

  /** Applies the changed fields (`body` holds those the wire updates in place); returns the API object. */
  protected abstract updateObject(ctx: OperationContext, id: string, body: Props, inputs: A, changed: string[], prior: A): Promise<ApiObject<Apis>>;

  /** Deletes; a not-found error is treated as success by the caller. */
  protected abstract deleteObject(ctx: OperationContext, id: string, props: A): Promise<void>;
}

/** The id of an API object, if it has a usable one. */
export function idOf(apiObject: unknown): string | undefined {
  if (apiObject === null || typeof apiObject !== "object") return undefined;
  const id = (apiObject as { id?: unknown }).id;
  return (typeof id === "string" && id !== "") || typeof id === "number" ? String(id) : undefined;
}
