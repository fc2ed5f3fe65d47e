/**
 * One measured command each, the way a user runs it: every `pulumi preview` / `pulumi up` starts
 * a fresh dynamic-provider host, so each command here starts one too and its clock runs from
 * Configure (the host's own start, the same for every provider, is reported apart). A second
 * command on the same host is reported as "warm".
 */
import { Agent, request } from "undici";
import type { RequestLogEntry } from "runpod-emulator";
import { EngineStack, Host, HostOptions, PlanResult, ResourceState, RpcCall, startHost, StackRunResult } from "../test/harness";
import { TEST_API_KEY } from "../test/support/stack";
import { readiness } from "../provider/resources/pod/status";
import type { EmulatorProcess } from "./emulator";
import { cpuMeter, peakRss } from "./proc";
import { Goal, inputsOf, v2Body, Variant } from "./variants";

export const LATENCY_MS = 20;
export const PARALLEL = 10;
export const RATE_LIMIT = 10;
export const PODS = 100;
export const PREVIEW_PER_KIND = 100;
export const POLL_INTERVAL_SECONDS = 0.05;
const PREVIEW_KINDS = ["networkVolume", "template", "pod"];

/** Quotas no bench run reaches: only the per-second window, when set, limits. */
const GENEROUS = { minute: 1_000_000, hour: 10_000_000, day: 100_000_000 };

export interface Faults {
  latencyMs: number;
  rateLimitPerSecond?: number;
}

/**
 * The real retry settings (defaults: 8 retries, Retry-After honoured up to 30 s); only the
 * readiness poll is fast, so polling is not what gets measured.
 */
function stackConfig(emulator: EmulatorProcess): Record<string, string> {
  return {
    "runpod:apiKey": TEST_API_KEY,
    "runpod:apiVersion": "v2",
    "runpod:apiUrl": emulator.url,
    "runpod:graphqlUrl": emulator.graphqlUrl,
    "runpod:pollIntervalSeconds": String(POLL_INTERVAL_SECONDS),
  };
}

const configure = (host: Host, emulator: EmulatorProcess) => host.configure(stackConfig(emulator), { secrets: ["runpod:apiKey"] });

function firstError(run: StackRunResult<unknown>): string | undefined {
  const first = run.errors[0];
  return first ? `${first.name}: ${String((first.error as Error)?.message ?? first.error)}` : undefined;
}

export const mean = (xs: number[]) => (xs.length ? xs.reduce((s, x) => s + x, 0) / xs.length : 0);
const rpcMs = (rpcs: RpcCall[], method: string) => rpcs.filter((c) => c.method === method).map((c) => c.ms);

function addGoals(stack: EngineStack, goals: Goal[]): void {
  for (const g of goals) stack.resource({ name: g.name, type: g.type, providerText: g.providerText, additionalSecretOutputs: g.additionalSecretOutputs });
}

async function podGoals(variant: Variant, label: string): Promise<Goal[]> {
  return Promise.all(Array.from({ length: PODS }, (_, i) => variant.goal("pod", `${label}-${i}`, i)));
}

export interface UpStats {
  pods: number;
  wallMs: number;
  failures: number;
  firstFailure?: string;
  running: number;
  maxInFlight: number;
  requests: number;
  accepted: number;
  rejected429: number;
  byOperation: Record<string, number>;
  meanCheckMs: number;
  meanCreateMs: number;
  /** Time the emulator spent on a request, its latency included. */
  meanServerMsPerRequest: number;
  cpuMs: Record<string, number | undefined>;
  /** requests × latency ÷ parallelism. */
  idealMs: number;
  ratio: number;
}

