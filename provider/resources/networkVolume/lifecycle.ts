import { RestHandler } from "../../runtime/rest";
import { spec } from "./fields";

/** A network volume has no lifecycle beyond what its table and routes imply. */
export const handler = new RestHandler(spec, {
  v2: { collection: "/network-volumes", listKey: "networkVolumes", updatable: true },
  v1: { collection: "/networkvolumes", updatable: true },
});
