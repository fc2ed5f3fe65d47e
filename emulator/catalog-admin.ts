// Admin switches over the catalog (/__emulator/catalog/*): grow it and take capacity away, so
// programs that read the catalog can be tested against a Runpod whose offer changes.
import { z } from "zod";
import { addGpuType, setDataCenterOnline } from "./catalog";
import { WireResult } from "./wire";

const price = z.number().min(0);
const gpuTypeSchema = z
  .object({
    id: z.string().min(1),
    displayName: z.string().min(1).optional(),
    pool: z.string().min(1).nullable().optional(),
    manufacturer: z.enum(["NVIDIA", "AMD"]).optional(),
    memoryInGb: z.number().int().min(1),
    secure: z.boolean().optional(),
    community: z.boolean().optional(),
    securePrice: price,
    communityPrice: price.optional(),
    secureSpotPrice: price.optional(),
    communitySpotPrice: price.optional(),
    serverlessPrice: price.optional(),
    maxCount: z.number().int().min(1).optional(),
    cudaVersions: z.array(z.string().regex(/^\d+\.\d+$/)).optional(),
    dataCenterIds: z.array(z.string().min(1)).min(1).optional(),
  })
  .strict();
const dataCenterSchema = z.object({ online: z.boolean() }).strict();

/** "METHOD /path" (after /__emulator) → handler; merged into the admin router's exact routes. */
export const catalogAdminRoutes: Record<string, (body: unknown) => WireResult> = {
  "POST /catalog/gpus": (b) => ({ status: 201, body: addGpuType(gpuTypeSchema.parse(b ?? {})) }),
};

/** `POST /__emulator/catalog/datacenters/{id}` with `{ online }`: take a data centre out or back in. */
export function catalogDataCenterRoute(method: string, parts: string[], body: unknown): WireResult | undefined {
  if (method !== "POST" || parts.length !== 3 || parts[0] !== "catalog" || parts[1] !== "datacenters") return undefined;
  setDataCenterOnline(parts[2], dataCenterSchema.parse(body ?? {}).online);
  return { status: 204 };
}
