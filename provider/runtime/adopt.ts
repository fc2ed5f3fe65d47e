import type { AdoptConflict } from "../schema/adopt";

/** The stable codes of {@link AdoptError}: callers branch on them, never on the text. */
export type AdoptErrorCode = "adopt_not_found" | "adopt_conflict" | "adopt_replace";

/**
 * A create given `adoptId` took nothing over: Runpod has no such object (`adopt_not_found`), or the
 * program sets fields the object cannot take without a replacement (`adopt_conflict`, each field
 * named in `conflicts`). Or an adopted resource would be replaced while `adoptId` is still set
 * (`adopt_replace`): the replacement's create would adopt the object it is about to delete.
 * Nothing was created or changed.
 */
export class AdoptError extends Error {
  constructor(
    readonly code: AdoptErrorCode,
    /** The `adoptId` the program gave. */
    readonly adoptId: string,
    message: string,
    /** The fields that refuse the adoption (empty for `adopt_not_found`). */
    readonly conflicts: AdoptConflict[] = [],
  ) {
    super(message);
    this.name = "AdoptError";
  }
}

export function adoptNotFound(typeName: string, adoptId: string, cause?: string): AdoptError {
  return new AdoptError(
    "adopt_not_found",
    adoptId,
    `adoptId: Runpod has no ${typeName} ${JSON.stringify(adoptId)} to adopt${cause ? ` (${cause})` : ""}; ` +
      "correct adoptId, or remove it to create a new one",
  );
}

export function adoptConflict(typeName: string, adoptId: string, conflicts: AdoptConflict[]): AdoptError {
  return new AdoptError(
    "adopt_conflict",
    adoptId,
    `adoptId: ${typeName} ${adoptId} cannot be adopted as the program declares it, since Runpod would have to replace it: ` +
      `${conflicts.map((c) => c.reason).join("; ")}. Make the program match the existing object (or remove adoptId to create a new one)`,
    conflicts,
  );
}

export function adoptReplaced(typeName: string, adoptId: string, reasons: AdoptConflict[]): AdoptError {
  return new AdoptError(
    "adopt_replace",
    adoptId,
    `adoptId: this ${typeName} would be replaced (${reasons.map((r) => r.reason).join("; ")}), and while adoptId is set the replacement ` +
      `would adopt ${adoptId} again, the very object it replaces and then deletes: remove adoptId from the program to have a new ${typeName} created`,
    reasons,
  );
}
