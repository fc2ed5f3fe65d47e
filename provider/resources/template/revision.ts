/**
 * A template's revision: a digest of exactly what Runpod applies from a template to a pod or an
 * endpoint (image, start command, container disk, env, ports, registry credential), and the
 * reading of those fields from a template answer on each wire.
 *
 * Runpod applies a template once, when a pod or endpoint is created from it ("later template
 * edits do not affect the pod"), so a pod or endpoint that passes this digest as its
 * `templateRevision` re-applies the template when the digest moves. Name, readme, visibility,
 * category and the create-only settings (volume, SSH/Jupyter, CUDA) are left out: changing them
 * re-applies nothing, so they must not move the revision.
 */
import { createHash } from "crypto";
import type { V1, V2 } from "../../api";
import type { JsonObject, Wire } from "../../schema/fields";

/**
 * The container fields of a template answer under the names the same wire's pod and endpoint
 * update bodies use: v2 `image, args, disk, env, ports, registry`; v1 `imageName, dockerEntrypoint,
 * dockerStartCmd, containerDiskInGb, env, ports, containerRegistryAuthId` (v1 endpoints have none).
 */
export const APPLIED_FIELDS: Record<Wire, readonly string[]> = {
  v2: ["image", "args", "disk", "env", "ports", "registry"],
  v1: ["imageName", "dockerEntrypoint", "dockerStartCmd", "containerDiskInGb", "env", "ports", "containerRegistryAuthId"],
};

/** v1 may report ports as its create default's comma string (`"8888/http,22/tcp"`). */
function portList(ports: unknown): unknown {
  if (typeof ports === "string") return ports === "" ? [] : ports.split(",").map((p) => p.trim());
  return ports;
}

/**
 * What a template applies, read from its answer on `wire`, as an update body of a pod or endpoint
 * on the same wire. A field the answer leaves out is left out. A v2 `registry: null` is kept: the
 * template has no credential, and v2 clears a pod's or endpoint's with `null`.
 */
export function appliedFields(wire: Wire, template: V2["Template"] | V1["Template"] | JsonObject): JsonObject {
  const source: { [key: string]: unknown } = template;
  const out: JsonObject = {};
  for (const key of APPLIED_FIELDS[wire]) {
    const value = key === "ports" ? portList(source[key]) : source[key];
    if (value === undefined || (value === null && wire === "v1")) continue;
    out[key] = value;
  }
  return out;
}

/** JSON with object keys sorted, so the digest does not depend on the order Runpod lists env in. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(",")}]`;
  if (value !== null && typeof value === "object") {
    const obj = value as JsonObject;
    return `{${Object.keys(obj)
      .filter((k) => obj[k] !== undefined)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonical(obj[k])}`)
      .join(",")}}`;
  }
  return JSON.stringify(value ?? null);
}

/**
 * The revision of a template answer: the first 16 hex digits of a SHA-256 over its applied
 * fields. Undefined when the answer carries no image (a sparse answer says nothing about what the
 * template applies; the handler then keeps the revision it had).
 */
export function revisionOf(wire: Wire, template: V2["Template"] | V1["Template"]): string | undefined {
  const fields = appliedFields(wire, template);
  if (typeof fields[wire === "v2" ? "image" : "imageName"] !== "string") return undefined;
  // An absent registry and a null one mean the same: no credential.
  if (fields.registry === null) delete fields.registry;
  return createHash("sha256").update(canonical(fields)).digest("hex").slice(0, 16);
}