async function upOnce(host: Host, emulator: EmulatorProcess, variant: Variant, label: string, faults: Faults, fresh: boolean): Promise<UpStats> {
  const stack = new EngineStack(host, { parallel: PARALLEL });
  const goals = await podGoals(variant, label);
  addGoals(stack, goals);
  // The limit is announced the way Runpod announces its quota (RateLimit / RateLimit-Policy
  // headers on every answer), as a one-second window, so a client that paces from them can.
  const { rateLimitPerSecond, ...transport } = faults;
  await emulator.setRateLimit(rateLimitPerSecond ? { second: rateLimitPerSecond, ...GENEROUS } : GENEROUS);
  await emulator.setFaults(transport);
  await emulator.clearLog();
  const meter = cpuMeter({ host: host.pid, emulator: emulator.pid, engine: process.pid });
  const t0 = Date.now();
  if (fresh) await configure(host, emulator);
  const run = await stack.up(goals.map((g) => ({ name: g.name, inputs: g.inputs })));
  const wallMs = Date.now() - t0;
  const cpuMs = meter.stop();
  const log = await emulator.requests();
  const accepted = log.filter((e) => e.status !== 429);
  const byOperation: Record<string, number> = {};
  for (const e of log) {
    const k = `${e.method} ${e.operation ?? e.path} ${e.status}`;
    byOperation[k] = (byOperation[k] ?? 0) + 1;
  }
  const rpcs = run.results.flatMap((r) => (r.ok ? r.value.rpcs : []));
  const idealMs = (log.length * faults.latencyMs) / PARALLEL;
  return {
    pods: goals.length,
    wallMs,
    failures: run.errors.length,
    firstFailure: firstError(run),
    running: [...stack.resources.values()].filter((r) => r.state?.outputs?.status === "RUNNING").length,
    maxInFlight: run.maxInFlight,
    requests: log.length,
    accepted: accepted.length,
    rejected429: log.length - accepted.length,
    byOperation,
    meanCheckMs: mean(rpcMs(rpcs, "Check")),
    meanCreateMs: mean(rpcMs(rpcs, "Create")),
    meanServerMsPerRequest: mean(accepted.map((e: RequestLogEntry) => e.durationMs)),
    cpuMs,
    idealMs,
    ratio: wallMs / idealMs,
  };
}

export interface UpCommand {
  /** The `pulumi up` a user runs: a fresh host. */
  cold: UpStats;
  /** A second up of as many new pods on the host the first one warmed. */
  warm?: UpStats;
  /** Host's peak resident memory (VmHWM) by the end of the fresh-host up, as a user's `pulumi up` peaks. */
  peakRssBytes?: number;
  hostStartMs: number;
}

/** Runs `work` on a freshly started host, as every command starts one, and stops the host after it. */
async function onFreshHost<T>(work: (host: Host) => Promise<T>, options: HostOptions = {}): Promise<T> {
  const host = await startHost(options);
  try {
    return await work(host);
  } finally {
    await host.stop();
  }
}

/** `pulumi up` of PODS new pods on a fresh host; with `warm`, a second one on the same host. */
export async function upCommand(emulator: EmulatorProcess, variant: Variant, label: string, faults: Faults, warm: boolean): Promise<UpCommand> {
  return onFreshHost(async (host) => {
    const cold = await upOnce(host, emulator, variant, `${label}-c`, faults, true);
    const peakRssBytes = peakRss(host.pid);
    const second = warm ? await upOnce(host, emulator, variant, `${label}-w`, faults, false) : undefined;
    return { cold, warm: second, peakRssBytes, hostStartMs: host.startMs };
  });
}

/** State a previous `pulumi up` left: PREVIEW_PER_KIND each of volumes, templates and pods. */
export interface PreviewState {
  goals: Goal[];
  states: Map<string, ResourceState>;
  convergeMs: number;
}

export async function convergePreviewState(emulator: EmulatorProcess, variant: Variant): Promise<PreviewState> {
  const goals: Goal[] = [];
  for (const kind of PREVIEW_KINDS) {
    for (let i = 0; i < PREVIEW_PER_KIND; i++) goals.push(await variant.goal(kind, `pv-${variant.name}-${kind}-${i}`, i));
  }
  return onFreshHost(async (host) => {
    await configure(host, emulator);
    // Without latency, to save time: only the preview is measured.
    await emulator.setFaults({});
    const stack = new EngineStack(host, { parallel: 20 });
    addGoals(stack, goals);
    const run = await stack.up(goals.map((g) => ({ name: g.name, inputs: g.inputs })));
    if (!run.ok) throw new Error(`converging the ${variant.name} preview stack failed: ${firstError(run)}`);
    const states = new Map([...stack.resources.values()].map((r) => [r.name, r.state!]));
    return { goals, states, convergeMs: run.elapsedMs };
  });
}

export interface PreviewStats {
  resources: number;
  convergeMs: number;
  wallMs: number;
  requests: number;
  /** Reads of Runpod's catalog (`GET /v2/catalog/*`): check authenticates the key with one and validates changed ids. */
  catalogRequests: number;
  /** Requests that change something (anything but GET): a preview must send none. */
  mutatingRequests: number;
  ops: Record<string, number>;
  wallMsPerResource: number;
  hostCpuMsPerResource: number | undefined;
  /** Check + Diff round trips of one resource, as the engine waits for them (10 in flight). */
  checkDiffMsPerResource: number;
  cpuMs: Record<string, number | undefined>;
}

