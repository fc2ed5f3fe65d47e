import * as pulumi from "@pulumi/pulumi";
import { Pod, getGpuTypesOutput } from "pulumi-runpod-dynamic";

/**
 * Asks Runpod's catalog which GPU types with at least 48 GB are in stock in European data
 * centres now, takes the cheapest, and puts a pod on it in one of the data centres that has it.
 *
 *   pulumi config set --secret runpod:apiKey <Runpod API key>
 *   pulumi config set minMemoryInGb 80     # ask for more VRAM
 */
const config = new pulumi.Config();
const minMemoryInGb = config.getNumber("minMemoryInGb") ?? 48;

const cheapest = getGpuTypesOutput({ minMemoryInGb, regions: ["EUROPE"], availableOnly: true }).apply((found) => {
  const [first] = found.gpuTypes; // cheapest first
  if (!first) throw new Error(`no GPU type with at least ${minMemoryInGb} GB is in stock in a European data centre right now`);
  return first;
});

const pod = new Pod("trainer", {
  gpuTypeIds: [cheapest.id],
  gpuCount: 1,
  cloudType: "SECURE",
  dataCenterIds: cheapest.apply((g) => g.dataCenterIds ?? []),
  imageName: config.get("image") ?? "runpod/pytorch:2.8.0-py3.11-cuda12.8.1-cudnn-devel-ubuntu22.04",
  containerDiskInGb: 20,
  ports: ["8888/http", "22/tcp"],
  readyTimeoutSeconds: 600,
});

export const gpuType = cheapest.id;
export const pricePerHour = cheapest.pricePerHour;
export const podId = pod.id;
export const dataCenter = pod.dataCenterId;
