/**
 * `npm run bench`: what users feel, measured through the real dynamic-provider host (the engine's
 * side simulated by test/harness) against the emulator with 20 ms of latency per request.
 *
 *   1. preview of 300 unchanged resources (100 volumes, 100 templates, 100 pods): API requests
 *      (target 0) and host time per resource;
 *   2. up of 100 pods, 10 operations in flight: wall time against the ideal
 *      (requests × latency ÷ parallelism), target ≤ 1.3×;
 *   3. the same with the emulator limiting to 10 requests/s: no failures, wall time ≤ 1.3× of what
 *      the limit allows (accepted requests ÷ 10/s);
 *   4. `__provider` bytes per resource of each kind (target ≤ 4 KB) and the host's peak RSS.
 *
 * A script, never a test: timings depend on the machine. Prints a table (Markdown) and writes
 * bench-results.json at the repo root. A missed target is reported (MISS), not an exit code:
 * the numbers depend on the machine; only a crash exits non-zero.
 */
import * as fs from "fs";
import * as path from "path";
import { Agent, request } from "undici";
import type { RequestLogEntry } from "runpod-emulator";
import { EngineStack, Host, PropertyMap, REPO_ROOT, RpcCall, startHost, StackRunResult, UpResult } from "../test/harness";
import { serializedProvider, specOf, TEST_API_KEY } from "../test/support/stack";
import { programInputs } from "../provider/resource";
import { secretFieldNames } from "../provider/schema/fields";
import { checkInputs, createBody } from "../provider/schema/derive";
import { EmulatorProcess, spawnEmulator } from "./emulator";
import { cpuMeter, peakRss } from "./proc";
import { kib, mib, ms, ratio, Row, table } from "./report";

const LATENCY_MS = 20;
const PARALLEL = 10;
const RATE_LIMIT = 10;
const PODS = 100;
const PREVIEW_PER_KIND = 100;
const TARGET_RATIO = 1.3;
const PROVIDER_BYTES_TARGET = 4096;
const POLL_INTERVAL_SECONDS = 0.05;
const KINDS = ["networkVolume", "template", "secret", "containerRegistryAuth", "pod", "endpoint"];

const inputsOf: Record<string, (i: number) => PropertyMap> = {
  networkVolume: (i) => ({ size: 10 + (i % 50), dataCenterId: "EU-RO-1" }),
  template: (i) => ({ imageName: `runpod/worker:1.${i}`, containerDiskInGb: 20, ports: ["8000/http"], env: { MODEL: `m${i}` } }),
  pod: (i) => ({
    imageName: "runpod/pytorch:2.4.0-py3.11-cuda12.4.1",
    gpuTypeIds: ["NVIDIA GeForce RTX 4090"],
    containerDiskInGb: 20,
    ports: ["8888/http", "22/tcp"],
    env: { MODE: "bench", N: String(i) },
  }),
};

interface Goal {
  name: string;
  inputs: PropertyMap;
}

/** Adds `count` resources of `kind` to the stack; their goals are what a program registers (auto-name prefix included). */
async function addResources(stack: EngineStack, kind: string, prefix: string, count: number): Promise<Goal[]> {
  const spec = specOf(kind);
  const providerText = await serializedProvider(kind);
  const goals: Goal[] = [];
  for (let i = 0; i < count; i++) {
    const name = `${prefix}-${i}`;
    stack.resource({ name, type: `pulumi-nodejs:dynamic/runpod:${spec.typeName}`, providerText, additionalSecretOutputs: secretFieldNames(spec) });
    goals.push({ name, inputs: programInputs(spec, name, inputsOf[kind](i)) });
  }
  return goals;
}

function firstError(run: StackRunResult<unknown>): string | undefined {
  const first = run.errors[0];
  return first ? `${first.name}: ${String((first.error as Error)?.message ?? first.error)}` : undefined;
}

