export { handler } from "./index";
