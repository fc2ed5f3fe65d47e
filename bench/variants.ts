/**
 * The three providers the bench runs side by side through the same host and emulator:
 * `runpod` (this package), `peer` (what a user writes by hand) and `lean` (the least any dynamic
 * provider does). The references get the v2 create body as their inputs, so every variant sends
 * Runpod the same bodies.
 */
import { PropertyMap, serializeProvider } from "../test/harness";
import { serializedProvider, specOf } from "../test/support/stack";
import { programInputs } from "../provider/resource";
import { secretFieldNames } from "../provider/schema/fields";
import { checkInputs, createBody } from "../provider/schema/derive";
import { leanProvider } from "./fixtures/lean";
import { peerProvider, ReferenceKind } from "./fixtures/peer";

export type VariantName = "runpod" | "peer" | "lean";

export const inputsOf: Record<string, (i: number) => PropertyMap> = {
  networkVolume: (i) => ({ size: 10 + (i % 50), dataCenterId: "EU-RO-1" }),
  template: (i) => ({ imageName: `runpod/worker:1.${i}`, containerDiskInGb: 20, ports: ["8000/http"], env: { MODEL: `m${i}` } }),
  pod: (i) => ({
    imageName: "runpod/pytorch:2.4.0-py3.11-cuda12.4.1",
    gpuTypeIds: ["NVIDIA GeForce RTX 4090"],
    containerDiskInGb: 20,
    ports: ["8888/http", "22/tcp"],
    env: { MODE: "bench", N: String(i) },
  }),
};

const REFERENCE_KINDS: Record<string, ReferenceKind> = {
  networkVolume: { collection: "/network-volumes", waitForReady: false },
  template: { collection: "/templates", waitForReady: false },
  pod: { collection: "/pods", waitForReady: true },
};

/** What the engine registers for one resource: its name, type, `__provider` and inputs. */
export interface Goal {
  name: string;
  type: string;
  providerText: string;
  additionalSecretOutputs: string[];
  inputs: PropertyMap;
}

export interface Variant {
  name: VariantName;
  goal(kind: string, name: string, i: number): Promise<Goal>;
}

/** The body this package's provider sends to create the resource (its auto-name drawn once). */
export function v2Body(kind: string, name: string, i: number): PropertyMap {
  const spec = specOf(kind);
  const checked = checkInputs(spec, "v2", {}, programInputs(spec, name, inputsOf[kind](i)));
  if (checked.failures.length > 0) throw new Error(`bench inputs of ${kind} fail Check: ${JSON.stringify(checked.failures)}`);
  return createBody(spec, "v2", checked.inputs);
}

export const runpod: Variant = {
  name: "runpod",
  async goal(kind, name, i) {
    const spec = specOf(kind);
    return {
      name,
      type: `pulumi-nodejs:dynamic/runpod:${spec.typeName}`,
      providerText: await serializedProvider(kind),
      additionalSecretOutputs: secretFieldNames(spec),
      inputs: programInputs(spec, name, inputsOf[kind](i)),
    };
  },
};

function reference(name: "peer" | "lean", make: (k: ReferenceKind) => Parameters<typeof serializeProvider>[0]): Variant {
  const texts = new Map<string, Promise<string>>();
  return {
    name,
    async goal(kind, resourceName, i) {
      let text = texts.get(kind);
      if (!text) texts.set(kind, (text = serializeProvider(make(REFERENCE_KINDS[kind]))));
      return {
        name: resourceName,
        type: "pulumi-nodejs:dynamic:Resource",
        providerText: await text,
        additionalSecretOutputs: [],
        inputs: v2Body(kind, resourceName, i),
      };
    },
  };
}

export const peer = reference("peer", peerProvider);
export const lean = reference("lean", leanProvider);
export const VARIANTS: Variant[] = [runpod, peer, lean];
