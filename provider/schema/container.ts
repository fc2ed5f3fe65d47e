/**
 * The container fields pods, templates and endpoints share (v2's BaseContainerConfig): the
 * rules that map v1's entrypoint/command word lists onto v2's single `args` string and read
 * drift back, written once for the three resources.
 */
import { z } from "zod";
import { JsonObject, Wire } from "./fields";
import { joinShellWords, splitShellWords } from "./shellwords";

/** The container command fields of a pod, template or endpoint. */
export interface CommandInputs {
  dockerEntrypoint?: string[];
  dockerStartCmd?: string[];
  containerRegistryAuthId?: string;
}

/** An entrypoint or start command: one string per argument, as v1 and Docker take them. */
export const commandWords = z.array(z.string({ invalid_type_error: "must be a string" }), {
  invalid_type_error: "must be a list of strings, one per argument",
});

function ourArgs(inputs: CommandInputs): string {
  return joinShellWords([...(inputs.dockerEntrypoint ?? []), ...(inputs.dockerStartCmd ?? [])]);
}

/** v2 body writer for `dockerEntrypoint` and `dockerStartCmd`: both become one shell-quoted `args`. */
export function writeV2Args(body: JsonObject, _value: unknown, inputs: CommandInputs): void {
  body.args = ourArgs(inputs);
}

/**
 * Container drift a field table cannot express, applied to `outs` in place:
 * - v2 `args` changed outside Pulumi (or imported) reads back as the start command, since v2
 *   cannot tell entrypoint words from command words;
 * - a registry credential Runpod cleared (deleting one clears it on templates and pods; v2
 *   reports null, v1 omits it) is drift to "", not "keep the old value".
 */
export function readContainerDrift(
  wire: Wire,
  apiObject: { registry?: unknown; containerRegistryAuthId?: unknown; args?: unknown },
  prior: CommandInputs,
  outs: JsonObject,
): void {
  const registry = wire === "v2" ? apiObject.registry : apiObject.containerRegistryAuthId;
  if ((registry === null || registry === undefined || registry === "") && prior.containerRegistryAuthId !== undefined) {
    outs.containerRegistryAuthId = "";
  }
  if (wire === "v2" && typeof apiObject.args === "string" && apiObject.args !== ourArgs(prior)) {
    if (prior.dockerEntrypoint !== undefined) outs.dockerEntrypoint = [];
    if (apiObject.args !== "" || prior.dockerStartCmd !== undefined) outs.dockerStartCmd = splitShellWords(apiObject.args);
  }
}
