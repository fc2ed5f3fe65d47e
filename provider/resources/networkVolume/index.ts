export { NetworkVolume, NetworkVolumeArgs } from "./args";
export { spec } from "./fields";
export { handler } from "./lifecycle";
