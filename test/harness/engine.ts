/**
 * A per-resource simulation of what the Pulumi engine does for a custom resource of the
 * `pulumi-nodejs` provider (preview / up / refresh / import / destroy), sending the same RPCs in
 * the same order with the same property bags, so provider code is exercised the way a real
 * `pulumi up` exercises it.
 *
 * Engine rules reproduced here (pulumi/pkg/resource/deploy/step_generator.go):
 * - Check gets olds = the previous *inputs* (or {} for a new resource), news = the program's inputs
 *   plus `__provider`.
 * - Diff gets olds = the previous *outputs*, news = the checked inputs (plus old_inputs).
 * - A DIFF_UNKNOWN answer (provider without `diff`, or `changes: undefined`) is resolved by the engine
 *   itself: old inputs deep-equal new checked inputs -> no change, else an update; the provider's
 *   `replaces` still turn it into a replacement.
 * - A replacement re-runs Check with olds = {} (so auto-names and defaults are regenerated) and
 *   creates from those inputs; create-before-delete unless the diff (or the resource option)
 *   says deleteBeforeReplace.
 * - A "same" step keeps the old outputs but records the new inputs.
 * - Preview never calls Create/Update/Delete (the nodejs host does not support preview).
 * - A Create/Update that fails with ErrorResourceInitFailed still records the resource (id and the
 *   returned properties) with its init errors, then the error is reported.
 * - A resource recorded with init errors is updated by the next `up` even when Diff reports no
 *   changes (`applyReplaceOnChanges(diff, goal.ReplaceOnChanges, hasInitErrors)` turns the diff
 *   into DiffSome); a successful Update or Read (refresh) records it without init errors.
 */
import { Host, HostError, makeUrn, PROVIDER_KEY, PropertyMap, RpcName } from "./protocol";
import { CheckFailedError, DestroyResult, EngineOpError, ImportResult, PlanResult, RefreshResult, ResourceState, RpcCall, UpResult } from "./results";

export interface EngineResourceOptions {
  /** Resource type token. Default `pulumi-nodejs:dynamic:Resource` (what `pulumi.dynamic.Resource` uses). */
  type?: string;
  name: string;
  /** Serialized provider (`serializeProvider` / `captureSerializedProvider`). */
  providerText: string;
  project?: string;
  stack?: string;
  /** The `deleteBeforeReplace` resource option. */
  deleteBeforeReplace?: boolean;
  /** The `ignoreChanges` resource option (sent to Diff; the engine also resets those inputs to the old values before Check). */
  ignoreChanges?: string[];
  /** Top-level input names that were secret in the program (see `captureSerializedProvider`). The engine marks same-named outputs secret. */
  secretInputs?: string[];
  /** The `additionalSecretOutputs` resource option. */
  additionalSecretOutputs?: string[];
}

function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== typeof b || a === null || b === null || typeof a !== "object") return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a)) {
    const bb = b as unknown[];
    return a.length === bb.length && a.every((v, i) => deepEqual(v, bb[i]));
  }
  const ao = a as Record<string, unknown>;
  const bo = b as Record<string, unknown>;
  const ak = Object.keys(ao).filter((k) => ao[k] !== undefined && ao[k] !== null);
  const bk = Object.keys(bo).filter((k) => bo[k] !== undefined && bo[k] !== null);
  return ak.length === bk.length && ak.every((k) => deepEqual(ao[k], bo[k]));
}

export class EngineResource {
  readonly host: Host;
  readonly type: string;
  readonly name: string;
  readonly urn: string;
  providerText: string;
  readonly opts: EngineResourceOptions;
  /** Current state as the engine's checkpoint would hold it. */
  state: ResourceState | undefined;
  /** Old resources of a create-before-delete replacement whose delete has not happened yet (engine: `delete: true` entries). */
  pendingDeletes: ResourceState[] = [];

