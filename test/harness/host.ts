/**
 * Drives the real Pulumi dynamic-provider host (`@pulumi/pulumi/cmd/dynamic-provider/index.js`)
 * over gRPC, exactly like the Pulumi engine does when it runs the `pulumi-nodejs` provider plugin.
 *
 * Everything here is deliberately low level: the property bags passed in are sent as-is, so the
 * caller (usually `EngineResource` in engine.ts) is responsible for putting `__provider` in them.
 */
import { ChildProcess, spawn } from "child_process";
import * as path from "path";
import * as grpc from "@grpc/grpc-js";
import { Struct } from "google-protobuf/google/protobuf/struct_pb";
import * as provproto from "@pulumi/pulumi/proto/provider_pb";
import * as provrpc from "@pulumi/pulumi/proto/provider_grpc_pb";
import * as statusproto from "@pulumi/pulumi/proto/status_pb";
import { DiffChanges, Host, HostError, HostOptions, InitFailure, PropertyMap, ReadResult, REPO_ROOT, RpcName, secretValue } from "./protocol";

/**
 * JSON-like normalisation before `Struct.fromJavaScript` (which throws on `undefined`): drops
 * undefined object members, turns undefined array elements into null, like the engine's
 * property-value marshalling, which has no "undefined".
 */
export function toWire(value: any): any {
  if (value === undefined) return null;
  if (value === null || typeof value !== "object") return value;
  if (Array.isArray(value)) return value.map((v) => toWire(v));
  const out: PropertyMap = {};
  for (const [k, v] of Object.entries(value)) {
    if (v !== undefined) out[k] = toWire(v);
  }
  return out;
}

function toStruct(obj: PropertyMap | undefined): Struct {
  return Struct.fromJavaScript(toWire(obj ?? {}));
}

function fromStruct(s: Struct | undefined): PropertyMap {
  return s ? s.toJavaScript() : {};
}

const CHANGES: Record<number, DiffChanges> = {
  [provproto.DiffResponse.DiffChanges.DIFF_UNKNOWN]: "unknown",
  [provproto.DiffResponse.DiffChanges.DIFF_NONE]: "none",
  [provproto.DiffResponse.DiffChanges.DIFF_SOME]: "some",
};

/** Decodes `ErrorResourceInitFailed` from the `grpc-status-details-bin` trailer, if present. */
export function decodeInitFailure(metadata: grpc.Metadata | undefined): InitFailure | undefined {
  if (!metadata) return undefined;
  for (const raw of metadata.get("grpc-status-details-bin")) {
    const buf = typeof raw === "string" ? Buffer.from(raw, "base64") : raw;
    const status = statusproto.Status.deserializeBinary(new Uint8Array(buf));
    for (const any of status.getDetailsList()) {
      if (any.getTypeName() !== "pulumirpc.ErrorResourceInitFailed") continue;
      const detail = provproto.ErrorResourceInitFailed.deserializeBinary(any.getValue_asU8());
      return {
        id: detail.getId(),
        properties: fromStruct(detail.getProperties()),
        reasons: detail.getReasonsList(),
      };
    }
  }
  return undefined;
}

function hostScriptFor(cwd: string): string {
  const local = path.join(cwd, "node_modules", "@pulumi", "pulumi", "cmd", "dynamic-provider", "index.js");
  try {
    require("fs").accessSync(local);
    return local;
  } catch {
    return require.resolve("@pulumi/pulumi/cmd/dynamic-provider/index.js", { paths: [REPO_ROOT] });
  }
}

function baseEnv(inherit: boolean): Record<string, string> {
  const env: Record<string, string> = {};
  const src = process.env;
  for (const [k, v] of Object.entries(src)) {
    if (v === undefined) continue;
    if (!inherit && !["PATH", "HOME", "SystemRoot", "TMPDIR"].includes(k)) continue;
    // Settings of the test process's own Pulumi runtime must not leak into the host.
    if (k.startsWith("PULUMI_NODEJS_")) continue;
    // jest/ts-node style preloads of this process would change what the host loads.
    if (k === "NODE_OPTIONS") continue;
    env[k] = v;
  }
  return env;
}

