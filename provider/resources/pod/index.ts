export { Pod, PodArgs } from "./args";
export { spec } from "./fields";
export { handler } from "./lifecycle";
export { PodStatus } from "./status";
