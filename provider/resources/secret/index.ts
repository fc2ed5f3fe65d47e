export { Secret, SecretArgs, secretRef } from "./args";
export { spec } from "./fields";
export { handler } from "./lifecycle";
