/**
 * What the engine and the dynamic-provider host say to each other, as the harness models it: the
 * constants of the wire (unknowns, secrets, `__provider`), the results of each RPC, and the `Host`
 * a test drives (host.ts starts one).
 */
import * as path from "path";

/** Repo root, computed from this file's runtime location (`dist/test/harness/`). */
export const REPO_ROOT = path.resolve(__dirname, "..", "..", "..");

/** The string the engine sends in place of a value that is not known yet (preview). */
export const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";
/** Property-bag key holding the serialized provider. */
export const PROVIDER_KEY = "__provider";
/** Wire encoding of a Pulumi secret: `{[SIG_KEY]: SECRET_SIG, value}`. */
export const SIG_KEY = "4dabf18193072939515e22adb298388d";
export const SECRET_SIG = "1b47061264138c4ac30d75fd1eb44270";

export type PropertyMap = Record<string, any>;

export interface HostOptions {
  /** Working directory of the host process; the serialized provider's `require`s resolve from here. Default: repo root. */
  cwd?: string;
  /** Extra environment variables for the host (merged over the inherited environment). */
  env?: Record<string, string>;
  /** Start from an empty environment (only PATH/HOME/SystemRoot kept) instead of inheriting this process's. Default true. */
  inheritEnv?: boolean;
  /** Host script. Default: `<cwd>/node_modules/@pulumi/pulumi/cmd/dynamic-provider/index.js` if it exists, else the repo's. */
  hostScript?: string;
  /** Engine address passed as argv[2]. The host only checks that it is present. Default "127.0.0.1:1". */
  engineAddress?: string;
  /** Per-RPC deadline in ms. Default 20000. */
  rpcTimeoutMs?: number;
  /** Max time to wait for the host to print its port. Default 15000 (300000 with `runUnder`). */
  startTimeoutMs?: number;
  /**
   * Record every JS file the host process loads (via a `--require` preload). Read them with
   * `host.loadedModules()`. Used to prove where the serialized provider's code came from.
   */
  traceModules?: boolean;
  /**
   * A command to run the host under, with its arguments, placed before `node` (valgrind's, to
   * count the host's instructions: bench/instructions.ts). Such a host starts far slower: the
   * default start timeout becomes 5 minutes.
   */
  runUnder?: string[];
}

export interface CheckFailure {
  property: string;
  reason: string;
}
export interface CheckResult {
  inputs: PropertyMap;
  failures: CheckFailure[];
}
export type DiffChanges = "none" | "some" | "unknown";
export interface DiffResult {
  changes: DiffChanges;
  replaces: string[];
  stables: string[];
  diffs: string[];
  deleteBeforeReplace: boolean;
  hasDetailedDiff: boolean;
}
export interface CreateResult {
  id: string;
  properties: PropertyMap;
}
export interface ReadResult {
  /** "" means the resource no longer exists. */
  id: string;
  properties: PropertyMap;
  /** Only set when the provider's read returned `inputs`. */
  inputs?: PropertyMap;
}
export interface UpdateResult {
  properties: PropertyMap;
}
export interface ConfigureResult {
  acceptSecrets: boolean;
  supportsPreview: boolean;
  acceptResources: boolean;
  acceptOutputs: boolean;
}

/** `ErrorResourceInitFailed` detail: the resource exists (id) but failed to initialize. */
export interface InitFailure {
  id: string;
  properties: PropertyMap;
  reasons: string[];
}

export type RpcName = "Configure" | "Check" | "Diff" | "Create" | "Read" | "Update" | "Delete";

export class HostError extends Error {
  /** gRPC status code (2 = UNKNOWN for provider exceptions, 4 = DEADLINE_EXCEEDED, 14 = UNAVAILABLE...). */
  readonly code: number;
  readonly rpc: RpcName;
  /** The raw gRPC error text, e.g. "2 UNKNOWN: boom". */
  readonly grpcMessage: string;
  readonly initFailure?: InitFailure;
  constructor(rpc: RpcName, code: number, message: string, grpcMessage: string, initFailure?: InitFailure) {
    super(message);
    this.name = "HostError";
    this.rpc = rpc;
    this.code = code;
    this.grpcMessage = grpcMessage;
    this.initFailure = initFailure;
  }
}

export interface Host {
  readonly port: number;
  readonly pid: number;
  readonly cwd: string;
  /** Milliseconds from spawn until the host printed its port. */
  readonly startMs: number;
  /** Per-RPC deadline in ms; may be changed between calls. */
  rpcTimeoutMs: number;
  /**
   * Sends a ConfigureRequest whose `args` are the stack config (`{"runpod:apiKey": ...}`).
   * Keys listed in `opts.secrets` are sent wrapped as secrets, as the engine does for secret config.
   */
  configure(config: Record<string, string>, opts?: { secrets?: string[] }): Promise<ConfigureResult>;
  check(urn: string, olds: PropertyMap, news: PropertyMap, opts?: { name?: string; type?: string }): Promise<CheckResult>;
  /** `olds` are the OLD OUTPUTS (state); `oldInputs` are sent in `old_inputs` as a modern engine does. */
  diff(id: string, urn: string, olds: PropertyMap, news: PropertyMap, opts?: { oldInputs?: PropertyMap; ignoreChanges?: string[] }): Promise<DiffResult>;
  create(urn: string, props: PropertyMap, opts?: { preview?: boolean; timeoutSec?: number }): Promise<CreateResult>;
  read(id: string, urn: string, props: PropertyMap, inputs?: PropertyMap): Promise<ReadResult>;
  update(
    id: string,
    urn: string,
    olds: PropertyMap,
    news: PropertyMap,
    opts?: { oldInputs?: PropertyMap; preview?: boolean; timeoutSec?: number },
  ): Promise<UpdateResult>;
  delete(id: string, urn: string, props: PropertyMap, opts?: { oldInputs?: PropertyMap; timeoutSec?: number }): Promise<void>;
  /** Everything the host wrote to stdout so far (first line is its port). Complete after stop(). */
  stdout(): string;
  /** Everything the host wrote to stderr so far. */
  stderr(): string;
  /**
   * Output reaches us asynchronously (after the RPC that printed it may have returned): waits until
   * the stream (default: either) contains `match`, or rejects after `timeoutMs` (default 2000).
   */
  waitForOutput(match: string | RegExp, opts?: { stream?: "stdout" | "stderr" | "both"; timeoutMs?: number }): Promise<void>;
  /** Files loaded by the host process (only with `traceModules`). Real paths, in load order. */
  loadedModules(): string[];
  /** Exit code/signal once the process has exited, else undefined. */
  exited(): { code: number | null; signal: NodeJS.Signals | null } | undefined;
  stop(): Promise<void>;
}

/** Makes a URN the way the engine does: `urn:pulumi:<stack>::<project>::<type>::<name>`. */
export function makeUrn(type: string, name: string, project = "project", stack = "stack"): string {
  return `urn:pulumi:${stack}::${project}::${type}::${name}`;
}

/** Wraps a value in the wire encoding of a secret. */
export function secretValue(value: unknown): PropertyMap {
  return { [SIG_KEY]: SECRET_SIG, value };
}
