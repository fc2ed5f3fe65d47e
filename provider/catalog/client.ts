/**
 * Runpod's catalog (`/v2/catalog/*`): what GPU types, CPU flavours, data centres and public
 * templates exist, at what price, and what is in stock. REST v2 names none of them in its spec
 * (v1 hard-coded enums that went stale), so a program that wants to choose has to ask.
 */
import type { V2 } from "../api";
import { RunpodHttp } from "../client/http";
import { DEFAULT_REST_URL, ProviderSettings } from "../client/settings";
import { rememberGpuType } from "./gpuFacts";

/** A GPU type as the catalog lists it (`availability`, `dataCenters`, `cudaVersions` only when asked for). */
export type CatalogGpuType = V2["GpuType"];
/** A CPU flavour (`availability`, `dataCenters` only when asked for). */
export type CatalogCpuType = V2["CpuType"];
/** A data centre (`gpuAvailability`, `cpuAvailability` only when asked for). */
export type CatalogDataCenter = V2["DataCenter"];
/** A public template of Runpod's catalog. */
export type CatalogTemplate = V2["Template"];
export type AvailabilityLevel = V2["AvailabilityLevel"];
export type GpuProduct = V2["Product"];
export type CpuProduct = V2["CpuProduct"];
export type DataCenterRegion = V2["DataCenterRegion"];
export type VolumeType = V2["VolumeType"];
export type Compliance = V2["Compliance"];

/** Ask for GPU stock: availability is per product, so the product is required. */
export interface GpuAvailabilityQuery {
  product: GpuProduct;
  /** GPUs per machine (default 1). */
  count?: number;
  cloud?: "SECURE" | "COMMUNITY";
  /** ISO 3166-1 alpha-2 codes, upper case. */
  countryCodes?: string[];
  /** Exact `major.minor` versions; exclusive with `minCudaVersion`. */
  cudaVersions?: string[];
  minCudaVersion?: string;
}

export interface CpuAvailabilityQuery {
  product: CpuProduct;
  /** A power of two, at least 2. */
  vcpuCount?: number;
}

export interface DataCenterQuery {
  regions?: DataCenterRegion[];
  networkVolumeTypes?: VolumeType[];
  compliance?: Compliance[];
  globalNetwork?: boolean;
  /** Include per-GPU-type availability in each data centre. */
  gpuAvailability?: boolean;
  /** Include per-CPU-flavour availability in each data centre. */
  cpuAvailability?: boolean;
}

export type TemplateSource = "official" | "verified" | "community";

type Query = Record<string, string | number | boolean | undefined>;

/**
 * The v2 base for any configured API: v1 has no catalog, so a v1 stack reads it from the v2 API
 * of the same server (Runpod's own, or an emulator's root).
 */
export function catalogBase(settings: Pick<ProviderSettings, "restUrl">): string {
  const trimmed = settings.restUrl.replace(/\/+$/, "");
  if (trimmed === DEFAULT_REST_URL.v1 || trimmed === DEFAULT_REST_URL.v2) return DEFAULT_REST_URL.v2;
  return trimmed.replace(/\/v[12]$/, "") + "/v2";
}

const joined = (values: readonly string[] | undefined): string | undefined => (values && values.length ? values.join(",") : undefined);

/**
 * How long an answer is reused. A command's host lives minutes at most: one request per distinct
 * query per run. A long-lived program (an Automation API process running many updates) would
 * otherwise place pods by the stock it saw when it started.
 */
export const CATALOG_MAX_AGE_MS = 5 * 60_000;

/** Answers shared by every CatalogClient of the process, with when each was asked for. */
const answers = new Map<string, { answer: Promise<unknown>; at: number }>();

/** Forget every cached catalog answer (a long-lived process that wants fresh stock). */
export function clearCatalogCache(): void {
  answers.clear();
}

/**
 * Reads the catalog through the one HTTP client (auth, pacing from rate-limit headers, retries,
 * classified errors). Each distinct query is sent once per process and `CATALOG_MAX_AGE_MS`;
 * concurrent identical queries share the request. A failed request is not cached, so a later
 * lookup asks again.
 */
export class CatalogClient {
  private readonly http: RunpodHttp;
  private readonly base: string;

  constructor(settings: ProviderSettings) {
    this.base = catalogBase(settings);
    this.http = new RunpodHttp({ ...settings, apiVersion: "v2", restUrl: this.base });
  }

  /** GPU types; with `availability`, their stock for that product. */
  async gpuTypes(availability?: GpuAvailabilityQuery): Promise<CatalogGpuType[]> {
    const query: Query = availability
      ? {
          include: "AVAILABILITY",
          product: availability.product,
          count: availability.count,
          cloud: availability.cloud,
          countryCodes: joined(availability.countryCodes),
          cudaVersions: joined(availability.cudaVersions),
          minCudaVersion: availability.minCudaVersion,
        }
      : {};
    // Every list teaches the process the types' names, VRAM and prices, once per answer received.
    const answer = await this.get<Partial<V2["ListGpuTypesResponse"]>>("/catalog/gpus", query, (a) => a?.gpus?.forEach(rememberGpuType));
    return answer?.gpus ?? [];
  }

  async cpuTypes(availability?: CpuAvailabilityQuery): Promise<CatalogCpuType[]> {
    const query: Query = availability ? { include: "AVAILABILITY", product: availability.product, vcpuCount: availability.vcpuCount } : {};
    const answer = await this.get<Partial<V2["ListCpuTypesResponse"]>>("/catalog/cpus", query);
    return answer?.cpus ?? [];
  }

  async dataCenters(q: DataCenterQuery = {}): Promise<CatalogDataCenter[]> {
    const include = [...(q.gpuAvailability ? ["GPU_AVAILABILITY"] : []), ...(q.cpuAvailability ? ["CPU_AVAILABILITY"] : [])];
    const query: Query = {
      include: joined(include),
      regions: joined(q.regions),
      networkVolumeTypes: joined(q.networkVolumeTypes),
      compliance: joined(q.compliance),
      globalNetwork: q.globalNetwork,
    };
    const answer = await this.get<Partial<V2["ListDataCentersResponse"]>>("/catalog/datacenters", query);
    return answer?.dataCenters ?? [];
  }

  /** Runpod's public templates (at most 100 per source, no pagination upstream). */
  async publicTemplates(source: TemplateSource = "official"): Promise<CatalogTemplate[]> {
    const answer = await this.get<{ templates?: CatalogTemplate[] }>("/catalog/templates", { source });
    return answer?.templates ?? [];
  }

  /** `received` runs once for each answer that arrives, not for each caller it is shared with. */
  private get<T>(path: string, query: Query, received?: (answer: T | undefined) => void): Promise<T | undefined> {
    const defined = Object.entries(query).filter((e): e is [string, string | number | boolean] => e[1] !== undefined);
    defined.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    // Only a cache key (the request builds its own query string): every pod's check asks, so no
    // URLSearchParams per call.
    const key = `${this.base}${path}?${defined.map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(String(v))}`).join("&")}`;
    const now = Date.now();
    const cached = answers.get(key);
    if (cached && now - cached.at <= CATALOG_MAX_AGE_MS) return cached.answer as Promise<T | undefined>;
    const answer = this.http.rest<T | undefined>({ method: "GET", path, query: Object.fromEntries(defined) }).then((a) => {
      received?.(a);
      return a;
    });
    const entry = { answer, at: now };
    answers.set(key, entry);
    answer.catch(() => {
      if (answers.get(key) === entry) answers.delete(key);
    });
    return answer;
  }
}
