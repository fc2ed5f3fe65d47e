export { ContainerRegistryAuth, ContainerRegistryAuthArgs } from "./index";
