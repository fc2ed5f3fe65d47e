/**
 * Lookups over Runpod's catalog: which GPU types, serverless pools, CPU flavours and data centres
 * exist, at what price, and where they are in stock now. Stock is a snapshot, not a reservation:
 * use it to choose, and expect a create to still find the capacity gone.
 */
import * as pulumi from "@pulumi/pulumi";
import type { AvailabilityLevel, CatalogClient, CatalogGpuType, Compliance, DataCenterRegion, VolumeType } from "../catalog/client";
import { LookupError, outputLookup, programSettings } from "./common";

export type { AvailabilityLevel, DataCenterRegion, VolumeType, Compliance } from "../catalog/client";

async function catalog(): Promise<CatalogClient> {
  // Loaded on first use: importing the package (and a preview on the host) loads no HTTP stack.
  const { CatalogClient } = await import("../catalog/client");
  return new CatalogClient(programSettings());
}

const LEVELS: AvailabilityLevel[] = ["NONE", "LOW", "MEDIUM", "HIGH"];
const best = (levels: Array<AvailabilityLevel | undefined>): AvailabilityLevel =>
  levels.reduce<AvailabilityLevel>((a, b) => (b !== undefined && LEVELS.indexOf(b) > LEVELS.indexOf(a) ? b : a), "NONE");

/** Data centres matching ids and/or regions; undefined when neither was given. */
async function dataCenterScope(client: CatalogClient, ids: string[] | undefined, regions: DataCenterRegion[] | undefined): Promise<Set<string> | undefined> {
  if (!ids?.length && !regions?.length) return undefined;
  const inRegions = regions?.length ? (await client.dataCenters({ regions })).map((d) => d.id) : undefined;
  return new Set((ids?.length ? ids : (inRegions ?? [])).filter((id) => !inRegions || inRegions.includes(id)));
}

export interface GetGpuTypesArgs {
  /** Only types with at least this much VRAM per GPU (GB). */
  minMemoryInGb?: number;
  /** Only types whose `pricePerHour` (per GPU, for the chosen cloud / product) is at most this (USD). */
  maxPricePerHour?: number;
  /** `SECURE` (default) or `COMMUNITY` cloud: decides price, max count and stock. */
  cloudType?: "SECURE" | "COMMUNITY";
  /** `POD` (default) or `SERVERLESS` (only types in a serverless pool; serverless prices). */
  product?: "POD" | "SERVERLESS";
  /** GPUs per pod (default 1): stock is counted for machines with that many. */
  gpuCount?: number;
  /** Only types that offer one of these CUDA versions (`major.minor`). */
  cudaVersions?: string[];
  /** Only types that offer this CUDA version or newer (`12` or `12.4`). Exclusive with `cudaVersions`. */
  minCudaVersion?: string;
  /** Only types available in one of these data centres. */
  dataCenterIds?: string[];
  /** Only types available in a data centre of one of these regions. */
  regions?: DataCenterRegion[];
  /** Only types in stock now (for the cloud, product and count asked). */
  availableOnly?: boolean;
}

/** A GPU type, cheapest first in a `getGpuTypes` result. */
export interface GpuTypeInfo {
  /** The id pods take (`gpuTypeIds`), e.g. "NVIDIA A40". */
  id: string;
  displayName: string;
  /** The serverless pool it belongs to (endpoints' `gpuPoolIds`), null when none. */
  pool: string | null;
  manufacturer: string;
  /** VRAM per GPU (GB). */
  memoryInGb: number;
  /** USD per GPU-hour for the cloud and product asked. */
  pricePerHour: number;
  securePrice: number;
  communityPrice: number;
  /** USD per GPU-hour on serverless; absent when Runpod gives none. */
  serverlessPrice?: number;
  secureCloud: boolean;
  communityCloud: boolean;
  /** Most GPUs of this type one pod can have, per cloud (a ceiling, not stock). */
  maxCount: { secure: number; community: number };
  /** Stock now; present when stock was asked for (availability, data-centre, region or CUDA filters). */
  availability?: AvailabilityLevel;
  /** Data centres where it is in stock (within the asked scope); present with `availability`. */
  dataCenterIds?: string[];
  /** CUDA versions it offers (within the asked filters); present with `availability`. */
  cudaVersions?: string[];
}

