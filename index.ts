import * as pulumi from "@pulumi/pulumi";
import { deployFleet, FleetSecrets } from "pulumi-runpod-dynamic";

/**
 * The root stack: the whole fleet comes from stack config, so a pipeline changes YAML, not code.
 * `fleet` holds the resources (see Pulumi.dev.yaml); `fleetSecrets` holds secret values and
 * registry passwords, set with `pulumi config set --secret --path 'fleetSecrets.secrets.<key>' …`.
 */
const config = new pulumi.Config();
const fleet = deployFleet(config.requireObject("fleet"), config.getSecretObject<FleetSecrets>("fleetSecrets") ?? {});

const ids = (section: Record<string, pulumi.CustomResource>) => Object.fromEntries(Object.entries(section).map(([name, r]) => [name, r.id]));

export const networkVolumeIds = ids(fleet.networkVolumes);
export const templateIds = ids(fleet.templates);
export const podIds = ids(fleet.pods);
export const podPublicIps = Object.fromEntries(Object.entries(fleet.pods).map(([name, pod]) => [name, (pod as any).publicIp]));
export const endpointIds = ids(fleet.endpoints);