const mean = (xs: number[]) => (xs.length ? xs.reduce((s, x) => s + x, 0) / xs.length : 0);
const rpcMs = (rpcs: RpcCall[], method: string) => rpcs.filter((c) => c.method === method).map((c) => c.ms);

interface Env {
  host: Host;
  emulator: EmulatorProcess;
  cpu: () => ReturnType<typeof cpuMeter>;
}

async function preview(env: Env) {
  const stack = new EngineStack(env.host, { parallel: 20 });
  const goals: Goal[] = [];
  for (const kind of ["networkVolume", "template", "pod"]) goals.push(...(await addResources(stack, kind, `pv-${kind}`, PREVIEW_PER_KIND)));

  // Converge first, without latency, to save time.
  await env.emulator.setFaults({});
  const converge = await stack.up(goals);
  if (!converge.ok) throw new Error(`converging the preview stack failed: ${firstError(converge)}`);

  await env.emulator.setFaults({ latencyMs: LATENCY_MS });
  await env.emulator.clearLog();
  const engine = new EngineStack(env.host, { parallel: PARALLEL });
  const meter = env.cpu();
  const run = await engine.run(goals.map((g) => ({ name: g.name, fn: () => stack.resources.get(g.name)!.preview(g.inputs) })));
  const cpu = meter.stop();
  if (!run.ok) throw new Error(`preview failed: ${firstError(run)}`);
  const requests = (await env.emulator.requests()).length;
  const plans = run.results.flatMap((r) => (r.ok ? [r.value] : []));
  const ops: Record<string, number> = {};
  for (const p of plans) ops[p.op] = (ops[p.op] ?? 0) + 1;
  return {
    resources: goals.length,
    convergeMs: converge.elapsedMs,
    wallMs: run.elapsedMs,
    requests,
    ops,
    wallMsPerResource: run.elapsedMs / goals.length,
    hostCpuMsPerResource: cpu.host === undefined ? undefined : cpu.host / goals.length,
    /** Check + Diff round trips of one resource, as the engine waits for them (10 in flight). */
    checkDiffMsPerResource: mean(plans.map((p) => p.rpcs.reduce((s, c) => s + c.ms, 0))),
    cpuMs: cpu,
  };
}

async function podUp(env: Env, label: string, faults: { latencyMs: number; rateLimitPerSecond?: number }) {
  const stack = new EngineStack(env.host, { parallel: PARALLEL });
  const goals = await addResources(stack, "pod", `${label}-pod`, PODS);
  await env.emulator.setFaults(faults);
  await env.emulator.clearLog();
  const meter = env.cpu();
  const run = await stack.up(goals);
  const cpu = meter.stop();
  const log = await env.emulator.requests();
  const accepted = log.filter((e) => e.status !== 429);
  const byOperation: Record<string, number> = {};
  for (const e of log) {
    const k = `${e.method} ${e.operation ?? e.path} ${e.status}`;
    byOperation[k] = (byOperation[k] ?? 0) + 1;
  }
  const rpcs = run.results.flatMap((r) => (r.ok ? (r.value as UpResult).rpcs : []));
  return {
    pods: goals.length,
    wallMs: run.elapsedMs,
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
    /** Time the emulator spent on a request, its 20 ms of latency included. */
    meanServerMsPerRequest: mean(accepted.map((e: RequestLogEntry) => e.durationMs)),
    cpuMs: cpu,
  };
}

/**
 * The same requests a pod create makes (POST, then two GETs), sent straight to the emulator by
 * 10 workers from this process: what the apparatus alone costs, with no host in the way.
 */
