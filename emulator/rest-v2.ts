// REST v2 wire: converts validated v2 bodies into store inputs and renders stored objects per the
// v2 response schemas. Errors are RFC 9457 problem documents (`application/problem+json`).
// One route table per resource (method + path as the spec writes them → handler).
import { DomainError } from "./state";
import { OperationCall, RouteTable, WireResult, byOperationId, routeCall } from "./wire";
import { domainErrorV2, problem } from "./v2/common";
import { networkVolumeRoutes } from "./v2/network-volumes";
import { templateRoutes } from "./v2/templates";
import { registryRoutes } from "./v2/registries";
import { podRoutes } from "./v2/pods";
import { endpointRoutes } from "./v2/endpoints";
import { catalogRoutes } from "./v2/catalog";

export { problem, domainErrorV2 } from "./v2/common";
export { renderVolumeV2 } from "./v2/network-volumes";
export { renderTemplateV2 } from "./v2/templates";
export { renderRegistryV2 } from "./v2/registries";
export { renderPodV2 } from "./v2/pods";
export { renderEndpointV2 } from "./v2/endpoints";

/** Every emulated v2 route, per resource. */
export const V2_ROUTES: RouteTable[] = [networkVolumeRoutes, templateRoutes, registryRoutes, podRoutes, endpointRoutes, catalogRoutes];
const ROUTES = byOperationId(...V2_ROUTES);

export function handleV2(call: OperationCall): WireResult {
  const route = ROUTES.get(call.operationId);
  if (!route) return problem(501, `${call.operationId} is part of the Runpod v2 API but is not emulated by runpod-emulator`);
  try {
    return route.handle(routeCall(call));
  } catch (err) {
    if (err instanceof DomainError) return domainErrorV2(err, call.operationId);
    throw err;
  }
}
