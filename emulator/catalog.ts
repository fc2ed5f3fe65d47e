// Small, realistic catalog: GPU types (ids as in the v1 enum, serverless pool ids as in Runpod's
// docs), CPU flavors and data centres (the 26 ids of the v1 enum). Prices are list prices in USD/h
// close to Runpod's public pricing at the time of writing; they only need to be plausible.

export interface GpuTypeInfo {
  id: string;
  displayName: string;
  pool: string | null;
  manufacturer: "NVIDIA" | "AMD";
  memoryInGb: number;
  secure: boolean;
  community: boolean;
  securePrice: number;
  communityPrice: number;
  secureSpotPrice: number;
  communitySpotPrice: number;
  serverlessPrice?: number;
  maxCount: number;
  cudaVersions: string[];
  /** Data centres that host this type; absent = every data centre. */
  dataCenterIds?: string[];
}

const CUDA_RECENT = ["12.9", "12.8", "12.6", "12.4"];
const CUDA_ALL = ["13.0", "12.9", "12.8", "12.7", "12.6", "12.5", "12.4", "12.3", "12.2", "12.1", "12.0", "11.8"];

function gpu(
  id: string,
  displayName: string,
  pool: string | null,
  memoryInGb: number,
  securePrice: number,
  communityPrice: number,
  serverlessPrice: number | undefined,
  extra: Partial<GpuTypeInfo> = {},
): GpuTypeInfo {
  return {
    id,
    displayName,
    pool,
    manufacturer: "NVIDIA",
    memoryInGb,
    secure: true,
    community: communityPrice > 0,
    securePrice,
    communityPrice,
    secureSpotPrice: Math.round(securePrice * 0.6 * 100) / 100,
    communitySpotPrice: Math.round(communityPrice * 0.6 * 100) / 100,
    serverlessPrice,
    maxCount: 8,
    cudaVersions: CUDA_RECENT,
    ...extra,
  };
}

export const GPU_TYPES: GpuTypeInfo[] = [
  gpu("NVIDIA GeForce RTX 4090", "RTX 4090", "ADA_24", 24, 0.69, 0.34, 1.1),
  gpu("NVIDIA RTX A5000", "RTX A5000", "AMPERE_24", 24, 0.27, 0.16, 0.68),
  gpu("NVIDIA L4", "L4", "AMPERE_24", 24, 0.43, 0, 0.68),
  gpu("NVIDIA GeForce RTX 3090", "RTX 3090", "AMPERE_24", 24, 0.46, 0.22, 0.68),
  gpu("NVIDIA A40", "A40", "AMPERE_48", 48, 0.4, 0.35, 1.22),
  gpu("NVIDIA RTX A6000", "RTX A6000", "AMPERE_48", 48, 0.49, 0.33, 1.22),
  gpu("NVIDIA L40S", "L40S", "ADA_48_PRO", 48, 0.86, 0.79, 1.9),
  // A few types live only in some regions, as on Runpod, so region filters have something to filter.
  gpu("NVIDIA L40", "L40", "ADA_48_PRO", 48, 0.99, 0.69, 1.9, { dataCenterIds: ["US-TX-3", "US-KS-2", "US-GA-2", "CA-MTL-1"] }),
  gpu("NVIDIA RTX 6000 Ada Generation", "RTX 6000 Ada", "ADA_48_PRO", 48, 0.77, 0.74, 1.9, { dataCenterIds: ["US-IL-1", "US-TX-4", "CA-MTL-3"] }),
  gpu("NVIDIA A100 80GB PCIe", "A100 PCIe", "AMPERE_80", 80, 1.64, 1.19, 2.72),
  gpu("NVIDIA A100-SXM4-80GB", "A100 SXM", "AMPERE_80", 80, 1.74, 1.39, 2.72),
  gpu("NVIDIA H100 80GB HBM3", "H100 SXM", "ADA_80_PRO", 80, 2.69, 2.39, 4.18, { cudaVersions: CUDA_ALL }),
  gpu("NVIDIA H100 PCIe", "H100 PCIe", "ADA_80_PRO", 80, 2.39, 1.99, 4.18, { cudaVersions: CUDA_ALL }),
  gpu("NVIDIA H100 NVL", "H100 NVL", "ADA_80_PRO", 94, 2.79, 2.59, 4.18, { cudaVersions: CUDA_ALL }),
  gpu("NVIDIA H200", "H200 SXM", "HOPPER_141", 141, 3.99, 3.59, 5.58, { cudaVersions: CUDA_ALL, dataCenterIds: ["US-TX-3", "US-KS-2", "EU-RO-1"] }),
  gpu("NVIDIA RTX A4000", "RTX A4000", "AMPERE_16", 16, 0.25, 0.17, 0.58),
  gpu("NVIDIA RTX A4500", "RTX A4500", "AMPERE_16", 20, 0.25, 0.19, 0.58),
  gpu("NVIDIA RTX 4000 Ada Generation", "RTX 4000 Ada", "AMPERE_16", 20, 0.26, 0.2, 0.58),
  gpu("NVIDIA RTX 2000 Ada Generation", "RTX 2000 Ada", "AMPERE_16", 16, 0.24, 0.23, 0.58),
  gpu("NVIDIA GeForce RTX 5090", "RTX 5090", null, 32, 0.94, 0.69, undefined, { cudaVersions: ["13.0", "12.9", "12.8"] }),
  gpu("AMD Instinct MI300X OAM", "MI300X", null, 192, 2.49, 0, undefined, {
    manufacturer: "AMD",
    community: false,
    cudaVersions: [],
  }),
];

