/**
 * Lookups of the account's own objects by id or name: pods, endpoints, network volumes, registry
 * credentials, secrets (GraphQL; values never returned) and templates (own, then Runpod's public
 * catalog). Results carry the same property names as the resources' outputs, read through the
 * resources' own field tables, on whichever wire `runpod:apiVersion` selects.
 */
import * as pulumi from "@pulumi/pulumi";
import type { RunpodHttp } from "../client/http";
import type { ProviderSettings, Wire } from "../client/settings";
import type { ContainerRegistryAuthArgs } from "../resources/containerRegistryAuth/args";
import type { EndpointArgs } from "../resources/endpoint/args";
import type { EndpointComputed } from "../resources/endpoint/outputs";
import type { NetworkVolumeArgs } from "../resources/networkVolume/args";
import type { PodArgs } from "../resources/pod/args";
import type { PodComputed } from "../resources/pod/outputs";
import type { RestRoutes } from "../runtime/rest";
import type { SecretArgs } from "../resources/secret/args";
import type { TemplateArgs } from "../resources/template/args";
import type { AnySpec, JsonObject, Plain } from "../schema/fields";
import { isObject } from "../schema/fields";
import type { TemplateSource } from "../catalog/client";
import { LookupError, outputLookup, programSettings } from "./common";

/** An object found by a lookup: its id plus what Runpod reports, named like the resource's outputs. */
export type LookedUp<Args, Computed = object> = { id: string } & { [K in keyof Plain<Args>]?: Plain<Args>[K] } & Partial<Computed>;

/** Find one object by `id` (exact) or by `name` (must be unique in the account). */
export interface GetByIdOrNameArgs {
  id?: string;
  name?: string;
}

export type PodResult = LookedUp<PodArgs, PodComputed>;
export type EndpointResult = LookedUp<EndpointArgs, EndpointComputed>;
export type NetworkVolumeResult = LookedUp<NetworkVolumeArgs>;
/** Registry credentials: name only; Runpod never returns the username or password. */
export type ContainerRegistryAuthResult = LookedUp<Omit<ContainerRegistryAuthArgs, "username" | "password">>;
/** A secret's id, name and description; the value is never returned. */
export type SecretResult = LookedUp<Omit<SecretArgs, "value">>;
/** A template; `source` says whether it is the account's own or Runpod's public catalog's. */
export type TemplateResult = LookedUp<TemplateArgs> & { source: "account" | "catalog" };

interface Session {
  settings: ProviderSettings;
  http: RunpodHttp;
  wire: Wire;
}

async function session(): Promise<Session> {
  // Loaded on first use: importing the package loads no HTTP stack.
  const { RunpodHttp } = await import("../client/http");
  const settings = programSettings();
  return { settings, http: new RunpodHttp(settings), wire: settings.apiVersion };
}

async function outputsOf(kind: string, wire: Wire, api: unknown): Promise<JsonObject> {
  const { kindEntry } = await import("../resources/registry");
  const { outputsFrom } = await import("../schema/derive");
  const spec: AnySpec = kindEntry(kind).spec();
  return { ...outputsFrom(spec, wire, api, {}), id: isObject(api) ? String(api.id) : "" };
}

function pick(what: string, args: GetByIdOrNameArgs, objects: unknown[]): unknown {
  const found = objects.filter((o) => isObject(o) && (args.id !== undefined ? o.id === args.id : o.name === args.name));
  const label = args.id !== undefined ? `id "${args.id}"` : `name "${args.name}"`;
  if (!found.length) throw new LookupError("lookup_not_found", `no ${what} with ${label} in this Runpod account`);
  if (found.length > 1) throw new LookupError("lookup_ambiguous", `${found.length} ${what}s are named "${args.name}": look it up by id`);
  return found[0];
}

function checkArgs(fn: string, args: GetByIdOrNameArgs): void {
  if ((args.id === undefined) === (args.name === undefined)) throw new LookupError("lookup_invalid", `${fn}: give exactly one of id or name`);
}

