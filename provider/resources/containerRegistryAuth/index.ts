export { ContainerRegistryAuth, ContainerRegistryAuthArgs } from "./args";
export { spec } from "./fields";
export { handler } from "./lifecycle";
