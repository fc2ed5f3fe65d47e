import { CreateOutcomeUnknownError, hasCode, isNotFound, ResourceInitError } from "../client/errors";
import { ABSENT_LOOKS } from "../client/recovery";
import { redactError, registerSensitive } from "../client/redact";
import { AUTONAME_KEY, JsonObject, PROVIDER_KEY, ResourceSpec, WireApis, loose, secretFieldNames } from "../schema/fields";
import { ADOPT_KEY, planAdoption } from "../schema/adopt";
import { createBody, diffInputs, inputsFrom, outputsFrom, updateBody } from "../schema/derive";
import { OperationContext, context } from "./context";
import { adoptConflict, adoptNotFound } from "./adopt";
import { PENDING_ID_PREFIX, checkResource, diffResource, isPendingId, strip } from "./plan";
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

function pendingStartedAt(id: string): number {
  return Number(id.slice(PENDING_ID_PREFIX.length));
}

/** An error's message, whatever was thrown. */
export function messageOf(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

/** The name a resource's inputs give it, for messages. */
function nameOf(props: Props): string {
  return typeof props.name === "string" ? props.name : "";
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * What a create whose outcome stayed unknown tells the user: the object may exist (and be billed),
 * it is tracked as pending, and what each command does with it. Built from the error's fields, not
 * its message, whose advice (delete or import by hand) is for callers that cannot keep it.
 */
function pendingMessage(typeName: string, e: unknown, sentName: unknown): string {
  const kind = e instanceof CreateOutcomeUnknownError ? e.create.kind : typeName;
  const name = e instanceof CreateOutcomeUnknownError && e.create.name ? e.create.name : typeof sentName === "string" ? sentName : undefined;
  const last = messageOf(e instanceof CreateOutcomeUnknownError ? e.lastError : e);
  return (
    `creating ${kind}${name ? ` "${name}"` : ""}: Runpod's answer was lost and Runpod could not be asked whether the ${kind} exists ` +
    `before runpod:createRecoveryTimeoutSeconds ran out (last error: ${last}). The ${kind} may exist (and be billed): it is kept in the stack as pending. ` +
    `Once Runpod answers again, \`pulumi refresh\` adopts it if it exists; \`pulumi up\` creates it only if Runpod has none; \`pulumi destroy\` deletes it if it exists`
  );
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
    return checkResource(this.spec, this.ctx(), olds, news);
  }

  async diff(id: string, olds: Props, news: Props) {
    if (isPendingId(id)) return this.diffPending(id, strip(olds));
    return diffResource(this.spec, this.ctx(), olds, news);
  }

  async create(rawInputs: Props) {
    const inputs = strip(rawInputs);
    registerSecretInputs(this.spec, inputs);
    const ctx = this.ctx();
    const typed = inputs as A;
    const startedAt = Date.now();
    try {
      if (typeof inputs[ADOPT_KEY] === "string") return await this.adopt(ctx, inputs[ADOPT_KEY], inputs);
      const body = await this.createRequestBody(ctx, typed);
      let created: ApiObject<Apis>;
      try {
        created = await this.createObject(ctx, body, typed);
      } catch (e) {
        if (!hasCode(e, "create_outcome_unknown")) throw e;
        // Runpod may hold (and bill) the object: keep it in state under a pending id that the next
        // refresh, up or destroy resolves by looking for what this create sent.
        throw new ResourceInitError(pendingMessage(this.spec.typeName, e, body.name ?? inputs.name), `${PENDING_ID_PREFIX}${startedAt}`, { ...inputs });
      }
      let id = idOf(created);
      if (id === undefined) {
        // The spec lets an answer leave the id out (v1 requires nothing), but Runpod created the
        // object: find it by what was sent, else keep it pending so nothing paid for goes untracked.
        let lookup = "no listed object matches it";
        const found = await this.recoverCreated(ctx, body, typed, startedAt).catch((e: unknown) => {
          lookup = `the lookup failed: ${messageOf(e)}`;
          return undefined;
        });
        id = idOf(found);
        if (found === undefined || id === undefined) {
          const name = typeof (body.name ?? inputs.name) === "string" ? ` "${String(body.name ?? inputs.name)}"` : "";
          throw new ResourceInitError(
            `${this.spec.typeName}${name}: Runpod accepted the create but its answer carried no id, and ${lookup}. It is kept in the stack as pending: ` +
              "`pulumi refresh` adopts it once Runpod lists it with its id; `pulumi destroy` deletes it if it can be found",
            `${PENDING_ID_PREFIX}${startedAt}`,
            { ...inputs },
          );
        }
        created = found;
      }
      // From here on Runpod holds the object: whatever fails must keep its id in state.
      try {
        return { id, outs: await this.afterCreate(ctx, id, created, typed) };
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

  /**
   * A create given `adoptId`: read the existing object, refuse fields it cannot take in place,
   * apply the differing in-place ones with one update (with the resource's after-update work, a
   * pod's start and readiness wait), and return its id. Never sends a create.
   */
  private async adopt(ctx: OperationContext, adoptId: string, inputs: Props): Promise<{ id: string; outs: Props }> {
    const found = await this.findAdoptable(ctx, adoptId).catch((e: unknown) => {
      if (hasCode(e, "not_found", "validation")) throw adoptNotFound(this.spec.typeName, adoptId, messageOf(e));
      throw e;
    });
    const id = idOf(found);
    if (found === undefined || id === undefined) throw adoptNotFound(this.spec.typeName, adoptId);
    const current = this.outputs(ctx, found, inputs as A);
    const { changed, conflicts } = planAdoption(this.spec, ctx.wire, current, this.outputs(ctx, found, {} as A), inputs);
    if (conflicts.length > 0) throw adoptConflict(this.spec.typeName, adoptId, conflicts);
    if (changed.length === 0) return { id, outs: current };
    // From here on the object is changed: whatever fails keeps it in state, as after a create.
    const merged = { ...current, ...inputs };
    try {
      const updated = await this.updateObject(ctx, id, updateBody(this.spec, ctx.wire, merged, changed), merged as A, changed, current as A);
      return { id, outs: await this.afterUpdate(ctx, id, this.outputs(ctx, updated, merged as A), merged as A, current as A) };
    } catch (e) {
      if (e instanceof ResourceInitError) throw e;
      throw new ResourceInitError(
        `${this.spec.typeName} ${id} was adopted but ${messageOf(e)}. It is kept in the stack: run \`pulumi up\` to finish it`,
        id,
        current,
      );
    }
  }

  async read(id: string, props: Props) {
    const ctx = this.ctx();
    const prior = strip(props ?? {});
    try {
      const found = isPendingId(id) ? await this.resolvePending(ctx, id, prior) : await this.fetch(ctx, id);
      if (!found) return { id: "", props: {} };
      const outs = this.outputs(ctx, found, prior as A);
      return { id: idOf(found) ?? id, props: outs, inputs: inputsFrom(this.spec, outs) };
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
      if (isPendingId(id)) await this.updatePending(ctx, id, prior);
      const { changed } = diffInputs(this.spec, ctx.wire, prior, inputs);
      const merged = { ...prior, ...inputs };
      if (inputs[AUTONAME_KEY] === undefined) delete merged[AUTONAME_KEY];
      const body = await this.updateRequestBody(ctx, id, inputs as A, merged as A, changed, prior as A);
      const updated = await this.updateObject(ctx, id, body, merged as A, changed, prior as A);
      const outs = this.outputs(ctx, updated, merged as A);
      return { outs: await this.afterUpdate(ctx, id, outs, merged as A, prior as A) };
    } catch (e) {
      throw redactError(withProvider(e, news));
    }
  }

  async delete(id: string, props: Props) {
    const ctx = this.ctx();
    const prior = strip(props ?? {});
    try {
      if (isPendingId(id)) {
        const found = await this.resolvePending(ctx, id, prior);
        const realId = idOf(found);
        if (realId !== undefined) await this.deleteObject(ctx, realId, prior as A);
        return;
      }
      await this.deleteObject(ctx, id, prior as A);
    } catch (e) {
      if (isNotFound(e)) return; // already gone: the goal of a delete is met
      throw redactError(e);
    }
  }

  // ---- a create whose outcome was unknown -------------------------------------------------

  /**
   * The object a pending create made, looked for by what that create sent; undefined: none.
   * Runpod may list a new object only a while later, and "none" makes the next `up` create it
   * again: absence is believed only after several looks, as in the client's create recovery.
   * A match is read again by id, so an adopted object's state is what a refresh would record.
   */
  private async resolvePending(ctx: OperationContext, id: string, prior: Props): Promise<ApiObject<Apis> | undefined> {
    const body = await this.createRequestBody(ctx, prior as A);
    for (let look = 1; ; look++) {
      const found = await this.recoverCreated(ctx, body, prior as A, pendingStartedAt(id));
      const realId = idOf(found);
      if (found !== undefined && realId !== undefined) return this.fetch(ctx, realId);
      if (look >= ABSENT_LOOKS) return undefined;
      await sleep(ctx.settings.pollIntervalMs);
    }
  }

  /**
   * A pending resource in an `up`: if Runpod has nothing, replace it (which creates it now); if
   * the lookup finds it or cannot tell, update, where the outcome is explained.
   */
  private async diffPending(id: string, prior: Props) {
    let found: ApiObject<Apis> | undefined;
    try {
      found = await this.resolvePending(this.ctx(), id, prior);
    } catch {
      return { changes: true, replaces: [], stables: [], deleteBeforeReplace: false };
    }
    if (found !== undefined) return { changes: true, replaces: [], stables: [], deleteBeforeReplace: false };
    notice(`${this.spec.typeName} "${nameOf(prior)}" will be created: its earlier create's outcome was unknown and Runpod has no such object`);
    return { changes: true, replaces: ["name"], stables: [], deleteBeforeReplace: true };
  }

  /**
   * The engine cannot change a resource's id in an update, only in a refresh: an update of a
   * pending resource explains what Runpod holds and keeps it pending.
   */
  private async updatePending(ctx: OperationContext, id: string, prior: Props): Promise<never> {
    const what = `${this.spec.typeName} "${nameOf(prior)}"`;
    let found: ApiObject<Apis> | undefined;
    try {
      found = await this.resolvePending(ctx, id, prior);
    } catch (e) {
      throw new ResourceInitError(
        `${what}: Runpod still cannot be asked whether an earlier create made it (${messageOf(e)}); it may exist. Run \`pulumi refresh\` once Runpod answers`,
        id,
        prior,
      );
    }
    const realId = idOf(found);
    throw new ResourceInitError(
      realId !== undefined
        ? `${what} exists on Runpod as ${realId} (made by an earlier create whose answer was lost); run \`pulumi refresh\` to adopt it into the stack, then \`pulumi up\``
        : `${what} is not on Runpod; run \`pulumi refresh\` to drop the pending entry, then \`pulumi up\` creates it`,
      id,
      prior,
    );
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

  /**
   * The update body: the changed fields the wire updates in place. `program` holds only what the
   * program sets (`merged` adds what state carries), for a resource whose update must restate
   * the program's own values (a template re-applied under them).
   */
  protected async updateRequestBody(ctx: OperationContext, _id: string, _program: A, merged: A, changed: string[], _prior: A): Promise<Props> {
    return updateBody(this.spec, ctx.wire, merged as Props, changed);
  }

  /** Sends the create; must never create twice after a lost answer. Returns the API object. */
  protected abstract createObject(ctx: OperationContext, body: Props, inputs: A): Promise<ApiObject<Apis>>;

  /**
   * Finds the object a create made when its answer did not say which it is (a lost answer, or
   * one without an id); `since`: when that create started, so an older object of the same name is
   * never taken for it. Undefined: not found, or this kind cannot look.
   */
  protected async recoverCreated(_ctx: OperationContext, _body: Props, _inputs: A, _since?: number): Promise<ApiObject<Apis> | undefined> {
    return undefined;
  }

  /**
   * Runs after the create was accepted, with Runpod's answer to it, and returns the outputs; the
   * flow keeps the id in state whatever it throws. A kind that reads the object again maps only
   * its last answer to outputs.
   */
  protected async afterCreate(ctx: OperationContext, _id: string, created: ApiObject<Apis>, inputs: A): Promise<Props> {
    return this.outputs(ctx, created, inputs);
  }

  protected async afterUpdate(_ctx: OperationContext, _id: string, outs: Props, _inputs: A, _prior: A): Promise<Props> {
    return outs;
  }

  /** The object `adoptId` names (default: by id); undefined when Runpod has none. */
  protected async findAdoptable(ctx: OperationContext, adoptId: string): Promise<ApiObject<Apis> | undefined> {
    return this.fetch(ctx, adoptId);
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
