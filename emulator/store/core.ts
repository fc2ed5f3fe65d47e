// The shared core of the store: the maps, ids, clock and the cross-resource reference checks.
import { Prng } from "../prng";
import { resetCatalog } from "../catalog";
import {
  DomainError,
  ListingLag,
  ResourceKind,
  StoreOptions,
  StoredEndpoint,
  StoredNetworkVolume,
  StoredPod,
  StoredRegistry,
  StoredSecret,
  StoredTemplate,
  clone,
} from "./types";

const PUBLIC_CATALOG_TEMPLATES: Array<Omit<StoredTemplate, "createdAt">> = [
  {
    id: "30zmvf89kd",
    name: "PyTorch 2.8",
    image: "runpod/pytorch:1.0.2-cu1281-torch280-ubuntu2404",
    args: "",
    dockerEntrypoint: [],
    dockerStartCmd: [],
    disk: 50,
    env: {},
    ports: ["8888/http", "22/tcp"],
    registryId: null,
    category: "NVIDIA",
    serverless: false,
    public: true,
    readme: "",
    volumeInGb: 0,
    volumeMountPath: "/workspace",
    startSsh: true,
    startJupyter: true,
    allowedCudaVersions: [],
    boundEndpointId: null,
    catalog: true,
  },
  {
    id: "runpodvllm",
    name: "vLLM Worker",
    image: "runpod/worker-v1-vllm:v2.7.0",
    args: "",
    dockerEntrypoint: [],
    dockerStartCmd: [],
    disk: 20,
    env: {},
    ports: [],
    registryId: null,
    category: "NVIDIA",
    serverless: true,
    public: true,
    readme: "",
    volumeInGb: 0,
    volumeMountPath: "/runpod-volume",
    startSsh: false,
    startJupyter: false,
    allowedCudaVersions: [],
    boundEndpointId: null,
    catalog: true,
  },
];

export class StoreCore {
  readonly volumes = new Map<string, StoredNetworkVolume>();
  readonly templates = new Map<string, StoredTemplate>();
  readonly registries = new Map<string, StoredRegistry>();
  readonly pods = new Map<string, StoredPod>();
  readonly endpoints = new Map<string, StoredEndpoint>();
  readonly secrets = new Map<string, StoredSecret>();
  /** Free GPU units per type; absent = plentiful. */
  readonly gpuStock = new Map<string, number>();
  /** Free vCPUs per CPU flavour (and per flavour and data centre); absent = plentiful. */
  readonly cpuStock = new Map<string, number>();
  /** Template id -> epoch ms until which deletes are refused (Infinity = held until released). */
  readonly templateBusyUntil = new Map<string, number>();
  protected failNextStarts = 0;
  /** Recently created objects still missing from list answers (the listing-lag switch). */
  protected readonly lagging = new Map<string, { lists: number; until: number }>();

  constructor(
    public rng: Prng,
    public readonly opts: StoreOptions,
  ) {
    this.installCatalogTemplates();
  }

  reset(rng: Prng): void {
    this.rng = rng;
    this.volumes.clear();
    this.templates.clear();
    this.registries.clear();
    this.pods.clear();
    this.endpoints.clear();
    this.secrets.clear();
    this.gpuStock.clear();
    this.cpuStock.clear();
    resetCatalog();
    this.templateBusyUntil.clear();
    this.failNextStarts = 0;
    this.lagging.clear();
    this.installCatalogTemplates();
  }

  protected installCatalogTemplates(): void {
    for (const t of PUBLIC_CATALOG_TEMPLATES) this.templates.set(t.id, { ...clone(t), createdAt: new Date(0).toISOString() });
  }

  protected nowIso(): string {
    return new Date(this.opts.now()).toISOString();
  }

  protected newId(length: number, taken: Map<string, unknown>): string {
    for (;;) {
      const id = this.rng.id(length);
      if (!taken.has(id)) return id;
    }
  }

  list(kind: ResourceKind): unknown[] {
    switch (kind) {
      case "networkVolumes":
        return [...this.volumes.values()].map(clone);
      case "templates":
        return [...this.templates.values()].filter((t) => !t.catalog).map(clone);
      case "registries":
        return [...this.registries.values()].map(clone);
      case "pods":
        return [...this.pods.values()].map(clone);
      case "endpoints":
        return [...this.endpoints.values()].map(clone);
      case "secrets":
        return [...this.secrets.values()].map(clone);
    }
  }

  // ------------------------------------------------------------------ references

  protected requireRegistry(id: string | null | undefined, field: string): void {
    if (id && !this.registries.has(id)) throw new DomainError("refNotFound", `container registry auth ${id} not found`, field);
  }

  protected requireVolume(id: string, field: string): StoredNetworkVolume {
    const v = this.volumes.get(id);
    if (!v) throw new DomainError("refNotFound", `network volume ${id} not found`, field);
    return v;
  }

  /** Template usable by a pod/endpoint create (own or public catalog). */
  protected requireTemplate(id: string, field: string): StoredTemplate {
    const t = this.templates.get(id);
    if (!t || t.boundEndpointId) throw new DomainError("refNotFound", `template ${id} not found`, field);
    return t;
  }

  // ------------------------------------------------------------------ listing lag

  /** Start the listing lag of a just-created object (no-op unless the switch is on). */
  protected markCreated(id: string): void {
    const lag: ListingLag | null = this.opts.listingLag;
    if (!lag || (!lag.lists && !lag.ms)) return;
    this.lagging.set(id, { lists: lag.lists ?? 0, until: this.opts.now() + (lag.ms ?? 0) });
  }

  /** What a list endpoint shows: objects inside their listing lag are left out (this call counts toward it). */
  listed<T extends { id: string }>(items: Iterable<T>): T[] {
    const out: T[] = [];
    for (const item of items) {
      const lag = this.lagging.get(item.id);
      if (lag) {
        const hiddenByCount = lag.lists > 0;
        if (hiddenByCount) lag.lists -= 1;
        if (hiddenByCount || this.opts.now() < lag.until) continue;
        this.lagging.delete(item.id);
      }
      out.push(item);
    }
    return out;
  }
}
