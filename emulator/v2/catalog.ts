// REST v2 /v2/catalog: GPU and CPU types, data centers, with the AVAILABILITY views.
import { Store } from "../state";
import {
  CPU_FLAVORS,
  DATA_CENTERS,
  GPU_TYPES,
  findCpuFlavor,
  findDataCenter,
  findGpuType,
  hostingDataCenters,
  dataCenterOnline,
  GpuTypeInfo,
  CpuFlavorInfo,
  DataCenterInfo,
} from "../catalog";
import { RouteTable, WireResult } from "../wire";
import { problem, queryList } from "./common";

function availabilityLevel(free: number): "NONE" | "LOW" | "MEDIUM" | "HIGH" {
  if (free <= 0) return "NONE";
  if (free < 4) return "LOW";
  if (free < 16) return "MEDIUM";
  return "HIGH";
}

function catalogArgErrors(q: Record<string, unknown>, availabilityOnly: string[], productRequired: boolean): WireResult | null {
  const include = queryList(q, "include") ?? [];
  const wantsAvailability = include.includes("AVAILABILITY");
  if (productRequired) {
    if (wantsAvailability && !queryList(q, "product")?.length) {
      return problem(400, "product is required with include=AVAILABILITY", ["product: is required with include=AVAILABILITY"]);
    }
    if (!wantsAvailability && q.product !== undefined) {
      return problem(400, "product is valid only with include=AVAILABILITY", ["product: valid only with include=AVAILABILITY"]);
    }
  }
  for (const k of availabilityOnly) {
    if (q[k] !== undefined && !wantsAvailability) {
      return problem(400, `${k} is valid only with include=AVAILABILITY`, [`${k}: valid only with include=AVAILABILITY`]);
    }
  }
  if (q.cudaVersions !== undefined && q.minCudaVersion !== undefined) {
    return problem(400, "cudaVersions and minCudaVersion are mutually exclusive", ["minCudaVersion: mutually exclusive with cudaVersions"]);
  }
  return null;
}

function renderGpuType(store: Store, g: GpuTypeInfo, q: Record<string, unknown>): Record<string, unknown> | null {
  const out: Record<string, unknown> = {
    id: g.id,
    name: g.displayName,
    pool: g.pool,
    manufacturer: g.manufacturer,
    memory: g.memoryInGb,
    secure: g.secure,
    community: g.community,
    price: { secure: g.securePrice, community: g.communityPrice, ...(g.serverlessPrice !== undefined ? { serverless: g.serverlessPrice } : {}) },
    maxCount: { secure: g.secure ? g.maxCount : 0, community: g.community ? g.maxCount : 0 },
  };
  if ((queryList(q, "include") ?? []).includes("AVAILABILITY")) {
    const count = typeof q.count === "number" ? q.count : 1;
    const countries = queryList(q, "countryCodes");
    const cloud = q.cloud === "COMMUNITY" ? "COMMUNITY" : "SECURE";
    // Serverless capacity is sold by pool: a type outside every pool has none.
    const product = queryList(q, "product") ?? [];
    const offered = (cloud === "COMMUNITY" ? g.community : g.secure) && (!product.includes("SERVERLESS") || g.pool !== null);
    // The same rules as pod placement: stock of the type, its max count, the data centres hosting it.
    const hosts = hostingDataCenters(g).filter((id) => !countries || countries.includes(findDataCenter(id)?.countryCode ?? ""));
    // Stock is per type and data centre (capped by the type's own): each data centre has its level.
    const usable = offered && count <= g.maxCount;
    const perDc = hosts.map((id) => ({ id, free: usable ? Math.floor(store.freeGpus(g.id, id) / count) : 0 }));
    const free = Math.min(
      perDc.reduce((n, d) => n + d.free, 0),
      usable ? Math.floor(store.freeGpus(g.id) / count) : 0,
    );
    const level = availabilityLevel(free);
    if (countries && !hosts.length) return null;
    out.availability = level;
    const stocked = perDc.filter((d) => availabilityLevel(d.free) !== "NONE");
    if (level !== "NONE" && stocked.length)
      out.dataCenters = stocked.map((d) => ({ id: d.id, name: findDataCenter(d.id)?.name ?? d.id, availability: availabilityLevel(d.free) }));
    let versions = g.cudaVersions;
    const wanted = queryList(q, "cudaVersions");
    if (wanted) versions = versions.filter((v) => wanted.includes(v));
    if (typeof q.minCudaVersion === "string") {
      const [mm, mn] = q.minCudaVersion.split(".").map(Number);
      versions = versions.filter((v) => {
        const [a, b] = v.split(".").map(Number);
        return a > mm || (a === mm && (mn === undefined || Number.isNaN(mn) || b >= mn));
      });
    }
    if (versions.length) out.cudaVersions = versions.map((v) => ({ version: v, available: level !== "NONE" }));
  }
  return out;
}

