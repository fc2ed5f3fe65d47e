// Tiny fetch wrapper for the emulator tests (they test the server, so Node's global fetch is fine).
import { startEmulator, type Emulator } from "runpod-emulator";

export interface Res {
  status: number;
  body: any;
  text: string;
  headers: Headers;
}

export interface Client {
  call(method: string, path: string, body?: unknown, headers?: Record<string, string>): Promise<Res>;
  get(path: string): Promise<Res>;
  post(path: string, body?: unknown): Promise<Res>;
  patch(path: string, body?: unknown): Promise<Res>;
  del(path: string): Promise<Res>;
  gql(query: string, variables?: Record<string, unknown>): Promise<Res>;
}

export function client(emu: Emulator, key: string | null = "test-key"): Client {
  const call = async (method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<Res> => {
    const h: Record<string, string> = { "content-type": "application/json", ...headers };
    if (key !== null) h.authorization = `Bearer ${key}`;
    const r = await fetch(emu.url + path, {
      method,
      headers: h,
      body: body === undefined ? undefined : typeof body === "string" ? body : JSON.stringify(body),
    });
    const text = await r.text();
    let parsed: unknown = undefined;
    try {
      parsed = text ? JSON.parse(text) : undefined;
    } catch {
      parsed = undefined;
    }
    return { status: r.status, body: parsed, text, headers: r.headers };
  };
  return {
    call,
    get: (p) => call("GET", p),
    post: (p, b) => call("POST", p, b),
    patch: (p, b) => call("PATCH", p, b),
    del: (p) => call("DELETE", p),
    gql: (query, variables) => call("POST", "/graphql", { query, variables }),
  };
}

/** GET a pod until it leaves PROVISIONING/STARTING (each GET is one step of the polling hook). */
export async function pollPod(c: Client, wire: "v1" | "v2", id: string, maxPolls = 10): Promise<Res> {
  for (let i = 0; i < maxPolls; i++) {
    const r = await c.get(`/${wire}/pods/${id}`);
    const status = wire === "v2" ? r.body.status : r.body.publicIp ? "RUNNING" : r.body.desiredStatus === "EXITED" ? "EXITED" : "STARTING";
    if (status !== "PROVISIONING" && status !== "STARTING") return r;
  }
  throw new Error(`pod ${id} did not settle after ${maxPolls} polls`);
}

/**
 * One emulator for a test file that checks every response it sends against the spec: the file
 * fails in `afterAll` on any violation. Reset before each test; tunables put back after each.
 */
export function validatingEmulator(ready: (emu: Emulator, c: Client) => void): void {
  let emu: Emulator;
  beforeAll(async () => {
    emu = await startEmulator({ seed: 1234, validateResponses: true });
    ready(emu, client(emu));
  });
  beforeEach(() => emu.reset());
  afterEach(() => {
    emu.configure({ podReadyAfterPolls: 2, templateReleaseDelayMs: 0, requireScaleToZeroBeforeDelete: true });
  });
  afterAll(async () => {
    const violations = emu.responseViolations();
    await emu.close();
    expect(violations).toEqual([]);
  });
}

async function created(c: Client, path: string, body: Record<string, unknown>) {
  const r = await c.post(path, body);
  expect(r.status).toBe(201);
  return r.body;
}

/** A v2 network volume in EU-RO-1 (20 GB unless `body` says otherwise). */
export const volume = (c: Client, body: Record<string, unknown> = {}) =>
  created(c, "/v2/network-volumes", { name: "vol", size: 20, dataCenter: "EU-RO-1", ...body });

/** A v2 pod on one A40 with SSH and Jupyter ports. */
export const v2Pod = (c: Client, body: Record<string, unknown> = {}) =>
  created(c, "/v2/pods", { name: "pod", image: "runpod/base:1", gpu: { id: "NVIDIA A40" }, ports: ["22/tcp", "8888/http"], ...body });

/** A v1 pod on one A40. */
export const v1Pod = (c: Client, body: Record<string, unknown> = {}) =>
  created(c, "/v1/pods", { name: "pod", imageName: "runpod/base:1", gpuTypeIds: ["NVIDIA A40"], ...body });

/** A v1 serverless template (v1 answers 200 to a create); its id. */
export async function serverlessTemplate(c: Client, name = "worker"): Promise<string> {
  const r = await c.post("/v1/templates", { name, imageName: "runpod/worker:1", isServerless: true, volumeInGb: 0, env: { MODEL: "m" } });
  expect(r.status).toBe(200);
  return r.body.id;
}
