import * as pulumi from "@pulumi/pulumi";
import { Pod } from "pulumi-runpod-dynamic";

/**
 * A CPU pod serving HTTP on port 80 through Runpod's HTTPS proxy.
 *
 *   pulumi config set --secret runpod:apiKey <Runpod API key>
 *   pulumi config set vcpus 4          # replaces the pod (a pod's size is fixed at create)
 *   pulumi config set running false    # stops the same pod; `true` starts it again
 */
const config = new pulumi.Config();

const web = new Pod("web", {
  computeType: "CPU",
  cpuFlavorIds: ["cpu3c"],
  vcpuCount: config.getNumber("vcpus") ?? 2,
  imageName: config.get("image") ?? "nginx:1.27",
  containerDiskInGb: 10,
  ports: ["80/http"],
  env: { NGINX_ENTRYPOINT_QUIET_LOGS: "1" },
  desiredStatus: config.getBoolean("running") === false ? "EXITED" : "RUNNING",
  readyTimeoutSeconds: 300,
});

export const podId = web.id;
export const status = web.status;
export const url = pulumi.interpolate`https://${web.id}-80.proxy.runpod.net`;
export const dataCenter = web.dataCenterId;
export const costPerHr = web.costPerHr;
