export { Secret, SecretArgs } from "./index";