export interface GetGpuTypesResult {
  gpuTypes: GpuTypeInfo[];
}

function priceOf(g: CatalogGpuType, product: "POD" | "SERVERLESS", cloud: "SECURE" | "COMMUNITY"): number | undefined {
  if (product === "SERVERLESS") return g.price.serverless;
  return cloud === "COMMUNITY" ? g.price.community : g.price.secure;
}

/** GPU types with their prices and (when a filter needs it) their stock, cheapest first. */
export async function getGpuTypes(args: GetGpuTypesArgs = {}, _opts?: pulumi.InvokeOptions): Promise<GetGpuTypesResult> {
  if (args.cudaVersions?.length && args.minCudaVersion) throw new LookupError("lookup_invalid", "getGpuTypes: cudaVersions and minCudaVersion are exclusive");
  const product = args.product ?? "POD";
  const cloud = args.cloudType ?? "SECURE";
  const client = await catalog();
  const scope = await dataCenterScope(client, args.dataCenterIds, args.regions);
  const cudaFiltered = !!args.cudaVersions?.length || !!args.minCudaVersion;
  const withStock = !!args.availableOnly || scope !== undefined || cudaFiltered;
  const types = await client.gpuTypes(
    withStock ? { product, cloud, count: args.gpuCount, cudaVersions: args.cudaVersions, minCudaVersion: args.minCudaVersion } : undefined,
  );
  const out: GpuTypeInfo[] = [];
  for (const g of types) {
    const price = priceOf(g, product, cloud);
    if (price === undefined || !(cloud === "COMMUNITY" ? g.community : g.secure)) continue;
    if (product === "SERVERLESS" && !g.pool) continue;
    if (args.minMemoryInGb !== undefined && g.memory < args.minMemoryInGb) continue;
    if (args.maxPricePerHour !== undefined && price > args.maxPricePerHour) continue;
    if (args.gpuCount !== undefined && args.gpuCount > (cloud === "COMMUNITY" ? g.maxCount.community : g.maxCount.secure)) continue;
    const info: GpuTypeInfo = {
      id: g.id,
      displayName: g.name,
      pool: g.pool ?? null,
      manufacturer: g.manufacturer,
      memoryInGb: g.memory,
      pricePerHour: price,
      securePrice: g.price.secure,
      communityPrice: g.price.community,
      secureCloud: g.secure,
      communityCloud: g.community,
      maxCount: { secure: g.maxCount.secure, community: g.maxCount.community },
    };
    if (g.price.serverless !== undefined) info.serverlessPrice = g.price.serverless;
    if (withStock) {
      const inScope = (g.dataCenters ?? []).filter((d) => d.availability !== "NONE" && (!scope || scope.has(d.id)));
      info.availability = scope ? best(inScope.map((d) => d.availability)) : (g.availability ?? "NONE");
      info.dataCenterIds = inScope.map((d) => d.id);
      info.cudaVersions = (g.cudaVersions ?? []).filter((c) => !args.availableOnly || c.available).map((c) => c.version);
      // The catalog names only the data centres that have a type in stock, so a scope means "in stock there".
      if (scope && !inScope.length) continue;
      if (cudaFiltered && !info.cudaVersions.length) continue;
      if (args.availableOnly && info.availability === "NONE") continue;
    }
    out.push(info);
  }
  out.sort((a, b) => a.pricePerHour - b.pricePerHour || a.memoryInGb - b.memoryInGb || (a.id < b.id ? -1 : 1));
  return { gpuTypes: out };
}
export const getGpuTypesOutput = outputLookup(getGpuTypes);

