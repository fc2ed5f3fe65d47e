import { Case, mistakes } from "./table";

const ok = { name: "hf_token", value: "hf_abc123" };

const both: Case[] = [
  ["a name with a space", { ...ok, name: "hf token" }, "name"],
  ["a name of only spaces", { ...ok, name: "   " }, "name"],
  ["a name ending in a newline", { ...ok, name: "hf\n" }, "name"],
  ["a name with a dot", { ...ok, name: "hf.token" }, "name"],
  ["a name with braces", { ...ok, name: "{{hf}}" }, "name"],
  ["a value of only spaces", { ...ok, value: "   " }, "value"],
  ["an empty value", { ...ok, value: "" }, "value"],
  ["a value as a number", { ...ok, value: 5 }, "value"],
  ["no value", { name: "hf_token" }, "value"],
  ["a description as a number", { ...ok, description: 5 }, "description"],
];

mistakes("secret", { both });
