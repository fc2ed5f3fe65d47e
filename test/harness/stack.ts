/** Many resources of one host at once, as the engine runs a program's resources under `--parallel`. */
import { EngineResource, EngineResourceOptions } from "./engine";
import type { Host, PropertyMap } from "./protocol";
import type { DestroyResult, RefreshResult, RpcCall, UpResult } from "./results";

export interface StackRunResult<T> {
  results: Array<{ name: string; ok: true; value: T; ms: number } | { name: string; ok: false; error: unknown; ms: number }>;
  errors: Array<{ name: string; error: unknown }>;
  ok: boolean;
  elapsedMs: number;
  /** Highest number of resource operations observed in flight at once. */
  maxInFlight: number;
}

/** Many resources, run with an engine-like `--parallel` limit. Operations never throw; look at `ok`/`errors`. */
export class EngineStack {
  readonly host: Host;
  readonly parallel: number;
  readonly project: string;
  readonly stack: string;
  readonly resources = new Map<string, EngineResource>();

  constructor(host: Host, opts: { parallel?: number; project?: string; stack?: string } = {}) {
    this.host = host;
    this.parallel = opts.parallel ?? 10;
    this.project = opts.project ?? "project";
    this.stack = opts.stack ?? "stack";
  }

  /** Creates (or returns the existing) resource of that name. */
  resource(opts: EngineResourceOptions): EngineResource {
    let r = this.resources.get(opts.name);
    if (!r) {
      r = new EngineResource(this.host, { project: this.project, stack: this.stack, ...opts });
      this.resources.set(opts.name, r);
    }
    return r;
  }

  /**
   * `pulumi up` of the given goals (resource name -> inputs); resources must have been added with
   * `resource()`. Like the engine, old resources of create-before-delete replacements are deleted
   * after all creates/updates, in a second parallel-limited phase (`deletes`).
   */
  async up(goals: Array<{ name: string; inputs: PropertyMap }>): Promise<StackRunResult<UpResult> & { deletes: StackRunResult<RpcCall[]> }> {
    const main = await this.run(goals.map((g) => ({ name: g.name, fn: () => this.get(g.name).up(g.inputs, { deferDeletes: true }) })));
    // The engine skips the deletes when the deployment failed; they stay pending.
    const pending = main.ok ? [...this.resources.values()].filter((r) => r.pendingDeletes.length > 0) : [];
    const deletes = await this.run(pending.map((r) => ({ name: r.name, fn: () => r.deletePending() })));
    return { ...main, ok: main.ok && deletes.ok, errors: [...main.errors, ...deletes.errors], deletes };
  }

  refresh(): Promise<StackRunResult<RefreshResult>> {
    return this.run([...this.resources.values()].map((r) => ({ name: r.name, fn: () => r.refresh() })));
  }

  /** Destroys every resource that has state. */
  destroy(): Promise<StackRunResult<DestroyResult>> {
    return this.run([...this.resources.values()].filter((r) => r.state || r.pendingDeletes.length).map((r) => ({ name: r.name, fn: () => r.destroy() })));
  }

  private get(name: string): EngineResource {
    const r = this.resources.get(name);
    if (!r) throw new Error(`unknown resource ${name}; add it with stack.resource({...}) first`);
    return r;
  }

  /** Runs arbitrary per-resource operations with the stack's concurrency limit. */
  async run<T>(tasks: Array<{ name: string; fn: () => Promise<T> }>): Promise<StackRunResult<T>> {
    const t0 = Date.now();
    const results: StackRunResult<T>["results"] = new Array(tasks.length);
    let next = 0;
    let inFlight = 0;
    let maxInFlight = 0;
    const worker = async () => {
      while (next < tasks.length) {
        const i = next++;
        const task = tasks[i];
        const s = Date.now();
        inFlight++;
        maxInFlight = Math.max(maxInFlight, inFlight);
        try {
          const value = await task.fn();
          results[i] = { name: task.name, ok: true, value, ms: Date.now() - s };
        } catch (error) {
          results[i] = { name: task.name, ok: false, error, ms: Date.now() - s };
        } finally {
          inFlight--;
        }
      }
    };
    await Promise.all(Array.from({ length: Math.max(1, Math.min(this.parallel, tasks.length)) }, worker));
    const errors = results.filter((r) => !r.ok).map((r) => ({ name: r.name, error: (r as { error: unknown }).error }));
    return { results, errors, ok: errors.length === 0, elapsedMs: Date.now() - t0, maxInFlight };
  }
}
