import * as pulumi from "@pulumi/pulumi";
import { ContainerRegistryAuth, Endpoint, Template } from "pulumi-runpod-dynamic";

/**
 * A serverless endpoint on a private image: the registry credentials become a Runpod
 * ContainerRegistryAuth, a serverless Template pulls the image with them, and the Endpoint runs
 * that template on autoscaled GPU workers.
 *
 *   pulumi config set registryUsername my-org-bot
 *   pulumi config set --secret registryPassword <token with read access to the image>
 *   pulumi config set --secret runpod:apiKey <Runpod API key>
 */
const config = new pulumi.Config();
const wire = new pulumi.Config("runpod").get("apiVersion") ?? "v2";

const registry = new ContainerRegistryAuth("ghcr", {
  username: config.get("registryUsername") ?? "my-org-bot",
  password: config.requireSecret("registryPassword"),
});

const template = new Template("worker", {
  imageName: config.get("image") ?? "ghcr.io/my-org/private-worker:1.0.0",
  isServerless: true,
  containerRegistryAuthId: registry.id,
  containerDiskInGb: 20,
  env: { MODEL_NAME: "my-org/small-llm", MAX_BATCH: "8" },
});

const endpoint = new Endpoint("inference", {
  templateId: template.id,
  // A new image in the template reaches the endpoint as a new release (REST v2 copies a template
  // only at create, so the provider re-applies it; REST v1 rolls template edits out by itself).
  templateRevision: template.revision,
  // REST v2 (the default) picks serverless GPU pools; REST v1 picks GPU types.
  ...(wire === "v1"
    ? { gpuTypeIds: ["NVIDIA RTX A5000", "NVIDIA GeForce RTX 3090"] }
    : { gpuPoolIds: ["AMPERE_24", "ADA_24"], excludedGpuTypeIds: ["NVIDIA L4"] }),
  gpuCount: 1,
  workersMin: 0, // scale to zero when idle
  workersMax: 3,
  idleTimeout: 30,
  scalerType: "QUEUE_DELAY", // add a worker once a request has waited 4 s
  scalerValue: 4,
  executionTimeoutMs: 10 * 60 * 1000,
  flashboot: true,
});

export const endpointId = endpoint.id;
export const endpointVersion = endpoint.version;
export const requestUrls = endpoint.requestUrls;
