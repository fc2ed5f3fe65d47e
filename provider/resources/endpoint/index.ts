export { Endpoint, EndpointArgs, EndpointFlashbootMode, EndpointScalerType, EndpointType } from "./args";
export { AttachedRelease, EndpointApis, EndpointInputs, spec } from "./fields";
export { EndpointComputed } from "./outputs";
export type { EndpointRollout } from "./readiness";
export { handler } from "./lifecycle";