/** The seeded types; `addGpuType` appends to GPU_TYPES and `resetCatalog` trims back to these. */
const SEEDED_GPU_COUNT = GPU_TYPES.length;

/** Serverless pool ids: every pool some GPU type (seeded or added) belongs to. */
export function serverlessPools(): string[] {
  return Array.from(new Set(GPU_TYPES.map((g) => g.pool).filter((p): p is string => p !== null)));
}

/** The seeded pools (kept for importers of the constant). */
export const SERVERLESS_POOLS: string[] = serverlessPools();

export function findGpuType(id: string): GpuTypeInfo | undefined {
  return GPU_TYPES.find((g) => g.id === id);
}

export function gpuTypesInPool(pool: string): GpuTypeInfo[] {
  return GPU_TYPES.filter((g) => g.pool === pool);
}

export interface CpuFlavorInfo {
  id: string;
  name: string;
  group: string;
  minVcpu: number;
  maxVcpu: number;
  ramGbPerVcpu: number;
  securePerVcpu: number;
  serverlessPerVcpu: number;
  /** v1 endpoints only accept the compute/general flavors (no *m). */
  serverless: boolean;
}

export const CPU_FLAVORS: CpuFlavorInfo[] = [
  {
    id: "cpu3c",
    name: "Compute-Optimized (3rd gen)",
    group: "cpu3",
    minVcpu: 2,
    maxVcpu: 32,
    ramGbPerVcpu: 2,
    securePerVcpu: 0.03,
    serverlessPerVcpu: 0.045,
    serverless: true,
  },
  {
    id: "cpu3g",
    name: "General Purpose (3rd gen)",
    group: "cpu3",
    minVcpu: 2,
    maxVcpu: 32,
    ramGbPerVcpu: 4,
    securePerVcpu: 0.04,
    serverlessPerVcpu: 0.06,
    serverless: true,
  },
  {
    id: "cpu3m",
    name: "Memory-Optimized (3rd gen)",
    group: "cpu3",
    minVcpu: 2,
    maxVcpu: 16,
    ramGbPerVcpu: 8,
    securePerVcpu: 0.05,
    serverlessPerVcpu: 0.075,
    serverless: false,
  },
  {
    id: "cpu5c",
    name: "Compute-Optimized (5th gen)",
    group: "cpu5",
    minVcpu: 2,
    maxVcpu: 32,
    ramGbPerVcpu: 2,
    securePerVcpu: 0.035,
    serverlessPerVcpu: 0.05,
    serverless: true,
  },
  {
    id: "cpu5g",
    name: "General Purpose (5th gen)",
    group: "cpu5",
    minVcpu: 2,
    maxVcpu: 32,
    ramGbPerVcpu: 4,
    securePerVcpu: 0.045,
    serverlessPerVcpu: 0.065,
    serverless: true,
  },
  {
    id: "cpu5m",
    name: "Memory-Optimized (5th gen)",
    group: "cpu5",
    minVcpu: 2,
    maxVcpu: 16,
    ramGbPerVcpu: 8,
    securePerVcpu: 0.06,
    serverlessPerVcpu: 0.09,
    serverless: false,
  },
];

export function findCpuFlavor(id: string): CpuFlavorInfo | undefined {
  return CPU_FLAVORS.find((c) => c.id === id);
}

export type Region = "NORTH_AMERICA" | "EUROPE" | "ASIA" | "OCEANIA";

export interface DataCenterInfo {
  id: string;
  name: string;
  countryCode: string;
  region: Region;
  globalNetwork: boolean;
  networkVolumeTypes: Array<"STANDARD" | "HIGH_PERFORMANCE">;
  compliance: string[];
}

