/**
 * pulumi-runpod-dynamic: declare a Runpod fleet with Pulumi.
 *
 * Provider configuration (stack config first, then environment):
 * - `runpod:apiKey` (set with `pulumi config set --secret`) / `RUNPOD_API_KEY`
 * - `runpod:apiVersion` `v2` (default) | `v1` / `RUNPOD_API_VERSION`
 * - `runpod:apiUrl` / `RUNPOD_API_URL`, `runpod:graphqlUrl` / `RUNPOD_GRAPHQL_URL`
 * - `runpod:templateDeleteTimeoutSeconds` / `RUNPOD_TEMPLATE_DELETE_TIMEOUT_SECONDS` (default 180): how
 *   long a Template delete keeps retrying while Runpod still counts the template as in use
 */
export { NetworkVolume, NetworkVolumeArgs } from "./resources/networkVolume";
export { Endpoint, EndpointArgs, EndpointType, EndpointScalerType, EndpointFlashbootMode, EndpointRollout } from "./resources/endpoint";
export { Template, TemplateArgs, TemplateCategory } from "./resources/template";
export { Secret, SecretArgs, secretRef } from "./resources/secret";
export { ContainerRegistryAuth, ContainerRegistryAuthArgs } from "./resources/containerRegistryAuth";
export { Pod, PodArgs, PodStatus } from "./resources/pod";
export { MissingSecretError, MISSING_SECRET } from "./runtime/secretRefs";
export { AdoptError, AdoptErrorCode } from "./runtime/adopt";
export type { AdoptArgs } from "./schema/adopt";
export { RunpodApiError, ResourceInitError, CreateOutcomeUnknownError, PendingCreate, RunpodErrorCode, hasCode, isNotFound } from "./client/errors";
export { deployFleet, validateFleet, FleetConfig, FleetSecrets, FleetResources, FleetConfigError } from "./fleet";
export * from "./lookups";
// Editor hints: the ids known at release, any string accepted (check asks Runpod's catalog).
export type { GpuTypeId, DataCenterId, CudaVersion, CpuFlavorId, GpuPoolId } from "./schema/enums";
// Types only: the catalog client itself loads on a lookup's first call, never at import.
export type {
  CatalogGpuType,
  CatalogCpuType,
  CatalogDataCenter,
  CatalogTemplate,
  GpuAvailabilityQuery,
  CpuAvailabilityQuery,
  DataCenterQuery,
  TemplateSource,
} from "./catalog";