export interface GetGpuPoolsArgs {
  /** Only pools whose smallest GPU has at least this much VRAM (GB). */
  minMemoryInGb?: number;
  /** Only pools with serverless stock now. */
  availableOnly?: boolean;
}

/** A serverless GPU pool (what endpoints' `gpuPoolIds` name). */
export interface GpuPoolInfo {
  /** e.g. "AMPERE_48". */
  id: string;
  /** GPU types a worker of this pool may get (exclude some with an endpoint's `excludedGpuTypeIds`). */
  gpuTypeIds: string[];
  /** VRAM of the smallest member (GB). */
  memoryInGb: number;
  /** Lowest serverless USD per GPU-hour among the members, when Runpod gives one. */
  serverlessPricePerHour?: number;
  /** Best serverless stock among the members. */
  availability: AvailabilityLevel;
}

export interface GetGpuPoolsResult {
  pools: GpuPoolInfo[];
}

/** Serverless GPU pools, derived from the GPU catalog with serverless stock. */
export async function getGpuPools(args: GetGpuPoolsArgs = {}, _opts?: pulumi.InvokeOptions): Promise<GetGpuPoolsResult> {
  const types = await (await catalog()).gpuTypes({ product: "SERVERLESS" });
  const pools = new Map<string, CatalogGpuType[]>();
  for (const g of types) if (g.pool) pools.set(g.pool, [...(pools.get(g.pool) ?? []), g]);
  const out: GpuPoolInfo[] = [];
  for (const [id, members] of pools) {
    const prices = members.map((g) => g.price.serverless).filter((p): p is number => p !== undefined);
    const info: GpuPoolInfo = {
      id,
      gpuTypeIds: members.map((g) => g.id),
      memoryInGb: Math.min(...members.map((g) => g.memory)),
      availability: best(members.map((g) => g.availability)),
    };
    if (prices.length) info.serverlessPricePerHour = Math.min(...prices);
    if (args.minMemoryInGb !== undefined && info.memoryInGb < args.minMemoryInGb) continue;
    if (args.availableOnly && info.availability === "NONE") continue;
    out.push(info);
  }
  out.sort((a, b) => (a.id < b.id ? -1 : 1));
  return { pools: out };
}
export const getGpuPoolsOutput = outputLookup(getGpuPools);

export interface GetCpuFlavorsArgs {
  /** `POD` (default) or `SERVERLESS`. */
  product?: "POD" | "SERVERLESS";
  /** Only flavours that offer this many vCPUs (a power of two). */
  vcpuCount?: number;
  /** Only flavours in stock now. */
  availableOnly?: boolean;
}

/** A CPU flavour (pods' `cpuFlavorIds`). */
export interface CpuFlavorInfo {
  /** e.g. "cpu3c". */
  id: string;
  displayName: string;
  group: string;
  minVcpu: number;
  maxVcpu: number;
  /** RAM per vCPU (GB), may be fractional. */
  ramGbPerVcpu: number;
  /** USD per vCPU-hour on pods. */
  securePricePerVcpu: number;
  /** USD per vCPU-hour on serverless. */
  serverlessPricePerVcpu: number;
  /** Stock now; present when stock was asked for. */
  availability?: AvailabilityLevel;
  /** Data centres where it is in stock; present with `availability`. */
  dataCenterIds?: string[];
}

export interface GetCpuFlavorsResult {
  cpuFlavors: CpuFlavorInfo[];
}