// The 26 data-centre ids of the v1 enum, in the spec's order.
const DC_ROWS: Array<[string, string, string, Region]> = [
  ["EU-RO-1", "Romania 1", "RO", "EUROPE"],
  ["CA-MTL-1", "Montreal 1", "CA", "NORTH_AMERICA"],
  ["EU-SE-1", "Sweden 1", "SE", "EUROPE"],
  ["US-IL-1", "Illinois 1", "US", "NORTH_AMERICA"],
  ["EUR-IS-1", "Iceland 1", "IS", "EUROPE"],
  ["EU-CZ-1", "Czechia 1", "CZ", "EUROPE"],
  ["US-TX-3", "Texas 3", "US", "NORTH_AMERICA"],
  ["EUR-IS-2", "Iceland 2", "IS", "EUROPE"],
  ["US-KS-2", "Kansas 2", "US", "NORTH_AMERICA"],
  ["US-GA-2", "Georgia 2", "US", "NORTH_AMERICA"],
  ["US-WA-1", "Washington 1", "US", "NORTH_AMERICA"],
  ["US-TX-1", "Texas 1", "US", "NORTH_AMERICA"],
  ["CA-MTL-3", "Montreal 3", "CA", "NORTH_AMERICA"],
  ["EU-NL-1", "Netherlands 1", "NL", "EUROPE"],
  ["US-TX-4", "Texas 4", "US", "NORTH_AMERICA"],
  ["US-CA-2", "California 2", "US", "NORTH_AMERICA"],
  ["US-NC-1", "North Carolina 1", "US", "NORTH_AMERICA"],
  ["OC-AU-1", "Australia 1", "AU", "OCEANIA"],
  ["US-DE-1", "Delaware 1", "US", "NORTH_AMERICA"],
  ["EUR-IS-3", "Iceland 3", "IS", "EUROPE"],
  ["CA-MTL-2", "Montreal 2", "CA", "NORTH_AMERICA"],
  ["AP-JP-1", "Japan 1", "JP", "ASIA"],
  ["EUR-NO-1", "Norway 1", "NO", "EUROPE"],
  ["EU-FR-1", "France 1", "FR", "EUROPE"],
  ["US-KS-3", "Kansas 3", "US", "NORTH_AMERICA"],
  ["US-GA-1", "Georgia 1", "US", "NORTH_AMERICA"],
];

const GLOBAL_NETWORK_DCS = new Set([
  "CA-MTL-3",
  "EU-CZ-1",
  "EU-FR-1",
  "EU-NL-1",
  "EU-RO-1",
  "EU-SE-1",
  "EUR-IS-2",
  "OC-AU-1",
  "US-CA-2",
  "US-GA-1",
  "US-GA-2",
  "US-IL-1",
  "US-KS-2",
  "US-NC-1",
  "US-TX-3",
  "US-TX-4",
  "US-WA-1",
]);
const HIGH_PERFORMANCE_DCS = new Set(["EU-RO-1", "US-KS-2", "US-TX-3", "EUR-IS-1"]);

export const DATA_CENTERS: DataCenterInfo[] = DC_ROWS.map(([id, name, countryCode, region]) => ({
  id,
  name,
  countryCode,
  region,
  globalNetwork: GLOBAL_NETWORK_DCS.has(id),
  networkVolumeTypes: HIGH_PERFORMANCE_DCS.has(id) ? ["STANDARD", "HIGH_PERFORMANCE"] : ["STANDARD"],
  compliance:
    region === "EUROPE"
      ? countryCode === "IS" || countryCode === "NO"
        ? ["GDPR", "ISO_IEC_27001", "RENEWABLE"]
        : ["GDPR", "ISO_IEC_27001", "SOC_2_TYPE_2"]
      : ["SOC_2_TYPE_2"],
}));

export function findDataCenter(id: string): DataCenterInfo | undefined {
  return DATA_CENTERS.find((d) => d.id === id);
}

export const DEFAULT_CUDA_VERSION = "12.8";

// --- Runtime changes to the catalog (admin switches) -------------------------------------------
// Process-wide, like the seeded tables they extend: every emulator in the process sees them, and
// an emulator's reset() undoes them.

/** Data centres taken out of service: listed, but nothing is available or placed there. */
const offline = new Set<string>();

/** Adds a GPU type (or replaces one with the same id); it is placeable and listed at once. */
export function addGpuType(input: Partial<GpuTypeInfo> & Pick<GpuTypeInfo, "id" | "memoryInGb" | "securePrice">): GpuTypeInfo {
  if (input.dataCenterIds?.some((id) => !findDataCenter(id))) throw new Error(`unknown data center among ${input.dataCenterIds.join(", ")}`);
  const base = gpu(
    input.id,
    input.displayName ?? input.id,
    input.pool ?? null,
    input.memoryInGb,
    input.securePrice,
    input.communityPrice ?? 0,
    input.serverlessPrice,
  );
  const info: GpuTypeInfo = { ...base, ...input, displayName: input.displayName ?? input.id, pool: input.pool ?? null };
  const at = GPU_TYPES.findIndex((g) => g.id === info.id);
  if (at >= 0) GPU_TYPES[at] = info;
  else GPU_TYPES.push(info);
  return info;
}

export function setDataCenterOnline(id: string, online: boolean): void {
  if (!findDataCenter(id)) throw new Error(`unknown data center ${id}`);
  if (online) offline.delete(id);
  else offline.add(id);
}

export function dataCenterOnline(id: string): boolean {
  return !offline.has(id);
}

/** Among `candidates` (default: all), the online data centres that host `g` (any GPU type when null). */
export function hostingDataCenters(g: GpuTypeInfo | null, candidates?: string[]): string[] {
  const ids = candidates ?? DATA_CENTERS.map((d) => d.id);
  return ids.filter((id) => dataCenterOnline(id) && (!g || !g.dataCenterIds || g.dataCenterIds.includes(id)));
}

export function resetCatalog(): void {
  GPU_TYPES.splice(SEEDED_GPU_COUNT);
  offline.clear();
}
