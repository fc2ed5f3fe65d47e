/**
 * Identifiers as Runpod's OpenAPI specs enumerated them when this version was released
 * (runpod-openapi-v1.json; v2 takes its ids from the catalog). They are editor hints only: check
 * asks Runpod's live catalog which ids exist (provider/catalog/validate.ts), so an id Runpod adds
 * later passes and one it retires fails, whatever these lists say. The exported types accept any
 * string while offering these as completions.
 */

/** Data centre ids (v1 `dataCenterIds` enum; v2 `dataCenter`/`dataCenterIds`). */
export const DATA_CENTER_IDS = [
  "EU-RO-1",
  "CA-MTL-1",
  "EU-SE-1",
  "US-IL-1",
  "EUR-IS-1",
  "EU-CZ-1",
  "US-TX-3",
  "EUR-IS-2",
  "US-KS-2",
  "US-GA-2",
  "US-WA-1",
  "US-TX-1",
  "CA-MTL-3",
  "EU-NL-1",
  "US-TX-4",
  "US-CA-2",
  "US-NC-1",
  "OC-AU-1",
  "US-DE-1",
  "EUR-IS-3",
  "CA-MTL-2",
  "AP-JP-1",
  "EUR-NO-1",
  "EU-FR-1",
  "US-KS-3",
  "US-GA-1",
] as const;

/** GPU type ids (v1 `gpuTypeIds` enum; v2 `gpu.id`). Two ids really contain a double space. */
export const GPU_TYPE_IDS = [
  "NVIDIA GeForce RTX 4090",
  "NVIDIA A40",
  "NVIDIA RTX A5000",
  "NVIDIA GeForce RTX 5090",
  "NVIDIA H100 80GB HBM3",
  "NVIDIA GeForce RTX 3090",
  "NVIDIA RTX A4500",
  "NVIDIA L40S",
  "NVIDIA H200",
  "NVIDIA L4",
  "NVIDIA RTX 6000 Ada Generation",
  "NVIDIA A100-SXM4-80GB",
  "NVIDIA RTX 4000 Ada Generation",
  "NVIDIA RTX A6000",
  "NVIDIA A100 80GB PCIe",
  "NVIDIA RTX 2000 Ada Generation",
  "NVIDIA RTX A4000",
  "NVIDIA RTX PRO 6000 Blackwell Server Edition",
  "NVIDIA H100 PCIe",
  "NVIDIA H100 NVL",
  "NVIDIA L40",
  "NVIDIA B200",
  "NVIDIA GeForce RTX 3080 Ti",
  "NVIDIA RTX PRO 6000 Blackwell Workstation Edition",
  "NVIDIA GeForce RTX 3080",
  "NVIDIA GeForce RTX 3070",
  "AMD Instinct MI300X OAM",
  "NVIDIA GeForce RTX 4080 SUPER",
  "Tesla V100-PCIE-16GB",
  "Tesla V100-SXM2-32GB",
  "NVIDIA RTX 5000 Ada Generation",
  "NVIDIA GeForce RTX 4070 Ti",
  "NVIDIA RTX 4000 SFF Ada Generation",
  "NVIDIA GeForce RTX 3090 Ti",
  "NVIDIA RTX A2000",
  "NVIDIA GeForce RTX 4080",
  "NVIDIA A30",
  "NVIDIA GeForce RTX 5080",
  "Tesla V100-FHHL-16GB",
  "NVIDIA H200 NVL",
  "Tesla V100-SXM2-16GB",
  "NVIDIA RTX PRO 6000 Blackwell Max-Q Workstation Edition",
  "NVIDIA A5000 Ada",
  "Tesla V100-PCIE-32GB",
  "NVIDIA  RTX A4500",
  "NVIDIA  A30",
  "NVIDIA GeForce RTX 3080TI",
  "Tesla T4",
  "NVIDIA RTX A30",
] as const;

/** CUDA versions, `major.minor`. */
export const CUDA_VERSIONS = ["13.0", "12.9", "12.8", "12.7", "12.6", "12.5", "12.4", "12.3", "12.2", "12.1", "12.0", "11.8"] as const;

/** CPU flavours a pod may use. */
export const POD_CPU_FLAVOR_IDS = ["cpu3c", "cpu3g", "cpu3m", "cpu5c", "cpu5g", "cpu5m"] as const;

/** CPU flavours a serverless endpoint may use. */
export const ENDPOINT_CPU_FLAVOR_IDS = ["cpu3c", "cpu3g", "cpu5c", "cpu5g"] as const;

/** A GPU type id: the known ones offered as completions, any string accepted (the catalog decides). */
export type GpuTypeId = (typeof GPU_TYPE_IDS)[number] | (string & {});
/** A data centre id: the known ones offered as completions, any string accepted (the catalog decides). */
export type DataCenterId = (typeof DATA_CENTER_IDS)[number] | (string & {});
/** A CUDA version "major.minor": the known ones offered as completions (the catalog decides). */
export type CudaVersion = (typeof CUDA_VERSIONS)[number] | (string & {});
/** A CPU flavour id: the known ones offered as completions (the catalog decides). */
export type CpuFlavorId = (typeof POD_CPU_FLAVOR_IDS)[number] | (string & {});

/** v2 serverless GPU pool ids (catalog `pool`). */
export const SERVERLESS_GPU_POOL_IDS = ["AMPERE_16", "AMPERE_24", "ADA_24", "AMPERE_48", "ADA_48_PRO", "AMPERE_80", "ADA_80_PRO", "HOPPER_141"] as const;

/** One of {@link SERVERLESS_GPU_POOL_IDS}. */
export type ServerlessGpuPoolId = (typeof SERVERLESS_GPU_POOL_IDS)[number];
/** A serverless GPU pool id: the known ones offered as completions (the catalog decides). */
export type GpuPoolId = ServerlessGpuPoolId | (string & {});
