export { Template, TemplateArgs } from "./index";
