export { Template, TemplateArgs, TemplateCategory } from "./args";
export { spec } from "./fields";
export { handler } from "./lifecycle";
