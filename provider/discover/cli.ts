#!/usr/bin/env node
/**
 * runpod-discover: lists a Runpod account's objects (read-only) and prints them as TypeScript
 * declarations or a fleet section, or — with `--state` — the objects no stack state tracks.
 */
import * as fs from "node:fs";
import { resolveSettings, requireApiKey } from "../client/settings";
import { redact } from "../client/redact";
import { listAccount } from "./list";
import { renderFleet, renderTypeScript } from "./render";
import { findStrays, renderStrays, StackExport } from "./strays";

const USAGE = `Usage: runpod-discover [--format ts|fleet] [--project NAME] [--state FILE ...] [--prefix NAME] [--json]
                       [--api-key KEY] [--api-url URL] [--graphql-url URL] [--api-version v2|v1]

Lists the Runpod account's network volumes, templates, registry credentials, secrets, pods and
endpoints (read-only) and prints:
  --format ts      TypeScript declarations for a Pulumi program (default)
  --format fleet   a fleet section for Pulumi.<stack>.yaml (--project sets the config namespace,
                   default runpod-fleet)
  --state FILE     instead, the objects no stack state tracks (FILE = \`pulumi stack export\` JSON;
                   repeat for several stacks): kind, name, id, age and hourly cost
  --prefix NAME    only objects whose name starts with NAME
  --json           machine-readable output (the objects, or the strays)
Config: RUNPOD_API_KEY, RUNPOD_API_URL, RUNPOD_GRAPHQL_URL, RUNPOD_API_VERSION (flags override them).
Secret values and registry passwords are never returned by Runpod: the output lists the
\`pulumi config set --secret\` commands to run instead.
`;

/** Parsed command line. */
export interface DiscoverOptions {
  format: "ts" | "fleet";
  project: string;
  states: string[];
  prefix?: string;
  json: boolean;
  env: NodeJS.ProcessEnv;
}

/** Thrown for a bad command line; the message is shown with the usage. */
export class UsageError extends Error {}

export function parseArgs(argv: string[], env: NodeJS.ProcessEnv): DiscoverOptions | "help" {
  const opts: DiscoverOptions = { format: "ts", project: "runpod-fleet", states: [], json: false, env: { ...env } };
  const envFlags: Record<string, string> = {
    "--api-key": "RUNPOD_API_KEY",
    "--api-url": "RUNPOD_API_URL",
    "--graphql-url": "RUNPOD_GRAPHQL_URL",
    "--api-version": "RUNPOD_API_VERSION",
  };
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i];
    const value = () => {
      const v = argv[++i];
      if (v === undefined) throw new UsageError(`${flag} needs a value`);
      return v;
    };
    if (flag === "-h" || flag === "--help") return "help";
    else if (flag === "--format") {
      const f = value();
      if (f !== "ts" && f !== "fleet") throw new UsageError(`--format must be ts or fleet, got "${f}"`);
      opts.format = f;
    } else if (flag === "--project") opts.project = value();
    else if (flag === "--state") opts.states.push(value());
    else if (flag === "--prefix") opts.prefix = value();
    else if (flag === "--json") opts.json = true;
    else if (envFlags[flag]) opts.env[envFlags[flag]] = value();
    else throw new UsageError(`unknown argument "${flag}"`);
  }
  return opts;
}

/** Runs the command; returns what to print. Exported for tests (the bin is a thin wrapper). */
export async function discover(opts: DiscoverOptions): Promise<string> {
  const settings = resolveSettings(undefined, opts.env);
  requireApiKey(settings);
  const states = opts.states.map((file) => JSON.parse(fs.readFileSync(file, "utf8")) as StackExport);
  let objects = await listAccount(settings);
  if (opts.prefix !== undefined) objects = objects.filter((o) => o.name.startsWith(opts.prefix!));
  if (opts.states.length > 0) {
    const strays = findStrays(objects, states);
    return opts.json ? JSON.stringify(strays, null, 2) + "\n" : renderStrays(strays);
  }
  if (opts.json) return JSON.stringify(objects, null, 2) + "\n";
  return opts.format === "fleet" ? renderFleet(objects, opts.project) : renderTypeScript(objects);
}

async function main(): Promise<number> {
  let opts: DiscoverOptions | "help";
  try {
    opts = parseArgs(process.argv.slice(2), process.env);
  } catch (e) {
    process.stderr.write(`runpod-discover: ${(e as Error).message}\n\n${USAGE}`);
    return 2;
  }
  if (opts === "help") {
    process.stdout.write(USAGE);
    return 0;
  }
  try {
    process.stdout.write(await discover(opts));
    return 0;
  } catch (e) {
    process.stderr.write(`runpod-discover: ${redact(e instanceof Error ? e.message : String(e))}\n`);
    return 1;
  }
}

if (require.main === module) {
  void main().then((code) => {
    process.exitCode = code;
  });
}
