// Templates: unique names, read-only public catalog templates, and the "in use" rule Runpod
// applies to deletes (referenced by a pod/endpoint, or used within the release delay, or held).
import { VolumeStore } from "./volumes";
import { DomainError, StoredTemplate, TemplateCreate, clone } from "./types";

export class TemplateStore extends VolumeStore {
  getTemplate(id: string, opts: { includeBound?: boolean } = {}): StoredTemplate {
    const t = this.templates.get(id);
    if (!t || (t.boundEndpointId && opts.includeBound === false)) throw new DomainError("notFound", `template ${id} not found`);
    return t;
  }

  /** Own template that may be modified (public catalog templates are read-only → 404). */
  protected ownTemplate(id: string): StoredTemplate {
    const t = this.templates.get(id);
    if (!t || t.catalog) throw new DomainError("notFound", `template ${id} not found`);
    return t;
  }

  listTemplates(opts: { includeBound: boolean; includeCatalog?: boolean }): StoredTemplate[] {
    return [...this.templates.values()].filter((t) => (opts.includeBound || !t.boundEndpointId) && (opts.includeCatalog || !t.catalog));
  }

  listCatalogTemplates(): StoredTemplate[] {
    return [...this.templates.values()].filter((t) => t.catalog);
  }

  protected assertTemplateNameFree(name: string, exceptId?: string): void {
    const clash = [...this.templates.values()].find((t) => !t.catalog && t.name === name && t.id !== exceptId);
    if (clash) throw new DomainError("invalid", `template name "${name}" is already in use; template names must be unique`, "name");
  }

  createTemplate(input: TemplateCreate, boundEndpointId: string | null = null): StoredTemplate {
    this.assertTemplateNameFree(input.name);
    this.requireRegistry(input.registryId, "registry");
    const t: StoredTemplate = {
      ...clone(input),
      id: this.newId(10, this.templates),
      boundEndpointId,
      catalog: false,
      createdAt: this.nowIso(),
    };
    this.templates.set(t.id, t);
    this.markCreated(t.id);
    return t;
  }

  updateTemplate(id: string, patch: Partial<TemplateCreate>): StoredTemplate {
    const t = this.ownTemplate(id);
    if (patch.name !== undefined) this.assertTemplateNameFree(patch.name, id);
    if (patch.registryId !== undefined) this.requireRegistry(patch.registryId, "registry");
    for (const [k, v] of Object.entries(patch)) {
      if (v !== undefined) (t as unknown as Record<string, unknown>)[k] = clone(v);
    }
    return t;
  }

  /** Why a template cannot be deleted now, or null. */
  templateBusyReason(id: string): string | null {
    const pod = [...this.pods.values()].find((p) => p.templateId === id && p.status !== "TERMINATED");
    if (pod) return `template ${id} is in use by pod ${pod.id} and cannot be deleted`;
    const ep = [...this.endpoints.values()].find((e) => e.userTemplateId === id || e.boundTemplateId === id);
    if (ep) return `template ${id} is in use by serverless endpoint ${ep.id} and cannot be deleted`;
    const until = this.templateBusyUntil.get(id);
    if (until !== undefined && until > this.opts.now()) {
      return `template ${id} is still in use (it can take up to 2 minutes after its most recent use before a template can be deleted)`;
    }
    return null;
  }

  deleteTemplate(id: string): void {
    this.ownTemplate(id);
    const reason = this.templateBusyReason(id);
    if (reason) throw new DomainError("inUse", reason);
    this.templates.delete(id);
    this.templateBusyUntil.delete(id);
  }

  holdTemplate(id: string, ms?: number): void {
    const until = ms === undefined ? Number.POSITIVE_INFINITY : this.opts.now() + ms;
    this.templateBusyUntil.set(id, Math.max(until, this.templateBusyUntil.get(id) ?? 0));
  }

  releaseTemplate(id: string): void {
    this.templateBusyUntil.delete(id);
  }

  /** Record a use of a template: it stays busy for templateReleaseDelayMs after this moment. */
  protected touchTemplate(id: string | null): void {
    if (!id || this.opts.templateReleaseDelayMs <= 0) return;
    const until = this.opts.now() + this.opts.templateReleaseDelayMs;
    this.templateBusyUntil.set(id, Math.max(until, this.templateBusyUntil.get(id) ?? 0));
  }
}
