import { z } from "zod";
import { DATA_CENTER_IDS } from "./enums";

/** Small schemas several resources share, with messages that say what is expected. */
export const nonEmptyString = z.string().min(1, "must not be empty");
export const resourceName = nonEmptyString.max(191, "must be at most 191 characters");
export const runpodId = z.string().regex(/^[A-Za-z0-9_-]+$/, "must be a Runpod id (letters, digits, - or _)");
export const dataCenterId = z.enum(DATA_CENTER_IDS, {
  errorMap: () => ({ message: `must be a Runpod data centre id: ${DATA_CENTER_IDS.join(", ")}` }),
});
export const wholeNumber = z.number({ invalid_type_error: "must be a number" }).int("must be a whole number");
export const port = z.string().regex(/^\d{1,5}\/(http|tcp)$/, 'must look like "8888/http" or "22/tcp"').refine((p) => {
  const n = Number(p.split("/")[0]);
  return n >= 1 && n <= 65535;
}, "port number must be between 1 and 65535");
export const envMap = z.record(z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, "must be a valid environment variable name"), z.string({ invalid_type_error: "must be a string" }));
