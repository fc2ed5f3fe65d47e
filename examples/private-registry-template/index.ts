import * as pulumi from "@pulumi/pulumi";
import { ContainerRegistryAuth, Pod, Secret, Template, secretRef } from "pulumi-runpod-dynamic";

/**
 * A pod template on a private image, with a Hugging Face token kept as a Runpod secret:
 *
 * - the registry credentials become a ContainerRegistryAuth, which the template references by id;
 * - the token becomes a Runpod Secret, which the template's env references as
 *   `{{ RUNPOD_SECRET_<name> }}` through `secretRef` (the template depends on the secret, and the
 *   token never appears in the template or in Pulumi's output);
 * - a pod starts from the template (`templateId`) and pulls the private image with the same
 *   credentials; `templateRevision` makes a rolled template (a new image) reach the pod in place.
 *
 *   pulumi config set --secret registryPassword <token with read access to the image>
 *   pulumi config set --secret hfToken <Hugging Face token>
 *   pulumi config set --secret runpod:apiKey <Runpod API key>
 */
const config = new pulumi.Config();

const registry = new ContainerRegistryAuth("ghcr", {
  username: config.get("registryUsername") ?? "my-org-bot",
  password: config.requireSecret("registryPassword"),
});

const hfToken = new Secret("hf_token", {
  value: config.requireSecret("hfToken"),
  description: "Hugging Face read token for the notebook pods",
});

const template = new Template("notebook", {
  imageName: config.get("image") ?? "ghcr.io/my-org/private-notebook:1.0.0",
  containerRegistryAuthId: registry.id,
  containerDiskInGb: 30,
  volumeInGb: 50,
  volumeMountPath: "/workspace",
  ports: ["8888/http", "22/tcp"],
  env: {
    HF_TOKEN: secretRef(hfToken),
    HF_HOME: "/workspace/hf",
  },
  dockerStartCmd: ["bash", "-c", "jupyter lab --ip=0.0.0.0 --allow-root --no-browser"],
});

const pod = new Pod("notebook-pod", {
  templateId: template.id,
  // Runpod applies a template only when the pod is created: with the template's revision here, a
  // new image (or env, ports, start command…) in the template is re-applied to this pod in place.
  templateRevision: template.revision,
  containerRegistryAuthId: registry.id,
  gpuTypeIds: [config.get("gpuType") ?? "NVIDIA GeForce RTX 4090"],
  gpuCount: 1,
});

export const registryAuthId = registry.id;
export const secretName = hfToken.name;
export const templateId = template.id;
export const templateName = template.name;
export const podId = pod.id;
