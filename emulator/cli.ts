#!/usr/bin/env node
// runpod-emulator: run the Runpod API emulator for dry-running stacks locally or in CI.
//   npx runpod-emulator --port 8787 --api-key test-key --latency-ms 20 --seed 42
// Binds 127.0.0.1 only. Point the provider at http://127.0.0.1:PORT (REST v2 /v2, REST v1 /v1,
// GraphQL /graphql); control it through http://127.0.0.1:PORT/__emulator/*.
import { parseArgs } from "node:util";
import { startEmulator, FaultConfig, RateLimitPolicy } from "./index";

const HELP = `Usage: runpod-emulator [options]

Options:
  --port N                     port on 127.0.0.1 (default 8787; 0 = random)
  --api-key KEY                accepted Bearer key (or env RUNPOD_EMULATOR_API_KEY); default: any non-empty key
  --seed N                     PRNG seed for ids and fault decisions (default: random, printed at start)
  --pod-ready-after-polls N    GETs of a pod before it is RUNNING (default 2; 0 = immediately)
  --endpoint-worker-ready-after-polls N
                               polls of an endpoint's workers before a starting worker is IDLE (default 1)
  --template-release-delay-ms N  template stays "in use" this long after its last pod/endpoint (default 0)
  --allow-delete-scaled-endpoints  allow deleting endpoints whose workers min > 0
  --latency-ms N               add N ms to every request
  --error-rate R               fail a fraction R (0..1) of requests before they touch state
  --error-status S             status for --error-rate failures: 500, 502, 503 (default), 504
  --drop-connection-rate R     destroy the socket for a fraction R of requests
  --rate-limit-per-second N    token bucket; over the limit -> 429 with Retry-After
  --validate-responses         check every response against the spec (violations are printed)
  --quota M,H,D                per-user quota per minute,hour,day (RateLimit headers + 429); default 100000,1000000,10000000
  --no-rate-limit              rate-limit-exempt caller: no quota, no RateLimit headers
  --read-only-key KEY          a key that authenticates but gets 403 on mutations (repeatable)
  --listing-lag-lists N        a created object is missing from the next N list calls of its kind
  --listing-lag-ms N           ... and/or for N ms after its create
  --sparse                     answer only what the spec requires (null where nullable, empty lists)
  --quiet                      do not print one line per request
  -h, --help                   show this help

Admin API (no auth, loopback only): GET /__emulator/health, GET|DELETE /__emulator/log,
POST /__emulator/reset, GET|POST|PATCH|DELETE /__emulator/faults, GET /__emulator/state,
GET|PATCH /__emulator/settings, POST /__emulator/gpu-stock|cpu-stock, POST /__emulator/pods/{id}/status|preempt|fail-start,
POST /__emulator/templates/{id}/hold|release.`;

function num(name: string, v: string | undefined, opts: { min?: number; max?: number; int?: boolean } = {}): number | undefined {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!Number.isFinite(n) || (opts.int && !Number.isInteger(n)) || (opts.min !== undefined && n < opts.min) || (opts.max !== undefined && n > opts.max)) {
    console.error(`runpod-emulator: invalid --${name} ${JSON.stringify(v)}`);
    process.exit(2);
  }
  return n;
}

