// REST v1 wire (deprecated upstream, still emulated): v1 field names over the same store.
// Errors are `{"message": "..."}`; every rule violation is a 400, unknown ids a 404.
// One route table per resource (method + path as the spec writes them → handler).
import { DomainError } from "./state";
import { OperationCall, RouteTable, WireResult, byOperationId, routeCall } from "./wire";
import { domainErrorV1, v1Error } from "./v1/common";
import { networkVolumeRoutesV1 } from "./v1/network-volumes";
import { templateRoutesV1 } from "./v1/templates";
import { registryRoutesV1 } from "./v1/registries";
import { podRoutesV1 } from "./v1/pods";
import { endpointRoutesV1 } from "./v1/endpoints";
import { miscRoutesV1 } from "./v1/misc";

export { v1Error, domainErrorV1 } from "./v1/common";
export { renderVolumeV1 } from "./v1/network-volumes";
export { renderTemplateV1 } from "./v1/templates";
export { renderRegistryV1 } from "./v1/registries";
export { renderPodV1 } from "./v1/pods";
export { renderEndpointV1 } from "./v1/endpoints";

/** Every emulated v1 route, per resource. */
export const V1_ROUTES: RouteTable[] = [networkVolumeRoutesV1, templateRoutesV1, registryRoutesV1, podRoutesV1, endpointRoutesV1, miscRoutesV1];
const ROUTES = byOperationId(...V1_ROUTES);

export function handleV1(call: OperationCall): WireResult {
  const route = ROUTES.get(call.operationId);
  if (!route) return v1Error(501, `${call.operationId} is not emulated by runpod-emulator`);
  try {
    return route.handle(routeCall(call));
  } catch (err) {
    if (err instanceof DomainError) return domainErrorV1(err, call.operationId);
    throw err;
  }
}