/**
 * Hosts not stopped yet. One exit listener kills them all if the test process ends without
 * stop(): a listener per host would pile up past Node's limit of ten in a suite with many stacks.
 */
const liveHosts = new Set<ChildProcess>();
process.once("exit", () => {
  for (const child of liveHosts) child.kill("SIGKILL");
});

export async function startHost(opts: HostOptions = {}): Promise<Host> {
  const cwd = path.resolve(opts.cwd ?? REPO_ROOT);
  const script = opts.hostScript ?? hostScriptFor(cwd);
  const env = { ...baseEnv(opts.inheritEnv ?? true), ...(opts.env ?? {}) };
  let traceFile: string | undefined;
  let traceCache: string[] | undefined;
  if (opts.traceModules) {
    const os = require("os") as typeof import("os");
    const fs = require("fs") as typeof import("fs");
    traceFile = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "host-trace-")), "modules.txt");
    fs.writeFileSync(traceFile, "");
    env.HARNESS_MODULE_TRACE = traceFile;
    const preload = path.join(__dirname, "trace-modules.js");
    env.NODE_OPTIONS = `${env.NODE_OPTIONS ? env.NODE_OPTIONS + " " : ""}--require ${JSON.stringify(preload)}`;
  }

  const t0 = Date.now();
  const [command, ...prefix] = opts.runUnder ?? [process.execPath];
  const args = [...prefix, ...(opts.runUnder ? [process.execPath] : []), script, opts.engineAddress ?? "127.0.0.1:1"];
  const startTimeoutMs = opts.startTimeoutMs ?? (opts.runUnder ? 300_000 : 15_000);
  const child: ChildProcess = spawn(command, args, {
    cwd,
    env,
    stdio: ["ignore", "pipe", "pipe"],
  });
  let out = "";
  let err = "";
  let exitInfo: { code: number | null; signal: NodeJS.Signals | null } | undefined;
  child.stdout!.setEncoding("utf8");
  child.stderr!.setEncoding("utf8");
  liveHosts.add(child);
  const outputWaiters = new Set<() => void>();
  const notifyOutput = () => outputWaiters.forEach((w) => w());
  child.stdout!.on("data", (d: string) => {
    out += d;
    notifyOutput();
  });
  child.stderr!.on("data", (d: string) => {
    err += d;
    notifyOutput();
  });
  const exitPromise = new Promise<void>((resolve) => {
    child.on("exit", (code, signal) => {
      exitInfo = { code, signal };
      liveHosts.delete(child);
    });
    // "close" fires after exit AND after stdout/stderr are drained, so stdout()/stderr() are complete.
    child.on("close", () => resolve());
  });

  const port = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(new Error(`dynamic-provider host did not print its port within ${startTimeoutMs} ms; stderr:\n${err}`));
    }, startTimeoutMs);
    const onData = () => {
      const nl = out.indexOf("\n");
      if (nl < 0) return;
      clearTimeout(timer);
      child.stdout!.off("data", onData);
      const p = Number(out.slice(0, nl).trim());
      if (Number.isInteger(p) && p > 0) resolve(p);
      else reject(new Error(`host printed an unexpected first line: ${JSON.stringify(out.slice(0, nl))}`));
    };
    child.stdout!.on("data", onData);
    child.on("error", (e) => {
      clearTimeout(timer);
      reject(e);
    });
    child.on("exit", (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`dynamic-provider host exited (code ${code}, signal ${signal}) before printing its port; stderr:\n${err}`));
    });
  });
  const startMs = Date.now() - t0;

  const client = new provrpc.ResourceProviderClient(`127.0.0.1:${port}`, grpc.credentials.createInsecure());

  function call<Req, Res>(
    rpc: RpcName,
    method: (req: Req, md: grpc.Metadata, o: Partial<grpc.CallOptions>, cb: (e: grpc.ServiceError | null, r: Res) => void) => unknown,
    req: Req,
  ): Promise<Res> {
    const rpcTimeoutMs = host.rpcTimeoutMs;
    return new Promise<Res>((resolve, reject) => {
      method.call(client, req, new grpc.Metadata(), { deadline: Date.now() + rpcTimeoutMs }, (e, r) => {
        if (!e) return resolve(r);
        let message = e.details ?? e.message;
        if (e.code === grpc.status.DEADLINE_EXCEEDED) {
          message = `${rpc} timed out after ${rpcTimeoutMs} ms (host stderr:\n${err.slice(-4000)})`;
        } else if (exitInfo || e.code === grpc.status.UNAVAILABLE) {
          message = `${message} (host ${exitInfo ? `exited: code ${exitInfo.code}, signal ${exitInfo.signal}` : "unavailable"}; stderr:\n${err.slice(-4000)})`;
        }
        reject(new HostError(rpc, e.code, message, e.message, decodeInitFailure(e.metadata)));
      });
    });
  }

  const host: Host = {
    port,
    pid: child.pid!,
    cwd,
    startMs,
    rpcTimeoutMs: opts.rpcTimeoutMs ?? 20000,
    async configure(config, o) {
      const secrets = new Set(o?.secrets ?? []);
      const args: PropertyMap = {};
      for (const [k, v] of Object.entries(config)) args[k] = secrets.has(k) ? secretValue(v) : v;
      const req = new provproto.ConfigureRequest();
      req.setArgs(toStruct(args));
      // Legacy `variables` map: the engine still fills it alongside `args`.
      const vars = req.getVariablesMap();
      for (const [k, v] of Object.entries(config)) vars.set(k, v);
      req.setAcceptsecrets(true);
      req.setAcceptresources(true);
      req.setSendsOldInputs(true);
      req.setSendsOldInputsToDelete(true);
      const res = await call<provproto.ConfigureRequest, provproto.ConfigureResponse>("Configure", client.configure, req);
      return {
        acceptSecrets: res.getAcceptsecrets(),
        supportsPreview: res.getSupportspreview(),
        acceptResources: res.getAcceptresources(),
        acceptOutputs: res.getAcceptoutputs(),
      };
    },
    async check(urn, olds, news, o) {
      const req = new provproto.CheckRequest();
      req.setUrn(urn);
      req.setOlds(toStruct(olds));
      req.setNews(toStruct(news));
      req.setName(o?.name ?? urnName(urn));
      req.setType(o?.type ?? urnType(urn));
      req.setRandomseed(Buffer.from(urn).subarray(0, 32));
      const res = await call<provproto.CheckRequest, provproto.CheckResponse>("Check", client.check, req);
      return {
        inputs: fromStruct(res.getInputs()),
        failures: res.getFailuresList().map((f) => ({ property: f.getProperty(), reason: f.getReason() })),
      };
    },
    async diff(id, urn, olds, news, o) {
      const req = new provproto.DiffRequest();
      req.setId(id);
      req.setUrn(urn);
      req.setOlds(toStruct(olds));
      req.setNews(toStruct(news));
      if (o?.oldInputs) req.setOldInputs(toStruct(o.oldInputs));
      if (o?.ignoreChanges) req.setIgnorechangesList(o.ignoreChanges);
      req.setName(urnName(urn));
      req.setType(urnType(urn));
      const res = await call<provproto.DiffRequest, provproto.DiffResponse>("Diff", client.diff, req);
      return {
        changes: CHANGES[res.getChanges()] ?? "unknown",
        replaces: res.getReplacesList(),
        stables: res.getStablesList(),
        diffs: res.getDiffsList(),
        deleteBeforeReplace: res.getDeletebeforereplace(),
        hasDetailedDiff: res.getHasdetaileddiff(),
      };
    },
    async create(urn, props, o) {
      const req = new provproto.CreateRequest();
      req.setUrn(urn);
      req.setProperties(toStruct(props));
      req.setPreview(o?.preview ?? false);
      if (o?.timeoutSec) req.setTimeout(o.timeoutSec);
      req.setName(urnName(urn));
      req.setType(urnType(urn));
      const res = await call<provproto.CreateRequest, provproto.CreateResponse>("Create", client.create, req);
      return { id: res.getId(), properties: fromStruct(res.getProperties()) };
    },
    async read(id, urn, props, inputs) {
      const req = new provproto.ReadRequest();
      req.setId(id);
      req.setUrn(urn);
      req.setProperties(toStruct(props));
      if (inputs) req.setInputs(toStruct(inputs));
      req.setName(urnName(urn));
      req.setType(urnType(urn));
      const res = await call<provproto.ReadRequest, provproto.ReadResponse>("Read", client.read, req);
      const result: ReadResult = { id: res.getId(), properties: fromStruct(res.getProperties()) };
      if (res.hasInputs()) result.inputs = fromStruct(res.getInputs());
      return result;
    },
    async update(id, urn, olds, news, o) {
      const req = new provproto.UpdateRequest();
      req.setId(id);
      req.setUrn(urn);
      req.setOlds(toStruct(olds));
      req.setNews(toStruct(news));
      if (o?.oldInputs) req.setOldInputs(toStruct(o.oldInputs));
      req.setPreview(o?.preview ?? false);
      if (o?.timeoutSec) req.setTimeout(o.timeoutSec);
      req.setName(urnName(urn));
      req.setType(urnType(urn));
      const res = await call<provproto.UpdateRequest, provproto.UpdateResponse>("Update", client.update, req);
      return { properties: fromStruct(res.getProperties()) };
    },
    async delete(id, urn, props, o) {
      const req = new provproto.DeleteRequest();
      req.setId(id);
      req.setUrn(urn);
      req.setProperties(toStruct(props));
      if (o?.oldInputs) req.setOldInputs(toStruct(o.oldInputs));
      if (o?.timeoutSec) req.setTimeout(o.timeoutSec);
      req.setName(urnName(urn));
      req.setType(urnType(urn));
      await call("Delete", client.delete, req);
    },
    waitForOutput(match, o) {
      const stream = o?.stream ?? "both";
      const test = () => {
        const text = stream === "stdout" ? out : stream === "stderr" ? err : out + "\n" + err;
        return typeof match === "string" ? text.includes(match) : match.test(text);
      };
      if (test()) return Promise.resolve();
      return new Promise<void>((resolve, reject) => {
        const done = () => {
          clearTimeout(timer);
          outputWaiters.delete(check);
        };
        const check = () => {
          if (test()) {
            done();
            resolve();
          }
        };
        const timer = setTimeout(() => {
          done();
          reject(new Error(`host output did not contain ${String(match)} within ${o?.timeoutMs ?? 2000} ms`));
        }, o?.timeoutMs ?? 2000);
        outputWaiters.add(check);
      });
    },
    stdout: () => out,
    stderr: () => err,
    loadedModules() {
      if (!traceFile) throw new Error("startHost({ traceModules: true }) is required for loadedModules()");
      if (traceCache) return traceCache;
      return (require("fs") as typeof import("fs")).readFileSync(traceFile, "utf8").split("\n").filter(Boolean);
    },
    exited: () => exitInfo,
    async stop() {
      client.close();
      if (!exitInfo) {
        child.kill("SIGTERM");
        const t = setTimeout(() => child.kill("SIGKILL"), 3000);
        await exitPromise;
        clearTimeout(t);
      }
      if (traceFile && !traceCache) {
        traceCache = host.loadedModules();
        try {
          (require("fs") as typeof import("fs")).rmSync(path.dirname(traceFile), { recursive: true, force: true });
        } catch {
          /* ignore */
        }
      }
    },
  };
  return host;
}

function urnName(urn: string): string {
  const parts = urn.split("::");
  return parts[parts.length - 1] ?? "";
}
function urnType(urn: string): string {
  const parts = urn.split("::");
  const qualified = parts.length >= 3 ? parts[2] : "";
  return qualified.split("$").pop() ?? "";
}
