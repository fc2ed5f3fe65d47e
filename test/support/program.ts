import * as pulumi from "@pulumi/pulumi";
import { EngineResource, Host, PlanResult, PROVIDER_KEY, UNKNOWN, unwrapSecrets } from "../harness";

export type StepOp = PlanResult["op"];

/**
 * Runs a real Pulumi program (resource classes, Outputs, dependencies) under
 * `pulumi.runtime.setMocks`, but answers every registration by driving the engine simulator
 * against the real dynamic-provider host: each resource gets its Check/Diff/Create/Update steps
 * and the program sees the real ids and outputs, as under `pulumi up`. State persists across
 * runs, so a second run is the next `pulumi up` of the same stack.
 */
export class ProgramEngine {
  readonly resources = new Map<string, EngineResource>();
  constructor(
    private readonly host: Host,
    private readonly project = "runpod-fleet",
    private readonly stack = "dev",
  ) {}

  /** One `pulumi up` (or `pulumi preview`): the step each resource took, by logical name. */
  async run(program: () => Record<string, Record<string, pulumi.CustomResource>>, opts: { preview?: boolean } = {}): Promise<Record<string, StepOp>> {
    const steps: Record<string, StepOp> = {};
    const failures: unknown[] = [];
    const onRejection = (reason: unknown) => failures.push(reason);
    process.on("unhandledRejection", onRejection);
    try {
      await pulumi.runtime.setMocks(
        {
          newResource: async (args) => {
            if (!args.custom) return { id: `${args.name}-id`, state: args.inputs };
            const inputs: Record<string, unknown> = {};
            for (const [key, value] of Object.entries(args.inputs)) {
              if (key !== PROVIDER_KEY && value !== undefined) inputs[key] = engineUnknowns(unwrapSecrets(value)[0]);
            }
            const providerText = unwrapSecrets(args.inputs[PROVIDER_KEY])[0] as string;
            let resource = this.resources.get(args.name);
            if (!resource) {
              resource = new EngineResource(this.host, { type: args.type, name: args.name, providerText, project: this.project, stack: this.stack });
              this.resources.set(args.name, resource);
            }
            const result = opts.preview ? await resource.preview(inputs) : await resource.up(inputs);
            steps[args.name] = result.op;
            const state = resource.state;
            // The nodejs host cannot preview an Update, so the engine hands the program the checked
            // new inputs: outputs computed by Runpod (a template's revision) are unknown until the up.
            const planned = opts.preview && (result.op === "update" || result.op === "replace") ? result.inputs : undefined;
            const { [PROVIDER_KEY]: _p, ...outputs } = planned ?? state?.outputs ?? inputs;
            return { id: state?.id ?? "", state: outputs };
          },
          call: (args) => args.inputs,
        },
        this.project,
        this.stack,
        opts.preview ?? false,
      );
      const declared = program();
      const all = Object.values(declared).flatMap((section) => Object.values(section));
      // The URN resolves once the registration (and so our engine step) is done, in preview too,
      // where a resource still to be created has no id.
      await Promise.all(all.map((r) => new Promise((resolve) => r.urn.apply(resolve))));
      if (failures.length) throw failures[0];
      return steps;
    } finally {
      process.off("unhandledRejection", onRejection);
    }
  }
}

/** A value still unknown in a preview (an output of a resource to be updated) reaches the provider as the engine's sentinel. */
function engineUnknowns(value: unknown): unknown {
  if (pulumi.isUnknown(value)) return UNKNOWN;
  if (Array.isArray(value)) return value.map(engineUnknowns);
  if (value && typeof value === "object" && Object.getPrototypeOf(value) === Object.prototype) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, engineUnknowns(v)]));
  }
  return value;
}

/** Groups a run's steps: `{ create: [...], update: [...], replace: [...], same: [...] }`. */
export function byStep(steps: Record<string, StepOp>): Record<string, string[]> {
  const grouped: Record<string, string[]> = {};
  for (const [name, op] of Object.entries(steps).sort()) (grouped[op] ??= []).push(name);
  return grouped;
}
