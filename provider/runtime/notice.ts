/**
 * A line for the person running `pulumi preview` / `up`. The dynamic-provider host has no
 * logging channel to the engine, but the engine shows what a provider plugin writes to stderr
 * as diagnostics, so that is where a replacement's reason goes.
 */
export function notice(message: string): void {
  process.stderr.write(`runpod: ${message}\n`);
}
