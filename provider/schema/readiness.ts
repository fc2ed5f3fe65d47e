/**
 * `waitForReady` / `readyTimeoutSeconds`, the pair Pod and Endpoint share: Runpod accepts both long
 * before they can be used, so `pulumi up` waits. Provider-side settings (never sent, read back or
 * diffed); one schema and one message for both kinds.
 */
import { bool, finiteNumber } from "./common";
import { SETTING } from "./fields";

/** The table entries of the readiness pair; `what` says what is waited for, for the docs. */
export function readinessFields(what: string) {
  return {
    waitForReady: {
      description: what,
      schema: bool,
      setting: true,
      wires: { v2: SETTING, v1: SETTING },
    },
    readyTimeoutSeconds: {
      description: "readiness timeout in seconds",
      schema: finiteNumber.refine((n) => n > 0, "must be more than 0 seconds"),
      setting: true,
      wires: { v2: SETTING, v1: SETTING },
    },
  } as const;
}
