// Secrets (GraphQL only): unique names; values are write-only on the wire.
import { EndpointStore } from "./endpoints";
import { DomainError, StoredSecret } from "./types";

/** The whole in-memory model, layered per resource (see types.ts). */
export class Store extends EndpointStore {
  listSecrets(): StoredSecret[] {
    return [...this.secrets.values()];
  }

  createSecret(input: { name: string; value: string; description?: string | null }): StoredSecret {
    if (!input.name) throw new DomainError("invalid", "Secret name must not be empty", "name");
    if ([...this.secrets.values()].some((s) => s.name === input.name)) {
      throw new DomainError("invalid", `A secret with the name "${input.name}" already exists`, "name");
    }
    const s: StoredSecret = {
      id: "c" + this.newId(24, this.secrets).slice(1),
      name: input.name,
      value: input.value,
      description: input.description ?? null,
      createdAt: this.nowIso(),
      updatedAt: null,
    };
    this.secrets.set(s.id, s);
    this.markCreated(s.id);
    return s;
  }

  protected getSecret(id: string): StoredSecret {
    const s = this.secrets.get(id);
    if (!s) throw new DomainError("notFound", `Secret ${id} not found`);
    return s;
  }

  updateSecretValue(id: string, value: string): StoredSecret {
    const s = this.getSecret(id);
    s.value = value;
    s.updatedAt = this.nowIso();
    return s;
  }

  updateSecretDescription(id: string, description: string): StoredSecret {
    const s = this.getSecret(id);
    s.description = description;
    s.updatedAt = this.nowIso();
    return s;
  }

  deleteSecret(id: string): void {
    this.getSecret(id);
    this.secrets.delete(id);
  }
}
