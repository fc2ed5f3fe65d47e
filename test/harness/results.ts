/**
 * What a simulated engine operation returns (engine.ts) and the errors it raises: the recorded
 * state, every RPC sent with its answer, and the step taken.
 */
import { CheckFailure, DiffResult, HostError, InitFailure, PropertyMap, RpcName } from "./protocol";

export type Op = "create" | "update" | "replace" | "same";

export interface ResourceState {
  id: string;
  /** Checked inputs, including `__provider`. */
  inputs: PropertyMap;
  /** Outputs as returned by the provider, including `__provider`. */
  outputs: PropertyMap;
  /** The reasons of the init failure the last Create/Update ended in (engine: `InitErrors`); absent when none. */
  initErrors?: string[];
}

export interface RpcCall {
  method: RpcName;
  /** The arguments the engine sent (property bags as sent). */
  request: Record<string, unknown>;
  response?: unknown;
  error?: HostError;
  ms: number;
}

export interface PlanResult {
  /** Planned (and, for `up`, performed) step. "invalid" = Check returned failures. */
  op: Op | "invalid";
  checkFailures: CheckFailure[];
  /** The checked inputs the step was planned with (from the replacement re-Check for a replace). */
  inputs?: PropertyMap;
  diff?: DiffResult;
  /** Effective change verdict after the engine's own resolution of DIFF_UNKNOWN. */
  changes?: "none" | "some";
  rpcs: RpcCall[];
}

export interface UpResult extends PlanResult {
  op: Op;
  state: ResourceState | undefined;
  elapsedMs: number;
}

export interface RefreshResult {
  /** "deleted": Read returned an empty id and the resource was dropped from state. */
  outcome: "unchanged" | "changed" | "deleted" | "absent";
  state: ResourceState | undefined;
  rpcs: RpcCall[];
}

export interface ImportResult {
  /** Diff of the import inputs against what Read found: must be "none" for a clean import. */
  diff?: DiffResult;
  changes?: "none" | "some";
  checkFailures: CheckFailure[];
  /** True when the engine would accept the import (resource exists, no check failures, no changes). State is only recorded then. */
  imported: boolean;
  read: { id: string; properties: PropertyMap; inputs?: PropertyMap };
  state: ResourceState | undefined;
  rpcs: RpcCall[];
}

export interface DestroyResult {
  rpcs: RpcCall[];
}

export class CheckFailedError extends Error {
  readonly failures: CheckFailure[];
  readonly rpcs: RpcCall[];
  constructor(name: string, failures: CheckFailure[], rpcs: RpcCall[]) {
    super(`${name}: Check failed:\n${failures.map((f) => `  ${f.property}: ${f.reason}`).join("\n")}`);
    this.name = "CheckFailedError";
    this.failures = failures;
    this.rpcs = rpcs;
  }
}

/** Thrown by `up`/`destroy`/`refresh` when an RPC fails; carries the RPC record so far. */
export class EngineOpError extends Error {
  readonly hostError: HostError;
  readonly rpcs: RpcCall[];
  readonly initFailure?: InitFailure;
  constructor(cause: HostError, rpcs: RpcCall[]) {
    super(`${cause.rpc} failed: ${cause.message}`, { cause });
    this.name = "EngineOpError";
    this.hostError = cause;
    this.rpcs = rpcs;
    this.initFailure = cause.initFailure;
  }
}
