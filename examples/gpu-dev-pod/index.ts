import * as pulumi from "@pulumi/pulumi";
import { NetworkVolume, Pod, Secret, secretRef } from "pulumi-runpod-dynamic";

/**
 * A GPU development pod whose work lives on a network volume, reachable over SSH and JupyterLab.
 *
 * - The network volume outlives the pod: replacing the pod (another GPU type) or destroying it
 *   keeps /workspace. It is `protect`ed so `pulumi destroy` cannot delete it by accident.
 * - The pod is pinned to the volume's data centre (a pod can only mount a volume there).
 * - The Hugging Face token is a Runpod Secret; the pod's env holds only the reference
 *   `{{ RUNPOD_SECRET_<name> }}` (via `secretRef`), never the token.
 * - On REST v2 (the default) `startSsh` installs the account's SSH keys; REST v1 has no such
 *   flag (Runpod's images start sshd from the PUBLIC_KEY Runpod injects there).
 *
 *   pulumi config set --secret runpod:apiKey <Runpod API key>
 *   pulumi config set --secret hfToken <Hugging Face token>
 */
const config = new pulumi.Config();
const wire = new pulumi.Config("runpod").get("apiVersion") ?? "v2";
const dataCenter = config.get("dataCenter") ?? "EU-RO-1";

const workspace = new NetworkVolume("workspace", { size: config.getNumber("volumeSizeGb") ?? 100, dataCenterId: dataCenter }, { protect: true });

const hfToken = new Secret("hf_token", {
  value: config.requireSecret("hfToken"),
  description: "Hugging Face token for the dev pod",
});

const dev = new Pod("dev", {
  imageName: "runpod/pytorch:2.4.0-py3.11-cuda12.4.1-devel-ubuntu22.04",
  // A priority list: when Runpod has no capacity for the first type, the next is tried.
  gpuTypeIds: [config.get("gpuType") ?? "NVIDIA GeForce RTX 4090", "NVIDIA RTX A6000"],
  gpuCount: 1,
  dataCenterIds: [dataCenter],
  networkVolumeId: workspace.id,
  volumeMountPath: "/workspace",
  containerDiskInGb: 40,
  ports: ["8888/http", "22/tcp"],
  env: {
    HF_TOKEN: secretRef(hfToken),
    HF_HOME: "/workspace/.cache/huggingface",
  },
  ...(wire === "v1" ? {} : { startSsh: true }),
  readyTimeoutSeconds: 900, // large images take a while to pull
});

export const podId = dev.id;
export const gpu = dev.gpuDisplayName;
export const ssh = dev.sshCommand;
export const jupyter = pulumi.interpolate`https://${dev.id}-8888.proxy.runpod.net`;
export const costPerHr = dev.costPerHr;
export const volumeId = workspace.id;
