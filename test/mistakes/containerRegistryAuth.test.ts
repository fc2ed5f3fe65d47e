import { Case, mistakes } from "./table";

const ok = { name: "cred", username: "me", password: "hunter2-registry" };

const both: Case[] = [
  ["a name of only spaces", { ...ok, name: "   " }, "name"],
  ["a name ending in a newline", { ...ok, name: "cred\n" }, "name"],
  ["a name with a leading space", { ...ok, name: " cred" }, "name"],
  ["a user name of only spaces", { ...ok, username: "   " }, "username"],
  ["a user name ending in a newline", { ...ok, username: "me\n" }, "username"],
  ["a user name with a trailing space", { ...ok, username: "me " }, "username"],
  ["a user name with a NUL", { ...ok, username: "m\u0000e" }, "username"],
  ["a user name with a carriage return", { ...ok, username: "me\r" }, "username"],
  ["a user name as a number", { ...ok, username: 5 }, "username"],
  ["an empty user name", { ...ok, username: "" }, "username"],
  ["a password of only spaces", { ...ok, password: "   " }, "password"],
  ["no password", { name: "cred", username: "me" }, "password"],
  ["a password as a number", { ...ok, password: 1234 }, "password"],
  ["a misspelt property", { ...ok, user: "me" }, "user"],
];

mistakes("containerRegistryAuth", { both });
