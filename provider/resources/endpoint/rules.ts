import { CheckFailure, Present, RuleContext, containsUnknown } from "../../schema/fields";
import type { EndpointInputs } from "./fields";
import { routingOf, scalerOf } from "./wire";

const GPU_FIELDS = ["gpuTypeIds", "gpuPoolIds", "excludedGpuTypeIds", "gpuCount", "allowedCudaVersions", "minCudaVersion"] as const;
const CPU_FIELDS = ["cpuFlavorIds", "vcpuCount"] as const;

/** Set, and not a value the engine only knows after an apply (those are checked again then). */
const known = <T>(v: T): v is Present<T> => v !== undefined && v !== null && !containsUnknown(v);

/** Cross-field rules; `olds` (the previous inputs) fill in what this program leaves to the endpoint. */
export function rules(inputs: EndpointInputs, { wire, olds }: RuleContext<EndpointInputs>): CheckFailure[] {
  const failures: CheckFailure[] = [];
  const fail = (property: string, reason: string) => failures.push({ property, reason: `${property}: ${reason}` });
  // What the program leaves out keeps the endpoint's value, unless the routing changes: that
  // replaces the endpoint, and the new one starts from Runpod's defaults.
  const effective: EndpointInputs = routingOf(olds) === routingOf(inputs) ? { ...olds, ...inputs } : inputs;
  const has = (name: keyof EndpointInputs) => inputs[name] !== undefined && inputs[name] !== null;

  if (wire === "v1" && !has("templateId")) fail("templateId", "required on Runpod REST v1 (runpod:apiVersion=v1): v1 endpoints run a serverless template");
  if (wire === "v2" && !has("templateId") && !has("imageName"))
    fail("imageName", "required on Runpod REST v2 unless templateId is set: give the worker image or a serverless template");

  if (known(inputs.workersMin) && known(inputs.workersMax) && inputs.workersMin > inputs.workersMax) {
    fail("workersMin", `must not exceed workersMax (${inputs.workersMin} > ${inputs.workersMax})`);
  }

  const computeType = known(inputs.computeType) ? inputs.computeType : "GPU";
  if (computeType === "CPU") {
    for (const name of GPU_FIELDS) if (has(name)) fail(name, 'is a GPU setting, but computeType is "CPU"; remove it or set computeType "GPU"');
    if (wire === "v2" && !has("cpuFlavorIds")) fail("cpuFlavorIds", 'required for computeType "CPU" on Runpod REST v2 (it decides the CPU workers)');
  } else if (inputs.computeType !== undefined && !known(inputs.computeType)) {
    // unknown during preview: checked again once known
  } else {
    for (const name of CPU_FIELDS) if (has(name)) fail(name, 'is a CPU setting, but computeType is "GPU" (the default); set computeType "CPU" or remove it');
  }

  if (known(inputs.allowedCudaVersions) && inputs.allowedCudaVersions.length > 0 && has("minCudaVersion")) {
    fail("minCudaVersion", "cannot be combined with a non-empty allowedCudaVersions (Runpod rejects both): give an exact list or a floor");
  }

  const scaler = known(effective.scalerType) || effective.scalerType === undefined ? scalerOf(effective) : undefined;
  if (wire === "v2") {
    if (computeType === "GPU" && !has("gpuPoolIds")) {
      fail(
        "gpuPoolIds",
        'required for a GPU endpoint on Runpod REST v2: the serverless GPU pools workers may use, e.g. ["AMPERE_24"] (or set computeType "CPU" with cpuFlavorIds)',
      );
    }
    const routing = known(effective.type) ? routingOf(effective) : undefined;
    if (routing === "LOAD_BALANCER" && scaler === "QUEUE_DELAY") {
      fail("scalerType", 'QUEUE_DELAY only works on QUEUE endpoints; a LOAD_BALANCER endpoint scales on "REQUEST_COUNT"');
    }
    if (routing === "QUEUE" && scaler === "REQUEST_COUNT" && has("idleTimeout")) {
      fail("idleTimeout", 'Runpod REST v2 does not allow it on a QUEUE endpoint scaling on "REQUEST_COUNT"; remove it or use scalerType "QUEUE_DELAY"');
    }
  }

  if (has("readyTimeoutSeconds") && inputs.waitForReady === false) fail("readyTimeoutSeconds", "has no effect with waitForReady: false; remove one of them");

  // Both wires scale on the same two signals, so their thresholds follow one rule.
  const value = effective.scalerValue;
  if (scaler && known(value) && typeof value === "number") {
    // v2 spec: queueDelay ≥ 0.5 (seconds), requestCount integer ≥ 1.
    if (scaler === "QUEUE_DELAY" && value < 0.5) fail("scalerValue", `a QUEUE_DELAY threshold must be at least 0.5 seconds (got ${value})`);
    if (scaler === "REQUEST_COUNT" && (!Number.isInteger(value) || value < 1))
      fail("scalerValue", `a REQUEST_COUNT threshold must be a whole number of at least 1 (got ${value})`);
    // Runpod states no ceilings; ours stop a typo that would keep an endpoint from ever scaling up.
    if (scaler === "QUEUE_DELAY" && value > MAX_QUEUE_DELAY_SECONDS) {
      fail(
        "scalerValue",
        `a QUEUE_DELAY threshold must be at most ${MAX_QUEUE_DELAY_SECONDS} seconds (got ${value}): requests would wait that long before another worker starts; use a few seconds`,
      );
    }
    if (scaler === "REQUEST_COUNT" && value > MAX_REQUEST_COUNT) {
      fail(
        "scalerValue",
        `a REQUEST_COUNT threshold must be at most ${MAX_REQUEST_COUNT} (got ${value}): the endpoint would hardly ever add a worker; use the requests one worker can serve at once`,
      );
    }
  }
  return failures;
}

/**
 * Our ceiling for a QUEUE_DELAY threshold: the longest idle timeout Runpod allows (3600 s), since
 * a request that waits longer than any worker idles has waited for nothing.
 */
const MAX_QUEUE_DELAY_SECONDS = 3600;
/** Our ceiling for a REQUEST_COUNT threshold: far above what one worker serves concurrently. */
const MAX_REQUEST_COUNT = 1000;
