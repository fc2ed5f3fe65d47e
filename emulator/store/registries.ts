// Container registry auths: unique names; in use by a live pod → cannot be deleted.
import { TemplateStore } from "./templates";
import { DomainError, StoredRegistry } from "./types";

export class RegistryStore extends TemplateStore {
  getRegistry(id: string): StoredRegistry {
    const r = this.registries.get(id);
    if (!r) throw new DomainError("notFound", `container registry auth ${id} not found`);
    return r;
  }

  createRegistry(input: { name: string; username: string; password: string }): StoredRegistry {
    if ([...this.registries.values()].some((r) => r.name === input.name)) {
      throw new DomainError("invalid", `container registry auth name "${input.name}" is already in use; names must be unique`, "name");
    }
    const r: StoredRegistry = { id: this.newId(10, this.registries), ...input, createdAt: this.nowIso() };
    this.registries.set(r.id, r);
    this.markCreated(r.id);
    return r;
  }

  deleteRegistry(id: string): void {
    this.getRegistry(id);
    const pod = [...this.pods.values()].find((p) => p.registryId === id && p.status !== "TERMINATED");
    if (pod) throw new DomainError("inUse", `container registry auth ${id} is in use by pod ${pod.id} and cannot be deleted`);
    // Templates referencing it silently lose the reference (v2 spec: `registry` becomes null).
    for (const t of this.templates.values()) if (t.registryId === id) t.registryId = null;
    this.registries.delete(id);
  }
}