async function listRest(s: Session, kind: string): Promise<unknown[]> {
  const { kindEntry } = await import("../resources/registry");
  const routes = (kindEntry(kind).handler() as unknown as { routes: Partial<Record<Wire, RestRoutes>> }).routes[s.wire];
  if (!routes) throw new LookupError("lookup_invalid", `${kind} is not available on Runpod REST ${s.wire}`);
  const answer = await s.http.rest<unknown>({ method: "GET", path: routes.collection, query: routes.getQuery });
  if (Array.isArray(answer)) return answer as unknown[];
  const list = isObject(answer) && routes.listKey ? answer[routes.listKey] : undefined;
  return Array.isArray(list) ? (list as unknown[]) : [];
}

function restLookup<R>(kind: string, what: string, fn: string) {
  return async (args: GetByIdOrNameArgs, _opts?: pulumi.InvokeOptions): Promise<R> => {
    checkArgs(fn, args);
    const s = await session();
    return (await outputsOf(kind, s.wire, pick(what, args, await listRest(s, kind)))) as unknown as R;
  };
}

/** A pod of the account (status, cost, placement, ports…). */
export const getPod = restLookup<PodResult>("pod", "pod", "getPod");
export const getPodOutput = outputLookup(getPod);
/** A serverless endpoint of the account. */
export const getEndpoint = restLookup<EndpointResult>("endpoint", "endpoint", "getEndpoint");
export const getEndpointOutput = outputLookup(getEndpoint);
/** A network volume of the account (its data centre and size). */
export const getNetworkVolume = restLookup<NetworkVolumeResult>("networkVolume", "network volume", "getNetworkVolume");
export const getNetworkVolumeOutput = outputLookup(getNetworkVolume);
/** Registry credentials of the account, by id or name (credentials themselves never returned). */
export const getContainerRegistryAuth = restLookup<ContainerRegistryAuthResult>("containerRegistryAuth", "container registry auth", "getContainerRegistryAuth");
export const getContainerRegistryAuthOutput = outputLookup(getContainerRegistryAuth);

const SECRETS = "query RunpodSecrets { myself { secrets { id name description } } }";

/** A secret of the account (Runpod's GraphQL API): id, name, description; never the value. */
export async function getSecret(args: GetByIdOrNameArgs, _opts?: pulumi.InvokeOptions): Promise<SecretResult> {
  checkArgs("getSecret", args);
  const s = await session();
  const data = await s.http.graphql<{ myself?: { secrets?: unknown[] | null } | null }>(SECRETS, {}, "myself.secrets");
  const out = await outputsOf("secret", s.wire, pick("secret", args, data?.myself?.secrets ?? []));
  delete out.value;
  return out as unknown as SecretResult;
}
export const getSecretOutput = outputLookup(getSecret);

export interface GetTemplateArgs {
  /** The template's name: the account's own templates first, then Runpod's public catalog. */
  name: string;
  /** Which public catalog slices to search when the account has none of that name (default: all three). */
  catalogSources?: TemplateSource[];
}

/** A template by name: the account's own, else one of Runpod's public templates (read from the v2 catalog on either wire). */
export async function getTemplate(args: GetTemplateArgs, _opts?: pulumi.InvokeOptions): Promise<TemplateResult> {
  const s = await session();
  const own = (await listRest(s, "template")).filter((t) => isObject(t) && t.name === args.name);
  if (own.length > 1) throw new LookupError("lookup_ambiguous", `${own.length} templates of this account are named "${args.name}"`);
  if (own.length === 1) return { ...(await outputsOf("template", s.wire, own[0])), source: "account" } as unknown as TemplateResult;
  const { CatalogClient } = await import("../catalog/client");
  const catalog = new CatalogClient(s.settings);
  for (const source of args.catalogSources ?? ["official", "verified", "community"]) {
    const found = (await catalog.publicTemplates(source)).find((t) => t.name === args.name);
    if (found) return { ...(await outputsOf("template", "v2", found)), source: "catalog" } as unknown as TemplateResult;
  }
  throw new LookupError("lookup_not_found", `no template named "${args.name}" in this account or Runpod's public catalog`);
}
export const getTemplateOutput = outputLookup(getTemplate);