  constructor(host: Host, opts: EngineResourceOptions) {
    this.host = host;
    this.opts = opts;
    this.type = opts.type ?? "pulumi-nodejs:dynamic:Resource";
    this.name = opts.name;
    this.providerText = opts.providerText;
    this.urn = makeUrn(this.type, this.name, opts.project, opts.stack);
  }

  /** Names of outputs the engine would store as secrets. */
  secretOutputKeys(): string[] {
    return [...new Set([...(this.opts.secretInputs ?? []), ...(this.opts.additionalSecretOutputs ?? [])])];
  }

  /**
   * The state as the CLI would write it to the checkpoint / print it: secret-marked top-level
   * properties replaced by "[secret]" (the checkpoint holds them encrypted). Leak scans should
   * look at this, not at `state`.
   */
  publicState(): ResourceState | undefined {
    if (!this.state) return undefined;
    const secret = new Set(this.secretOutputKeys());
    const redact = (m: PropertyMap) => Object.fromEntries(Object.entries(m).map(([k, v]) => [k, secret.has(k) ? "[secret]" : v]));
    return { id: this.state.id, inputs: redact(this.state.inputs), outputs: redact(this.state.outputs) };
  }

  private withProvider(inputs: PropertyMap): PropertyMap {
    return { ...inputs, [PROVIDER_KEY]: this.providerText };
  }

  private async rpc<T>(rpcs: RpcCall[], method: RpcName, request: Record<string, unknown>, fn: () => Promise<T>): Promise<T> {
    const t0 = Date.now();
    const rec: RpcCall = { method, request, ms: 0 };
    rpcs.push(rec);
    try {
      const res = await fn();
      rec.response = res;
      return res;
    } catch (e) {
      if (e instanceof HostError) {
        rec.error = e;
        throw new EngineOpError(e, rpcs);
      }
      throw e;
    } finally {
      rec.ms = Date.now() - t0;
    }
  }

  private check(rpcs: RpcCall[], olds: PropertyMap, news: PropertyMap) {
    return this.rpc(rpcs, "Check", { urn: this.urn, olds, news }, () => this.host.check(this.urn, olds, news));
  }

  /** Goal inputs after `ignoreChanges`: the engine puts back the old values before Check. */
  private applyIgnoreChanges(inputs: PropertyMap): PropertyMap {
    const ignore = this.opts.ignoreChanges ?? [];
    if (!this.state || ignore.length === 0) return inputs;
    const out = { ...inputs };
    for (const k of ignore) {
      if (k in this.state.inputs) out[k] = this.state.inputs[k];
      else delete out[k];
    }
    return out;
  }

  private async plan(inputs: PropertyMap, rpcs: RpcCall[]): Promise<PlanResult> {
    const news = this.withProvider(this.applyIgnoreChanges(inputs));
    const olds = this.state ? this.state.inputs : {};
    const checked = await this.check(rpcs, olds, news);
    if (checked.failures.length > 0) return { op: "invalid", checkFailures: checked.failures, rpcs };
    if (!this.state) return { op: "create", checkFailures: [], inputs: checked.inputs, rpcs };

    const st = this.state;
    const diffReq = { id: st.id, urn: this.urn, olds: st.outputs, news: checked.inputs, oldInputs: st.inputs, ignoreChanges: this.opts.ignoreChanges ?? [] };
    const diff = await this.rpc(rpcs, "Diff", diffReq, () =>
      this.host.diff(st.id, this.urn, st.outputs, checked.inputs, { oldInputs: st.inputs, ignoreChanges: this.opts.ignoreChanges }),
    );
    let changes: "none" | "some";
    if (diff.changes === "unknown") changes = deepEqual(st.inputs, checked.inputs) ? "none" : "some";
    else changes = diff.changes;

    // The engine retries a resource whose last create/update did not finish, changes or not.
    if (st.initErrors?.length) changes = "some";
    if (changes === "none") return { op: "same", checkFailures: [], inputs: checked.inputs, diff, changes, rpcs };
    if (diff.replaces.length === 0) return { op: "update", checkFailures: [], inputs: checked.inputs, diff, changes, rpcs };

    // Replacement: the engine re-checks against no olds so defaults/auto-names are regenerated.
    const rechecked = await this.check(rpcs, {}, news);
    if (rechecked.failures.length > 0) return { op: "invalid", checkFailures: rechecked.failures, diff, changes, rpcs };
    return { op: "replace", checkFailures: [], inputs: rechecked.inputs, diff, changes, rpcs };
  }

