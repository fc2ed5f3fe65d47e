import * as pulumi from "@pulumi/pulumi";

/**
 * The test provider. Self-contained (only globals), because it is serialized by value.
 * Its "cloud" is a Map on the host process's globalThis, so creates/deletes are observable
 * through read().
 *  - check: `size: "bad"` fails; `name` is auto-generated when missing (kept from olds if present).
 *  - diff: `region` change replaces; `dbr: true` asks for delete-before-replace.
 *  - create: `size: "initfail"` throws an init failure (id + properties); `size: "explode"` throws
 *    a plain error; `size: "hang"` never returns; `delayMs` waits first.
 *  - read: returns {} (empty id) when the id is gone from the cloud.
 */
export const testProvider: pulumi.dynamic.ResourceProvider = {
  async configure(req) {
    const g = globalThis as any;
    g.__selftestConfig = { token: req.config.get("test:token"), region: req.config.get("test:region"), short: req.config.get("token") };
  },
  async check(olds, news) {
    const failures: pulumi.dynamic.CheckFailure[] = [];
    if (news.size === "bad") failures.push({ property: "size", reason: "size must not be bad" });
    if (news.count !== undefined && typeof news.count !== "number") failures.push({ property: "count", reason: "count must be a number" });
    const inputs = { ...news };
    if (!inputs.name) inputs.name = olds.name ?? `auto-${Math.random().toString(36).slice(2, 10)}`;
    return { inputs, failures };
  },
  async diff(_id, olds, news) {
    const keys = ["name", "size", "region", "label", "count"];
    const changed = keys.filter((k) => JSON.stringify(olds[k]) !== JSON.stringify(news[k]));
    const replaces = changed.filter((k) => k === "region");
    return { changes: changed.length > 0, replaces, deleteBeforeReplace: news.dbr === true };
  },
  async create(inputs) {
    const g = globalThis as any;
    g.__selftestSeq = (g.__selftestSeq ?? 0) + 1;
    const id = `id-${g.__selftestSeq}`;
    g.__selftestCloud = g.__selftestCloud ?? new Map();
    g.__selftestInFlight = (g.__selftestInFlight ?? 0) + 1;
    g.__selftestMaxInFlight = Math.max(g.__selftestMaxInFlight ?? 0, g.__selftestInFlight);
    try {
      if (inputs.delayMs) await new Promise((r) => setTimeout(r, inputs.delayMs));
      if (inputs.size === "hang") await new Promise(() => undefined);
      const cfg = g.__selftestConfig ?? {};
      const outs = { ...inputs, status: "RUNNING", configuredToken: cfg.token ?? null, shortKey: cfg.short ?? null, maxInFlight: g.__selftestMaxInFlight };
      delete outs.__provider;
      if (inputs.size === "initfail") {
        g.__selftestCloud.set(id, { ...outs, status: "FAILED" });
        throw Object.assign(new Error(`pod ${id} never became ready`), {
          id,
          // As the Runpod provider does: state without `__provider` could not be read or deleted.
          properties: { ...outs, status: "FAILED", __provider: inputs.__provider },
          reasons: ["timed out waiting for RUNNING"],
        });
      }
      if (inputs.size === "explode") throw new Error("create exploded: quota exceeded");
      g.__selftestCloud.set(id, outs);
      console.log(`created ${id}`);
      console.error(`stderr note for ${id}`);
      return { id, outs };
    } finally {
      g.__selftestInFlight--;
    }
  },
  async read(id, _props) {
    const g = globalThis as any;
    const cloud: Map<string, any> = g.__selftestCloud ?? new Map();
    const found = cloud.get(id);
    if (!found) return {};
    const { status, configuredToken, shortKey, maxInFlight, updatedAt, ...inputs } = found;
    return { id, props: { ...found }, inputs };
  },
  async update(id, olds, news) {
    const g = globalThis as any;
    const outs = { ...news, status: "RUNNING", configuredToken: olds.configuredToken, updatedAt: "now" };
    delete outs.__provider;
    g.__selftestCloud.set(id, outs);
    return { outs };
  },
  async delete(id) {
    const g = globalThis as any;
    g.__selftestCloud?.delete(id);
    g.__selftestDeleted = [...(g.__selftestDeleted ?? []), id];
  },
};

/** A provider with only create: Diff comes back "unknown" and Read echoes the state. */
export const bareProvider: pulumi.dynamic.ResourceProvider = {
  async create(inputs) {
    return { id: `bare-${inputs.n}`, outs: { n: inputs.n } };
  },
};

export const TOKEN = "tok-SECRET-9f3a7c1e5b";