async function floor(env: Env) {
  const spec = specOf("pod");
  const agent = new Agent({ connections: 64 });
  const headers = { authorization: `Bearer ${TEST_API_KEY}`, "content-type": "application/json", accept: "application/json" };
  const send = async (method: "GET" | "POST", route: string, body?: unknown) => {
    const res = await request(`${env.emulator.url}/v2${route}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body), dispatcher: agent });
    const json = (await res.body.json()) as any;
    if (res.statusCode >= 300) throw new Error(`${method} ${route} -> ${res.statusCode} ${JSON.stringify(json)}`);
    return json;
  };
  await env.emulator.setFaults({ latencyMs: LATENCY_MS });
  await env.emulator.clearLog();
  let next = 0;
  const t0 = Date.now();
  await Promise.all(
    Array.from({ length: PARALLEL }, async () => {
      while (next < PODS) {
        const i = next++;
        const checked = checkInputs(spec, "v2", {}, programInputs(spec, `floor-pod-${i}`, inputsOf.pod(i))).inputs;
        const pod = await send("POST", "/pods", createBody(spec, "v2", checked));
        await send("GET", `/pods/${pod.id}`);
        await send("GET", `/pods/${pod.id}`);
      }
    }),
  );
  const wallMs = Date.now() - t0;
  await agent.close();
  const requests = (await env.emulator.requests()).length;
  return { wallMs, requests, idealMs: (requests * LATENCY_MS) / PARALLEL };
}

async function main() {
  const started = Date.now();
  const emulator = await spawnEmulator({ apiKey: TEST_API_KEY, seed: 1, podReadyAfterPolls: 1 });
  const host = await startHost();
  const env: Env = { host, emulator, cpu: () => cpuMeter({ host: host.pid, emulator: emulator.pid, engine: process.pid }) };
  // The real retry settings (defaults: 8 retries, Retry-After honoured up to 30 s); only the
  // readiness poll is fast, so polling is not what gets measured.
  await host.configure(
    {
      "runpod:apiKey": TEST_API_KEY,
      "runpod:apiVersion": "v2",
      "runpod:apiUrl": emulator.url,
      "runpod:graphqlUrl": emulator.graphqlUrl,
      "runpod:pollIntervalSeconds": String(POLL_INTERVAL_SECONDS),
    },
    { secrets: ["runpod:apiKey"] },
  );

  try {
    const step = (s: string) => process.stderr.write(`bench: ${s}\n`);
    step(`preview of ${3 * PREVIEW_PER_KIND} unchanged resources…`);
    const pv = await preview(env);

    step(`up of ${PODS} pods, ${PARALLEL} in flight, ${LATENCY_MS} ms latency…`);
    const up = await podUp(env, "up", { latencyMs: LATENCY_MS });
    const upIdealMs = (up.requests * LATENCY_MS) / PARALLEL;
    const fl = await floor(env);

    step(`up of ${PODS} pods under a ${RATE_LIMIT} requests/s limit (≥ 30 s)…`);
    const rl = await podUp(env, "rl", { latencyMs: LATENCY_MS, rateLimitPerSecond: RATE_LIMIT });
    const limitMs = (rl.accepted / RATE_LIMIT) * 1000;

    const providerBytes: Record<string, number> = {};
    for (const kind of KINDS) providerBytes[kind] = Buffer.byteLength(await serializedProvider(kind), "utf8");
    const hostPeakRss = peakRss(host.pid);

    const perPod = (n: number | undefined) => (n === undefined ? "n/a" : `${(n / PODS).toFixed(1)} ms`);
    const rows: Row[] = [
      {
        measure: `preview ${pv.resources} unchanged (${PREVIEW_PER_KIND} volumes, templates, pods): API requests`,
        value: String(pv.requests),
        target: "0",
        pass: pv.requests === 0 && pv.ops.same === pv.resources,
      },
      {
        measure: "preview: host ms per resource (CPU; wall at 10 in flight)",
        value: `${pv.hostCpuMsPerResource?.toFixed(2) ?? "n/a"} ms CPU; ${pv.wallMsPerResource.toFixed(2)} ms wall (${ms(pv.wallMs)} total)`,
      },
      { measure: "preview: Check+Diff latency per resource (10 in flight)", value: `${pv.checkDiffMsPerResource.toFixed(1)} ms` },
      {
        measure: `up ${PODS} pods, ${PARALLEL} in flight: wall vs ideal (${up.requests} req × ${LATENCY_MS} ms ÷ ${PARALLEL} = ${ms(upIdealMs)})`,
        value: `${ms(up.wallMs)} = ${ratio(up.wallMs / upIdealMs)}`,
        target: `≤ ${TARGET_RATIO}×, 0 failures`,
        pass: up.wallMs <= TARGET_RATIO * upIdealMs && up.failures === 0,
      },
      {
        measure: "up: per pod Check / Create RPC; emulator ms per request",
        value: `${up.meanCheckMs.toFixed(1)} / ${up.meanCreateMs.toFixed(1)} ms; ${up.meanServerMsPerRequest.toFixed(1)} ms`,
      },
      {
        measure: "up: CPU per pod: host / emulator / engine simulation",
        value: `${perPod(up.cpuMs.host)} / ${perPod(up.cpuMs.emulator)} / ${perPod(up.cpuMs.engine)}`,
      },
      {
        measure: `floor: the same ${fl.requests} requests straight to the emulator (${PARALLEL} workers, no host)`,
        value: `${ms(fl.wallMs)} = ${ratio(fl.wallMs / fl.idealMs)}`,
      },
      {
        measure: `up ${PODS} pods at ${RATE_LIMIT} req/s: failures`,
        value: `${rl.failures}${rl.firstFailure ? ` (${rl.firstFailure.slice(0, 80)})` : ""}`,
        target: "0",
        pass: rl.failures === 0,
      },
      {
        measure: `up at ${RATE_LIMIT} req/s: wall vs limit (${rl.accepted} accepted ÷ ${RATE_LIMIT}/s = ${ms(limitMs)})`,
        value: `${ms(rl.wallMs)} = ${ratio(rl.wallMs / limitMs)}`,
        target: `≤ ${TARGET_RATIO}×`,
        pass: rl.wallMs <= TARGET_RATIO * limitMs,
      },
      { measure: `up at ${RATE_LIMIT} req/s: requests refused with 429 (retried)`, value: String(rl.rejected429) },
      ...KINDS.map((kind) => ({
        measure: `__provider bytes per resource: ${kind}`,
        value: `${providerBytes[kind]} B (${kib(providerBytes[kind])})`,
        target: "≤ 4 KB",
        pass: providerBytes[kind] <= PROVIDER_BYTES_TARGET,
      })),
      { measure: "host peak memory (VmHWM)", value: hostPeakRss === undefined ? "n/a" : mib(hostPeakRss) },
    ];

    const totalMs = Date.now() - started;
    const missed = rows.filter((r) => r.pass === false).length;
    console.log(table(rows));
    console.log(`\n${missed === 0 ? "all targets met" : `${missed} target(s) missed`}; bench took ${(totalMs / 1000).toFixed(1)} s`);

    const results = {
      date: new Date().toISOString(),
      machine: { node: process.version, cpus: require("os").cpus().length, platform: process.platform },
      settings: { latencyMs: LATENCY_MS, parallel: PARALLEL, rateLimitPerSecond: RATE_LIMIT, pods: PODS, podReadyAfterPolls: 1, pollIntervalSeconds: POLL_INTERVAL_SECONDS },
      preview: pv,
      up: { ...up, idealMs: upIdealMs, ratio: up.wallMs / upIdealMs },
      floor: { ...fl, ratio: fl.wallMs / fl.idealMs },
      rateLimited: { ...rl, limitMs, ratio: rl.wallMs / limitMs },
      providerBytes,
      hostPeakRssBytes: hostPeakRss,
      rows,
      totalMs,
    };
    fs.writeFileSync(path.join(REPO_ROOT, "bench-results.json"), JSON.stringify(results, null, 2) + "\n");
  } finally {
    await host.stop();
    await emulator.close();
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
