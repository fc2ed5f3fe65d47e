// The live acceptance lane: the engine harness (the real dynamic-provider host over gRPC) against
// whatever Runpod API the environment names — the real one in a user's CI, the emulator here.
import * as assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { RunpodHttp } from "../../provider/client/http";
import { ProviderSettings, resolveSettings } from "../../provider/client/settings";
import { listAccount, FoundObject } from "../../provider/discover/list";
import { kindEntry } from "../../provider/resources/registry";
import { RestHandler } from "../../provider/runtime/rest";
import { secretFieldNames } from "../../provider/schema/fields";
import { startHost } from "../harness/host";
import type { Host } from "../harness/protocol";
import { EngineResource } from "../harness/engine";
import { ProgramResource, serializedProvider, specOf } from "../support/stack";

/** Every object the lane makes is named with this, so a later run can sweep what a killed one left. */
export const LANE_PREFIX = "rpdlive-";

export interface LaneOptions {
  env: NodeJS.ProcessEnv;
  /** Also the billed objects: a 10 GB network volume and the cheapest CPU pod. */
  paid: boolean;
  log: (line: string) => void;
}

export interface LaneReport {
  prefix: string;
  swept: string[];
  checked: string[];
}

/** Deletes what earlier runs left (names starting with LANE_PREFIX), pods first: they pin volumes. */
export async function sweep(settings: ProviderSettings, http: RunpodHttp, log: (l: string) => void): Promise<string[]> {
  const order = ["pod", "endpoint", "template", "containerRegistryAuth", "networkVolume", "secret"];
  const leftovers = (await listAccount(settings, http)).filter((o) => o.name.startsWith(LANE_PREFIX));
  leftovers.sort((a, b) => order.indexOf(a.kind) - order.indexOf(b.kind));
  for (const o of leftovers) {
    log(`sweep: deleting ${o.typeName} ${o.name} (${o.id}) left by an earlier run`);
    await deleteObject(settings, http, o);
  }
  return leftovers.map((o) => `${o.typeName}:${o.name}`);
}

async function deleteObject(settings: ProviderSettings, http: RunpodHttp, o: FoundObject): Promise<void> {
  const handler = kindEntry(o.kind).handler();
  if (handler instanceof RestHandler) {
    const routes = handler.routes[settings.apiVersion];
    if (routes) await http.rest({ method: "DELETE", path: `${routes.collection}/${encodeURIComponent(o.id)}` });
  } else {
    await http.graphql("mutation RunpodSecretDelete($id: ID!) { secretDelete(id: $id) }", { id: o.id }, "secretDelete");
  }
}

function providerConfig(settings: ProviderSettings, env: NodeJS.ProcessEnv): Record<string, string> {
  const config: Record<string, string> = { "runpod:apiKey": settings.apiKey ?? "", "runpod:apiVersion": settings.apiVersion };
  if (env.RUNPOD_API_URL) config["runpod:apiUrl"] = env.RUNPOD_API_URL;
  if (env.RUNPOD_GRAPHQL_URL) config["runpod:graphqlUrl"] = env.RUNPOD_GRAPHQL_URL;
  if (env.RUNPOD_POLL_INTERVAL_SECONDS) config["runpod:pollIntervalSeconds"] = env.RUNPOD_POLL_INTERVAL_SECONDS;
  return config;
}

async function resource(host: Host, kind: string, name: string): Promise<EngineResource> {
  const spec = specOf(kind);
  return new ProgramResource(spec, host, {
    type: `pulumi-nodejs:dynamic/runpod:${spec.typeName}`,
    name,
    providerText: await serializedProvider(kind),
    additionalSecretOutputs: secretFieldNames(spec),
  });
}

/**
 * One object's whole life: create, one edit (asserting the operation the README promises),
 * refresh (no drift), destroy (gone from the account's listing).
 */
