/**
 * Secret-leak scanning: looks for needles (API keys, registry passwords, ...) anywhere inside
 * arbitrary values: strings, nested objects/arrays (keys included), Buffers, Errors (message, stack,
 * own properties), Maps/Sets. A needle also matches in its base64 (standard and url-safe, and as
 * part of a `user:password` basic-auth blob, which shifts the alignment) and URL-encoded forms.
 */

export interface LeakHit {
  needle: string;
  /** Which encoding matched: "plain", "base64", "base64url", "url", ... */
  form: string;
  /** Path of the value inside the haystack, e.g. `[2].outputs.env[0].value`. */
  path: string;
}

/** All the encoded forms of a needle that count as a leak. */
export function needleForms(needle: string): Array<{ form: string; text: string }> {
  const forms: Array<{ form: string; text: string }> = [{ form: "plain", text: needle }];
  const add = (form: string, text: string) => {
    if (text && text.length >= 4 && !forms.some((f) => f.text === text)) forms.push({ form, text });
  };
  add("url", encodeURIComponent(needle));
  add("url-form", encodeURIComponent(needle).replace(/%20/g, "+"));
  add("json", JSON.stringify(needle).slice(1, -1));
  // Base64 of the needle at each of the three byte alignments, so it is also found inside the
  // encoding of a longer string (e.g. "Basic base64(user:password)"). Only the bytes that do not
  // depend on neighbouring characters are kept.
  const bytes = Buffer.from(needle, "utf8");
  for (let shift = 0; shift < 3; shift++) {
    const padded = Buffer.concat([Buffer.alloc(shift), bytes]);
    const b64 = padded.toString("base64").replace(/=+$/, "");
    // Drop leading chars influenced by the padding bytes and the trailing char influenced by what follows.
    const start = Math.ceil((shift * 8) / 6);
    const endBits = (shift + bytes.length) * 8;
    const end = Math.floor(endBits / 6);
    const core = b64.slice(start, end);
    if (core.length >= Math.min(8, Math.floor((bytes.length * 4) / 3))) {
      add(shift === 0 ? "base64" : `base64+${shift}`, core);
      add(shift === 0 ? "base64url" : `base64url+${shift}`, core.replace(/\+/g, "-").replace(/\//g, "_"));
    }
  }
  return forms;
}

/**
 * Deep-scans every haystack for every needle. Returns one human-readable line per hit
 * (`needle #i found (form) at path`), without printing the needle itself; [] means clean.
 */
export function findLeaks(haystacks: unknown[], needles: string[]): string[] {
  return findLeakHits(haystacks, needles).map((h) => `needle #${needles.indexOf(h.needle)} (${mask(h.needle)}) found as ${h.form} at ${h.path}`);
}

export function findLeakHits(haystacks: unknown[], needles: string[]): LeakHit[] {
  const usable = needles.filter((n) => typeof n === "string" && n.length > 0);
  const prepared = usable.map((n) => ({ needle: n, forms: needleForms(n) }));
  const hits: LeakHit[] = [];
  const seen = new Set<unknown>();

  const scanString = (s: string, path: string) => {
    for (const { needle, forms } of prepared) {
      for (const f of forms) {
        if (s.includes(f.text)) {
          hits.push({ needle, form: f.form, path: path || "<root>" });
          break;
        }
      }
    }
  };

  const visit = (value: unknown, path: string, depth: number) => {
    if (value === null || value === undefined) return;
    if (typeof value === "string") return scanString(value, path);
    if (typeof value === "number" || typeof value === "boolean" || typeof value === "bigint") return scanString(String(value), path);
    if (typeof value === "function") return scanString(value.toString(), path);
    if (typeof value !== "object" || depth > 200) return;
    if (seen.has(value)) return;
    seen.add(value);
    if (Buffer.isBuffer(value) || value instanceof Uint8Array) {
      const buf = Buffer.from(value as Uint8Array);
      scanString(buf.toString("utf8"), path);
      scanString(buf.toString("latin1"), path);
      return;
    }
    if (value instanceof Error) {
      scanString(value.message, `${path}.message`);
      if (value.stack) scanString(value.stack, `${path}.stack`);
      // cause and any own props (e.g. HostError.initFailure, response bodies)
    }
    if (value instanceof Map) {
      for (const [k, v] of value) {
        visit(k, `${path}<key>`, depth + 1);
        visit(v, `${path}[${String(k)}]`, depth + 1);
      }
      return;
    }
    if (value instanceof Set) {
      let i = 0;
      for (const v of value) visit(v, `${path}{${i++}}`, depth + 1);
      return;
    }
    if (Array.isArray(value)) {
      value.forEach((v, i) => visit(v, `${path}[${i}]`, depth + 1));
      return;
    }
    const keys = new Set<string>(Object.getOwnPropertyNames(value));
    if (value instanceof Error && (value as any).cause !== undefined) keys.add("cause");
    for (const k of keys) {
      scanString(k, `${path}<key ${JSON.stringify(k.length > 40 ? k.slice(0, 40) + "..." : k)}>`);
      let v: unknown;
      try {
        v = (value as any)[k];
      } catch {
        continue;
      }
      visit(v, path ? `${path}.${k}` : k, depth + 1);
    }
  };

  haystacks.forEach((h, i) => visit(h, `[${i}]`, 0));
  return hits;
}

function mask(s: string): string {
  return s.length <= 4 ? "****" : `${s.slice(0, 2)}...${s.length} chars`;
}
