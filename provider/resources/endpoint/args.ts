export { Endpoint, EndpointArgs } from "./index";