async function previewOnce(host: Host, emulator: EmulatorProcess, prepared: PreviewState, fresh: boolean): Promise<PreviewStats> {
  const stack = new EngineStack(host, { parallel: PARALLEL });
  addGoals(stack, prepared.goals);
  for (const r of stack.resources.values()) r.state = prepared.states.get(r.name);
  await emulator.setFaults({ latencyMs: LATENCY_MS });
  await emulator.clearLog();
  const meter = cpuMeter({ host: host.pid, emulator: emulator.pid, engine: process.pid });
  const t0 = Date.now();
  if (fresh) await configure(host, emulator);
  const run = await stack.run(prepared.goals.map((g) => ({ name: g.name, fn: () => stack.resources.get(g.name)!.preview(g.inputs) })));
  const wallMs = Date.now() - t0;
  const cpuMs = meter.stop();
  if (!run.ok) throw new Error(`preview failed: ${firstError(run)}`);
  const log = await emulator.requests();
  const requests = log.length;
  const catalogRequests = log.filter((e) => e.method === "GET" && e.path.startsWith("/v2/catalog/")).length;
  const mutatingRequests = log.filter((e) => e.method !== "GET").length;
  const plans: PlanResult[] = run.results.flatMap((r) => (r.ok ? [r.value] : []));
  const ops: Record<string, number> = {};
  for (const p of plans) ops[p.op] = (ops[p.op] ?? 0) + 1;
  const n = prepared.goals.length;
  return {
    resources: n,
    convergeMs: prepared.convergeMs,
    wallMs,
    requests,
    catalogRequests,
    mutatingRequests,
    ops,
    wallMsPerResource: wallMs / n,
    hostCpuMsPerResource: cpuMs.host === undefined ? undefined : cpuMs.host / n,
    checkDiffMsPerResource: mean(plans.map((p) => p.rpcs.reduce((s, c) => s + c.ms, 0))),
    cpuMs,
  };
}

export interface PreviewCommand {
  cold: PreviewStats;
  warm: PreviewStats;
}

/** `pulumi preview` of the unchanged stack on a fresh host, then once more on the warmed host. */
export async function previewCommand(emulator: EmulatorProcess, prepared: PreviewState): Promise<PreviewCommand> {
  return onFreshHost(async (host) => {
    const cold = await previewOnce(host, emulator, prepared, true);
    const warm = await previewOnce(host, emulator, prepared, false);
    return { cold, warm };
  });
}

/** One `pulumi preview` of the unchanged stack on a fresh host started with `options` (no warm one). */
export async function coldPreview(emulator: EmulatorProcess, prepared: PreviewState, options: HostOptions): Promise<PreviewStats> {
  return onFreshHost((host) => previewOnce(host, emulator, prepared, true), options);
}

export interface FloorStats {
  wallMs: number;
  requests: number;
  idealMs: number;
  ratio: number;
}

/**
 * The provider's request sequence for a pod create, sent straight to the emulator by PARALLEL
 * workers from this process (no host): POST, then GETs under the same readiness rule and poll
 * interval, after the one catalog read with which check authenticates the key (and learns the GPU
 * types' names). What the apparatus alone costs.
 */
export async function floor(emulator: EmulatorProcess, label: string): Promise<FloorStats> {
  const agent = new Agent({ connections: 64 });
  const headers = { authorization: `Bearer ${TEST_API_KEY}`, "content-type": "application/json", accept: "application/json" };
  const send = async (method: "GET" | "POST", route: string, body?: unknown) => {
    const res = await request(`${emulator.url}/v2${route}`, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
      dispatcher: agent,
    });
    const json = (await res.body.json()) as any;
    if (res.statusCode >= 300) throw new Error(`${method} ${route} -> ${res.statusCode} ${JSON.stringify(json)}`);
    return json;
  };
  const bodies = Array.from({ length: PODS }, (_, i) => v2Body("pod", `${label}-${i}`, i));
  await emulator.setFaults({ latencyMs: LATENCY_MS });
  await emulator.clearLog();
  let next = 0;
  const t0 = Date.now();
  // Check's authenticating catalog read, which also names every GPU type for the pods' outputs.
  await send("GET", "/catalog/gpus?include=AVAILABILITY&product=POD");
  await Promise.all(
    Array.from({ length: PARALLEL }, async () => {
      while (next < PODS) {
        const i = next++;
        const created = await send("POST", "/pods", bodies[i]);
        for (;;) {
          const pod = await send("GET", `/pods/${created.id}`);
          if (readiness("v2", pod, inputsOf.pod(i)).state !== "waiting") break;
          await new Promise((r) => setTimeout(r, POLL_INTERVAL_SECONDS * 1000));
        }
      }
    }),
  );
  const wallMs = Date.now() - t0;
  await agent.close();
  const requests = (await emulator.requests()).length;
  const idealMs = (requests * LATENCY_MS) / PARALLEL;
  return { wallMs, requests, idealMs, ratio: wallMs / idealMs };
}