  /** `pulumi preview`: Check (+ Diff, + the replacement re-Check). Never mutates state, never Create/Update/Delete. */
  async preview(inputs: PropertyMap): Promise<PlanResult> {
    return this.plan(inputs, []);
  }

  /**
   * `pulumi up` for this resource. Throws CheckFailedError / EngineOpError.
   * `deferDeletes`: leave the old resource of a create-before-delete replacement in
   * `pendingDeletes` (the engine deletes replaced resources at the end of the deployment);
   * call `deletePending()` later. EngineStack.up does this.
   */
  async up(inputs: PropertyMap, opts: { deferDeletes?: boolean } = {}): Promise<UpResult> {
    const t0 = Date.now();
    const rpcs: RpcCall[] = [];
    const plan = await this.plan(inputs, rpcs);
    if (plan.op === "invalid") throw new CheckFailedError(this.name, plan.checkFailures, rpcs);
    const checked = plan.inputs!;
    const dbr = plan.diff?.deleteBeforeReplace || this.opts.deleteBeforeReplace === true;

    switch (plan.op) {
      case "create":
        await this.doCreate(rpcs, checked);
        break;
      case "same":
        this.state = { ...this.state!, inputs: checked };
        break;
      case "update": {
        const st = this.state!;
        try {
          const res = await this.rpc(rpcs, "Update", { id: st.id, urn: this.urn, olds: st.outputs, news: checked, oldInputs: st.inputs }, () =>
            this.host.update(st.id, this.urn, st.outputs, checked, { oldInputs: st.inputs }),
          );
          this.state = { id: st.id, inputs: checked, outputs: res.properties };
        } catch (e) {
          if (e instanceof EngineOpError && e.initFailure) {
            this.state = { id: st.id, inputs: checked, outputs: e.initFailure.properties, initErrors: e.initFailure.reasons };
          }
          throw e;
        }
        break;
      }
      case "replace": {
        const old = this.state!;
        if (dbr) {
          await this.doDelete(rpcs, old);
          this.state = undefined;
          await this.doCreate(rpcs, checked);
        } else {
          this.pendingDeletes.push(old);
          this.state = undefined;
          try {
            await this.doCreate(rpcs, checked);
          } catch (e) {
            if (!this.state) {
              // Create failed outright: the old resource stays the live one.
              this.pendingDeletes.pop();
              this.state = old;
            }
            throw e;
          }
        }
        break;
      }
    }
    if (!opts.deferDeletes) await this.deletePending(rpcs);
    return { ...plan, op: plan.op, state: this.state, elapsedMs: Date.now() - t0 };
  }

  /** Deletes the old resources left by create-before-delete replacements. */
  async deletePending(rpcs: RpcCall[] = []): Promise<RpcCall[]> {
    while (this.pendingDeletes.length > 0) {
      await this.doDelete(rpcs, this.pendingDeletes[0]);
      this.pendingDeletes.shift();
    }
    return rpcs;
  }

  private async doCreate(rpcs: RpcCall[], checked: PropertyMap): Promise<void> {
    try {
      const res = await this.rpc(rpcs, "Create", { urn: this.urn, properties: checked, preview: false }, () => this.host.create(this.urn, checked));
      this.state = { id: res.id, inputs: checked, outputs: res.properties };
    } catch (e) {
      if (e instanceof EngineOpError && e.initFailure) {
        this.state = { id: e.initFailure.id, inputs: checked, outputs: e.initFailure.properties, initErrors: e.initFailure.reasons };
      }
      throw e;
    }
  }