export async function getCpuFlavors(args: GetCpuFlavorsArgs = {}, _opts?: pulumi.InvokeOptions): Promise<GetCpuFlavorsResult> {
  const withStock = !!args.availableOnly || args.product === "SERVERLESS";
  const cpus = await (await catalog()).cpuTypes(withStock ? { product: args.product ?? "POD", vcpuCount: args.vcpuCount } : undefined);
  const out: CpuFlavorInfo[] = [];
  for (const c of cpus) {
    if (args.vcpuCount !== undefined && (args.vcpuCount < c.vcpu.min || args.vcpuCount > c.vcpu.max)) continue;
    const info: CpuFlavorInfo = {
      id: c.id,
      displayName: c.name,
      group: c.group,
      minVcpu: c.vcpu.min,
      maxVcpu: c.vcpu.max,
      ramGbPerVcpu: c.ramGbPerVcpu,
      securePricePerVcpu: c.price.securePerVcpu,
      serverlessPricePerVcpu: c.price.serverlessPerVcpu,
    };
    if (withStock) {
      info.availability = c.availability ?? "NONE";
      info.dataCenterIds = (c.dataCenters ?? []).filter((d) => d.availability !== "NONE").map((d) => d.id);
      if (info.availability === "NONE") continue;
    }
    out.push(info);
  }
  return { cpuFlavors: out };
}
export const getCpuFlavorsOutput = outputLookup(getCpuFlavors);

export interface GetDataCentersArgs {
  /** Only data centres in one of these regions. */
  regions?: DataCenterRegion[];
  /** Only data centres offering every one of these network-volume types. */
  networkVolumeTypes?: VolumeType[];
  /** Only data centres with every one of these certifications. */
  compliance?: Compliance[];
  /** Only data centres with (true) or without (false) global networking. */
  globalNetwork?: boolean;
  /** Only data centres where this GPU type is in stock now. */
  gpuTypeId?: string;
  /** Only data centres where this CPU flavour is in stock now. */
  cpuFlavorId?: string;
  /** Report per-GPU-type and per-CPU-flavour stock of each data centre. */
  includeAvailability?: boolean;
}

/** A data centre (pods' and endpoints' `dataCenterIds`, a network volume's `dataCenterId`). */
export interface DataCenterInfo {
  /** e.g. "EU-RO-1". */
  id: string;
  displayName: string;
  region: DataCenterRegion;
  globalNetwork: boolean;
  /** Network-volume types it offers; empty = no network volumes here. */
  networkVolumeTypes: VolumeType[];
  compliance: Compliance[];
  /** GPU type id → stock now; present when availability was asked for (or filtered on). */
  gpuAvailability?: Record<string, AvailabilityLevel>;
  /** CPU flavour id → stock now; present when availability was asked for (or filtered on). */
  cpuAvailability?: Record<string, AvailabilityLevel>;
}

export interface GetDataCentersResult {
  dataCenters: DataCenterInfo[];
}

export async function getDataCenters(args: GetDataCentersArgs = {}, _opts?: pulumi.InvokeOptions): Promise<GetDataCentersResult> {
  const gpu = !!args.includeAvailability || args.gpuTypeId !== undefined;
  const cpu = !!args.includeAvailability || args.cpuFlavorId !== undefined;
  const dcs = await (
    await catalog()
  ).dataCenters({
    regions: args.regions,
    networkVolumeTypes: args.networkVolumeTypes,
    compliance: args.compliance,
    globalNetwork: args.globalNetwork,
    gpuAvailability: gpu,
    cpuAvailability: cpu,
  });
  const out: DataCenterInfo[] = [];
  for (const d of dcs) {
    const info: DataCenterInfo = {
      id: d.id,
      displayName: d.name,
      region: d.region,
      globalNetwork: d.globalNetwork,
      networkVolumeTypes: d.networkVolumeTypes ?? [],
      compliance: d.compliance ?? [],
    };
    if (gpu) info.gpuAvailability = Object.fromEntries((d.gpuAvailability ?? []).map((a) => [a.id, a.availability]));
    if (cpu) info.cpuAvailability = Object.fromEntries((d.cpuAvailability ?? []).map((a) => [a.id, a.availability]));
    if (args.gpuTypeId !== undefined && (info.gpuAvailability?.[args.gpuTypeId] ?? "NONE") === "NONE") continue;
    if (args.cpuFlavorId !== undefined && (info.cpuAvailability?.[args.cpuFlavorId] ?? "NONE") === "NONE") continue;
    out.push(info);
  }
  return { dataCenters: out };
}
export const getDataCentersOutput = outputLookup(getDataCenters);
