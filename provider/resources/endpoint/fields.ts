export { spec } from "./index";
