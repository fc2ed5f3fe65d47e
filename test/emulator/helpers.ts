// Tiny fetch wrapper for the emulator tests (they test the server, so Node's global fetch is fine).
import type { Emulator } from "runpod-emulator";

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
