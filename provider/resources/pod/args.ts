export { Pod, PodArgs } from "./index";