async function main(): Promise<void> {
  let values: Record<string, string | boolean | string[] | undefined>;
  try {
    values = parseArgs({
      options: {
        port: { type: "string" },
        "api-key": { type: "string" },
        seed: { type: "string" },
        "pod-ready-after-polls": { type: "string" },
        "endpoint-worker-ready-after-polls": { type: "string" },
        "template-release-delay-ms": { type: "string" },
        "allow-delete-scaled-endpoints": { type: "boolean" },
        "latency-ms": { type: "string" },
        "error-rate": { type: "string" },
        "error-status": { type: "string" },
        "drop-connection-rate": { type: "string" },
        "rate-limit-per-second": { type: "string" },
        "validate-responses": { type: "boolean" },
        quota: { type: "string" },
        "no-rate-limit": { type: "boolean" },
        "read-only-key": { type: "string", multiple: true },
        "listing-lag-lists": { type: "string" },
        "listing-lag-ms": { type: "string" },
        sparse: { type: "boolean" },
        quiet: { type: "boolean" },
        help: { type: "boolean", short: "h" },
      },
      strict: true,
      allowPositionals: false,
    }).values;
  } catch (err) {
    console.error(`runpod-emulator: ${(err as Error).message}\n\n${HELP}`);
    process.exit(2);
  }
  if (values.help) {
    console.log(HELP);
    return;
  }

  const faults: FaultConfig = {};
  const latency = num("latency-ms", values["latency-ms"] as string | undefined, { min: 0, int: true });
  if (latency) faults.latencyMs = latency;
  const errorRate = num("error-rate", values["error-rate"] as string | undefined, { min: 0, max: 1 });
  if (errorRate) faults.errorRate = errorRate;
  const errorStatus = num("error-status", values["error-status"] as string | undefined, { int: true });
  if (errorStatus !== undefined) {
    if (![500, 502, 503, 504].includes(errorStatus)) {
      console.error("runpod-emulator: --error-status must be 500, 502, 503 or 504");
      process.exit(2);
    }
    faults.errorStatus = errorStatus as 500 | 502 | 503 | 504;
  }
  const drop = num("drop-connection-rate", values["drop-connection-rate"] as string | undefined, { min: 0, max: 1 });
  if (drop) faults.dropConnectionRate = drop;
  const rate = num("rate-limit-per-second", values["rate-limit-per-second"] as string | undefined, { min: 0 });
  if (rate) faults.rateLimitPerSecond = rate;

  let rateLimit: RateLimitPolicy | null | undefined;
  if (values["no-rate-limit"]) rateLimit = null;
  else if (values.quota !== undefined) {
    const parts = String(values.quota).split(",");
    const [minute, hour, day] = parts.map((p) => num("quota", p, { min: 1, int: true })!);
    if (parts.length !== 3) {
      console.error("runpod-emulator: --quota takes three numbers: minute,hour,day");
      process.exit(2);
    }
    rateLimit = { minute, hour, day };
  }
  const lagLists = num("listing-lag-lists", values["listing-lag-lists"] as string | undefined, { min: 0, int: true });
  const lagMs = num("listing-lag-ms", values["listing-lag-ms"] as string | undefined, { min: 0, int: true });

  const apiKey = (values["api-key"] as string | undefined) ?? process.env.RUNPOD_EMULATOR_API_KEY ?? undefined;
  const emulator = await startEmulator({
    port: num("port", values.port as string | undefined, { min: 0, max: 65535, int: true }) ?? 8787,
    apiKey: apiKey || undefined,
    seed: num("seed", values.seed as string | undefined, { min: 0, int: true }),
    podReadyAfterPolls: num("pod-ready-after-polls", values["pod-ready-after-polls"] as string | undefined, { min: 0, int: true }),
    endpointWorkerReadyAfterPolls: num("endpoint-worker-ready-after-polls", values["endpoint-worker-ready-after-polls"] as string | undefined, {
      min: 0,
      int: true,
    }),
    templateReleaseDelayMs: num("template-release-delay-ms", values["template-release-delay-ms"] as string | undefined, { min: 0, int: true }),
    requireScaleToZeroBeforeDelete: !values["allow-delete-scaled-endpoints"],
    validateResponses: Boolean(values["validate-responses"]),
    rateLimit,
    readOnlyKeys: (values["read-only-key"] as string[] | undefined) ?? [],
    listingLag: lagLists || lagMs ? { lists: lagLists, ms: lagMs } : null,
    sparse: Boolean(values.sparse),
    faults,
    quiet: Boolean(values.quiet),
  });
  console.log(`runpod-emulator listening on ${emulator.url} (v2 /v2, v1 /v1, GraphQL /graphql)`);
  if (!values.quiet) {
    console.log(
      `[runpod-emulator] seed ${emulator.seed}; auth: ${apiKey ? "fixed API key" : "any non-empty Bearer key"}; admin API at ${emulator.url}/__emulator`,
    );
  }

  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    if (!values.quiet) console.log(`[runpod-emulator] ${signal}: shutting down`);
    emulator.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.on("SIGINT", () => stop("SIGINT"));
  process.on("SIGTERM", () => stop("SIGTERM"));
}

main().catch((err) => {
  console.error(`runpod-emulator: ${(err as Error).message}`);
  process.exit(1);
});
