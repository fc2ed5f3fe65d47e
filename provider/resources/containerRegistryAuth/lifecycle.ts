import { RestHandler } from "../../runtime/rest";
import { spec } from "./fields";

/** No update route on either wire: every change is a replacement (the table says change: "replace"). */
export const handler = new RestHandler(spec, {
  v2: { collection: "/registries", listKey: "registries", updatable: false },
  v1: { collection: "/containerregistryauth", updatable: false },
});