function renderCpuType(store: Store, c: CpuFlavorInfo, q: Record<string, unknown>) {
  const out: Record<string, unknown> = {
    id: c.id,
    name: c.name,
    group: c.group,
    vcpu: { min: c.minVcpu, max: c.maxVcpu },
    ramGbPerVcpu: c.ramGbPerVcpu,
    price: { securePerVcpu: c.securePerVcpu, serverlessPerVcpu: c.serverlessPerVcpu },
  };
  if ((queryList(q, "include") ?? []).includes("AVAILABILITY")) {
    const vcpu = typeof q.vcpuCount === "number" ? q.vcpuCount : c.minVcpu;
    const forServerless = (queryList(q, "product") ?? []).includes("SERVERLESS");
    const hosts = hostingDataCenters(null);
    const usable = vcpu >= c.minVcpu && vcpu <= c.maxVcpu && (!forServerless || c.serverless);
    // As for GPUs: the flavour's free vCPUs per data centre (capped by its own), in whole pods of `vcpu`.
    const perDc = hosts.map((id) => ({ id, free: usable ? Math.floor(store.freeCpus(c.id, id) / vcpu) : 0 }));
    const level = availabilityLevel(
      Math.min(
        perDc.reduce((n, d) => n + d.free, 0),
        usable ? Math.floor(store.freeCpus(c.id) / vcpu) : 0,
      ),
    );
    out.availability = level;
    const stocked = perDc.filter((d) => availabilityLevel(d.free) !== "NONE");
    if (level !== "NONE" && stocked.length)
      out.dataCenters = stocked.map((d) => ({ id: d.id, name: findDataCenter(d.id)?.name ?? d.id, availability: availabilityLevel(d.free) }));
  }
  return out;
}

function renderDataCenter(store: Store, d: DataCenterInfo, include: string[]) {
  const out: Record<string, unknown> = {
    id: d.id,
    name: d.name,
    region: d.region,
    globalNetwork: d.globalNetwork,
    networkVolumeTypes: d.networkVolumeTypes,
    compliance: d.compliance,
  };
  // A data centre taken out of service keeps its entry (it still exists) but offers nothing.
  const online = dataCenterOnline(d.id);
  if (include.includes("GPU_AVAILABILITY")) {
    const hosted = GPU_TYPES.filter((g) => g.secure && (!g.dataCenterIds || g.dataCenterIds.includes(d.id)));
    if (hosted.length)
      out.gpuAvailability = hosted.map((g) => ({
        id: g.id,
        name: g.displayName,
        availability: online ? availabilityLevel(store.freeGpus(g.id, d.id)) : "NONE",
      }));
  }
  if (include.includes("CPU_AVAILABILITY")) {
    out.cpuAvailability = CPU_FLAVORS.map((c) => ({
      id: c.id,
      name: c.name,
      availability: online ? availabilityLevel(Math.floor(store.freeCpus(c.id, d.id) / c.minVcpu)) : "NONE",
    }));
  }
  return out;
}

export const catalogRoutes: RouteTable = {
  "GET /v2/catalog/gpus": {
    operationId: "listGpuTypes",
    handle: ({ store, query }) => {
      const bad = catalogArgErrors(query, ["count", "cloud", "countryCodes", "cudaVersions", "minCudaVersion"], true);
      if (bad) return bad;
      const gpus = GPU_TYPES.map((g) => renderGpuType(store, g, query)).filter((g): g is Record<string, unknown> => g !== null);
      return { status: 200, body: { gpus } };
    },
  },
  "GET /v2/catalog/gpus/{id}": {
    operationId: "getGpuType",
    handle: ({ store, id, query }) => {
      const bad = catalogArgErrors(query, ["count", "cloud", "countryCodes", "cudaVersions", "minCudaVersion"], true);
      if (bad) return bad;
      const g = findGpuType(id);
      if (!g) return problem(404, `GPU type ${id} not found`);
      const rendered = renderGpuType(store, g, query) ?? { ...renderGpuType(store, g, {}), availability: "NONE" };
      return { status: 200, body: rendered };
    },
  },
  "GET /v2/catalog/cpus": {
    operationId: "listCpuTypes",
    handle: ({ store, query }) => {
      const bad = catalogArgErrors(query, ["vcpuCount"], true);
      if (bad) return bad;
      if (typeof query.vcpuCount === "number" && (query.vcpuCount & (query.vcpuCount - 1)) !== 0) {
        return problem(400, "vcpuCount must be a power of two", ["vcpuCount: must be a power of two"]);
      }
      return { status: 200, body: { cpus: CPU_FLAVORS.map((c) => renderCpuType(store, c, query)) } };
    },
  },
  "GET /v2/catalog/cpus/{id}": {
    operationId: "getCpuType",
    handle: ({ store, id, query }) => {
      const bad = catalogArgErrors(query, ["vcpuCount"], true);
      if (bad) return bad;
      const c = findCpuFlavor(id);
      if (!c) return problem(404, `CPU type ${id} not found`);
      return { status: 200, body: renderCpuType(store, c, query) };
    },
  },
  "GET /v2/catalog/datacenters": {
    operationId: "listDataCenters",
    handle: ({ store, query }) => {
      const include = queryList(query, "include") ?? [];
      const regions = queryList(query, "regions");
      const volumeTypes = queryList(query, "networkVolumeTypes");
      const compliance = queryList(query, "compliance");
      const globalNetwork = query.globalNetwork;
      const dcs = DATA_CENTERS.filter(
        (d) =>
          (!regions || regions.includes(d.region)) &&
          (!volumeTypes || volumeTypes.every((t) => (d.networkVolumeTypes as string[]).includes(t))) &&
          (!compliance || compliance.every((c) => d.compliance.includes(c))) &&
          (typeof globalNetwork !== "boolean" || d.globalNetwork === globalNetwork),
      );
      return { status: 200, body: { dataCenters: dcs.map((d) => renderDataCenter(store, d, include)) } };
    },
  },
  "GET /v2/catalog/datacenters/{id}": {
    operationId: "getDataCenter",
    handle: ({ store, id, query }) => {
      const d = findDataCenter(id);
      if (!d) return problem(404, `data center ${id} not found`);
      return { status: 200, body: renderDataCenter(store, d, queryList(query, "include") ?? []) };
    },
  },
};