async function lifecycle(
  ctx: { host: Host; settings: ProviderSettings; http: RunpodHttp; log: (l: string) => void },
  kind: string,
  create: Record<string, unknown>,
  edit: Record<string, unknown>,
  expectOp: "update" | "replace",
): Promise<string> {
  const r = await resource(ctx.host, kind, String(create.name));
  const label = `${r.type.split(":").pop()} ${String(create.name)}`;
  const made = await r.up(create);
  assert.equal(made.op, "create", `${label}: create`);
  const id = r.state!.id;
  try {
    const changed = await r.up({ ...create, ...edit });
    assert.equal(changed.op, expectOp, `${label}: the edit ${JSON.stringify(Object.keys(edit))} is an ${expectOp}`);
    const refreshed = await r.refresh();
    assert.notEqual(refreshed.outcome, "deleted", `${label}: refresh still finds it`);
    const again = await r.preview({ ...create, ...edit });
    assert.equal(again.op, "same", `${label}: after refresh the program matches Runpod (no drift)`);
  } finally {
    await r.destroy();
  }
  const left = (await listAccount(ctx.settings, ctx.http)).filter((o) => o.id === id || o.id === r.state?.id);
  assert.deepEqual(left, [], `${label}: destroy removed it`);
  ctx.log(`ok: ${label} created, ${expectOp}d, refreshed, destroyed`);
  return label;
}

interface CpuType {
  id: string;
  vcpu?: { min?: number };
  price?: { securePerVcpu?: number };
}

/** The CPU flavor whose smallest size costs least per hour (from `GET /v2/catalog/cpus`). */
export async function cheapestCpu(http: RunpodHttp): Promise<{ id: string; vcpus: number; perHour: number }> {
  const { cpus } = await http.rest<{ cpus: CpuType[] }>({ method: "GET", path: "/catalog/cpus" });
  const priced = cpus
    .map((c) => {
      const vcpus = Math.max(2, c.vcpu?.min ?? 2);
      return { id: c.id, vcpus, perHour: (c.price?.securePerVcpu ?? Infinity) * vcpus };
    })
    .filter((c) => Number.isFinite(c.perHour))
    .sort((a, b) => a.perHour - b.perHour);
  if (priced.length === 0) throw new Error("the CPU catalog lists no priced flavor");
  return priced[0];
}

/** Runs the lane; throws (an AssertionError or the provider's error) on the first failure. */
export async function runLane(opts: LaneOptions): Promise<LaneReport> {
  const settings = resolveSettings(undefined, opts.env);
  const http = new RunpodHttp(settings);
  const prefix = `${LANE_PREFIX}${Date.now().toString(36)}-${randomBytes(2).toString("hex")}-`;
  opts.log(`live lane on ${settings.restUrl} (${settings.apiVersion}), names ${prefix}*`);
  const swept = await sweep(settings, http, opts.log);
  const host = await startHost();
  const checked: string[] = [];
  try {
    await host.configure(providerConfig(settings, opts.env));
    const ctx = { host, settings, http, log: opts.log };
    const token = () => randomBytes(12).toString("hex");
    checked.push(
      await lifecycle(ctx, "template", { name: `${prefix}tpl`, imageName: "busybox:1.36", containerDiskInGb: 5 }, { imageName: "busybox:1.37" }, "update"),
    );
    checked.push(
      await lifecycle(ctx, "secret", { name: `${prefix}secret`, value: token(), description: "live lane" }, { description: "live lane, edited" }, "update"),
    );
    checked.push(
      await lifecycle(ctx, "containerRegistryAuth", { name: `${prefix}registry`, username: "lane-bot", password: token() }, { password: token() }, "replace"),
    );
    if (opts.paid) {
      if (settings.apiVersion !== "v2") throw new Error("RUNPOD_LIVE_PAID=1 needs the v2 wire (the CPU pod is chosen from the v2 catalog)");
      const { dataCenters } = await http.rest<{ dataCenters: Array<{ id: string; networkVolumeTypes?: string[] }> }>({
        method: "GET",
        path: "/catalog/datacenters",
      });
      const dc = dataCenters.find((d) => (d.networkVolumeTypes ?? []).length > 0);
      if (!dc) throw new Error("no data center offers network volumes");
      checked.push(await lifecycle(ctx, "networkVolume", { name: `${prefix}volume`, size: 10, dataCenterId: dc.id }, { size: 11 }, "update"));
      const cpu = await cheapestCpu(http);
      opts.log(`cheapest CPU: ${cpu.id} × ${cpu.vcpus} vCPU ≈ $${cpu.perHour.toFixed(3)}/h`);
      checked.push(
        await lifecycle(
          ctx,
          "pod",
          { name: `${prefix}pod`, imageName: "busybox:1.36", computeType: "CPU", cpuFlavorIds: [cpu.id], vcpuCount: cpu.vcpus, containerDiskInGb: 5 },
          { desiredStatus: "EXITED" },
          "update",
        ),
      );
    }
  } finally {
    await host.stop();
  }
  return { prefix, swept, checked };
}
