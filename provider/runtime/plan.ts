/**
 * What `pulumi preview` asks of every resource — check and diff — derived from the field table
 * alone. Kept apart from the lifecycle (handler.ts, each kind's lifecycle.ts) because every
 * command starts a fresh host and most previews change nothing: such a preview must not pay for
 * loading the create/update/delete machinery it never runs.
 */
import { catalogFailures } from "../catalog/check";
import { ADOPT_KEY } from "../schema/adopt";
import { checkInputs, diffInputs } from "../schema/derive";
import { JsonObject, PROVIDER_KEY, ResourceSpec, WireApis } from "../schema/fields";
import { adoptReplaced } from "./adopt";
import type { OperationContext } from "./context";
import { notice } from "./notice";

type Props = JsonObject;

/** The inputs without the serialized provider the host adds to every property bag. */
export function strip(props: Props): Props {
  // A loop, not `{ [PROVIDER_KEY]: _, ...rest }`: a rest pattern with a computed key takes V8's
  // slow path, and a preview strips every resource's olds and news twice.
  const rest: Props = {};
  const keys = Object.keys(props);
  for (let i = 0; i < keys.length; i++) if (keys[i] !== PROVIDER_KEY) rest[keys[i]] = props[keys[i]];
  return rest;
}

/**
 * The id kept in state for a create whose outcome Runpod could not tell us: the time the create
 * started, which with the inputs in state is what finds the object later.
 */
export const PENDING_ID_PREFIX = "pending-create-";

export function isPendingId(id: string): boolean {
  return id.startsWith(PENDING_ID_PREFIX);
}

/**
 * The table's rules first (no request); only input that passes them is checked against Runpod's
 * catalog, so a format mistake never costs a request.
 */
export async function checkResource<A, Apis extends WireApis, C>(
  spec: ResourceSpec<A, Apis, C>,
  ctx: Pick<OperationContext, "settings" | "wire">,
  olds: Props,
  news: Props,
) {
  const prior = strip(olds ?? {});
  const result = checkInputs(spec, ctx.wire, prior, strip(news ?? {}));
  if (result.failures.length > 0) return result;
  result.failures.push(...(await catalogFailures(spec, ctx.settings, ctx.wire, prior, result.inputs)));
  return result;
}

/**
 * The diff of a resource whose id is known (a pending one is the lifecycle's: it asks Runpod).
 * A replacement states its reasons on the engine's diagnostics; an adopted resource refuses one.
 */
export function diffResource<A, Apis extends WireApis, C>(spec: ResourceSpec<A, Apis, C>, ctx: Pick<OperationContext, "wire">, olds: Props, news: Props) {
  const { changes, replaces, stables, deleteBeforeReplace, reasons } = diffInputs(spec, ctx.wire, strip(olds), strip(news));
  if (reasons.length > 0 && typeof news[ADOPT_KEY] === "string") throw adoptReplaced(spec.typeName, news[ADOPT_KEY], reasons);
  if (reasons.length > 0) {
    const name = typeof olds.name === "string" ? ` "${olds.name}"` : "";
    notice(`${spec.typeName}${name} will be replaced: ${reasons.map((r) => r.reason).join("; ")}`);
  }
  return { changes, replaces, stables, deleteBeforeReplace };
}
