// Seedable PRNG so ids, port mappings and fault decisions are reproducible for a given seed.
// mulberry32: tiny, fast, good enough statistical quality for an emulator (not for crypto).

export class Prng {
  private state: number;

  constructor(seed: number) {
    this.state = seed >>> 0;
  }

  /** Uniform float in [0, 1). */
  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** Integer in [min, max] (inclusive). */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  /** Lowercase alphanumeric id like Runpod's (e.g. pods "xedezhzb9la3ye", volumes "agv6w2qcg7"). */
  id(length: number): string {
    const alphabet = "abcdefghijklmnopqrstuvwxyz0123456789";
    // Runpod ids start with a letter; keep that so ids never look numeric.
    let out = alphabet[this.int(0, 25)];
    for (let i = 1; i < length; i++) out += alphabet[this.int(0, alphabet.length - 1)];
    return out;
  }
}

/** Derive an independent stream from a seed (so fault decisions don't shift when more ids are drawn). */
export function deriveSeed(seed: number, salt: number): number {
  let h = (seed ^ Math.imul(salt, 0x9e3779b1)) >>> 0;
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b) >>> 0;
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35) >>> 0;
  return (h ^ (h >>> 16)) >>> 0;
}