  private async doDelete(rpcs: RpcCall[], st: ResourceState): Promise<void> {
    await this.rpc(rpcs, "Delete", { id: st.id, urn: this.urn, properties: st.outputs, oldInputs: st.inputs }, () =>
      this.host.delete(st.id, this.urn, st.outputs, { oldInputs: st.inputs }),
    );
  }

  /** `pulumi refresh`: Read(id, outputs, inputs). Empty id from Read drops the resource from state. */
  async refresh(): Promise<RefreshResult> {
    const rpcs: RpcCall[] = [];
    const st = this.state;
    if (!st) return { outcome: "absent", state: undefined, rpcs };
    const res = await this.rpc(rpcs, "Read", { id: st.id, urn: this.urn, properties: st.outputs, inputs: st.inputs }, () =>
      this.host.read(st.id, this.urn, st.outputs, st.inputs),
    );
    if (!res.id) {
      this.state = undefined;
      return { outcome: "deleted", state: undefined, rpcs };
    }
    const next: ResourceState = { id: res.id, inputs: res.inputs ?? st.inputs, outputs: res.properties };
    const changed = !deepEqual(next, st);
    this.state = next;
    return { outcome: changed ? "changed" : "unchanged", state: next, rpcs };
  }

  /**
   * `pulumi import` / the `import` resource option: Read(id, properties = inputs + __provider, inputs),
   * then Check(olds = what Read found, news = inputs) and Diff(read outputs vs checked inputs).
   *
   * CAVEAT: the real engine's ImportStep sends Read with EMPTY properties and inputs, so the
   * nodejs host cannot find `__provider` and fails ("code must be a string, not undefined";
   * pulumi/pulumi#3550, #16175). The default here sends the program's inputs so a provider's
   * read/import logic can be tested; pass `{ read: "empty" }` to reproduce what the CLI does today.
   */
  async import(id: string, inputs: PropertyMap, opts: { read?: "inputs" | "empty" } = {}): Promise<ImportResult> {
    const rpcs: RpcCall[] = [];
    if (this.state) throw new Error(`${this.name} already has state; destroy it before importing`);
    const props = this.withProvider(inputs);
    const readProps = opts.read === "empty" ? {} : props;
    const read = await this.rpc(rpcs, "Read", { id, urn: this.urn, properties: readProps, inputs: readProps }, () =>
      this.host.read(id, this.urn, readProps, opts.read === "empty" ? undefined : readProps),
    );
    if (!read.id) return { imported: false, checkFailures: [], read, state: undefined, rpcs };
    const readInputs = read.inputs ?? read.properties;
    const checked = await this.check(rpcs, readInputs, props);
    if (checked.failures.length > 0) return { imported: false, checkFailures: checked.failures, read, state: undefined, rpcs };
    const diff = await this.rpc(rpcs, "Diff", { id: read.id, urn: this.urn, olds: read.properties, news: checked.inputs, oldInputs: readInputs }, () =>
      this.host.diff(read.id, this.urn, read.properties, checked.inputs, { oldInputs: readInputs }),
    );
    const changes = diff.changes === "unknown" ? (deepEqual(readInputs, checked.inputs) ? "none" : "some") : diff.changes;
    const imported = changes === "none";
    if (imported) this.state = { id: read.id, inputs: checked.inputs, outputs: read.properties };
    return { imported, diff, changes, checkFailures: [], read, state: this.state, rpcs };
  }

  /** `pulumi destroy` for this resource (and any pending deletes). */
  async destroy(): Promise<DestroyResult> {
    const rpcs: RpcCall[] = [];
    await this.deletePending(rpcs);
    if (this.state) {
      await this.doDelete(rpcs, this.state);
      this.state = undefined;
    }
    return { rpcs };
  }
}
