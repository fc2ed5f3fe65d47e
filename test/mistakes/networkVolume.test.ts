import { Case, mistakes } from "./table";

const ok = { name: "vol", size: 50, dataCenterId: "EU-RO-1" };

const both: Case[] = [
  ["size Infinity", { ...ok, size: Infinity }, "size"],
  ["size NaN", { ...ok, size: NaN }, "size"],
  ["a fractional size", { ...ok, size: 1.5 }, "size"],
  ["size as a string", { ...ok, size: "100" }, "size"],
  ["a size of 5000 GB", { ...ok, size: 5000 }, "size"],
  ["no size", { name: "vol", dataCenterId: "EU-RO-1" }, "size"],
  ["no data centre", { name: "vol", size: 50 }, "dataCenterId"],
  ["a name of only spaces", { ...ok, name: "   " }, "name"],
  ["a name ending in a newline", { ...ok, name: "vol\n" }, "name"],
  ["a name with a leading space", { ...ok, name: " vol" }, "name"],
  ["a name with a NUL", { ...ok, name: "v\u0000ol" }, "name"],
  ["a data centre with a leading space", { ...ok, dataCenterId: " EU-RO-1" }, "dataCenterId"],
  ["a data centre in lower case", { ...ok, dataCenterId: "eu-ro-1" }, "dataCenterId"],
  ["a data centre as a list", { ...ok, dataCenterId: ["EU-RO-1"] }, "dataCenterId"],
  ["shrinking", { ...ok, size: 40 }, "size", { ...ok, size: 50 }],
];

const v2: Case[] = [
  ["a size under 10 GB", { ...ok, size: 5 }, "size"],
  ["a size over 4096 GB", { ...ok, size: 4097 }, "size"],
  ["a storage tier in lower case", { ...ok, type: "standard" }, "type"],
];

const v1: Case[] = [
  ["a size over 4000 GB", { ...ok, size: 4001 }, "size"],
  ["a storage tier (v1 cannot express it)", { ...ok, type: "STANDARD" }, "type"],
];

mistakes("networkVolume", { both, v2, v1 });
