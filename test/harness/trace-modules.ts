/**
 * Preloaded into the dynamic-provider host (`node --require`) when `startHost({traceModules: true})`:
 * appends the real path of every JS module the host compiles to $HARNESS_MODULE_TRACE, so a test
 * can prove which copy of the provider code the serialized closure actually reached.
 * Self-contained on purpose: it runs before anything else in the host.
 */
const traceFs = require("fs") as typeof import("fs");
const TraceModule = require("module");
const traceFile = process.env.HARNESS_MODULE_TRACE;
if (traceFile) {
  const original = TraceModule._extensions[".js"];
  TraceModule._extensions[".js"] = function (module: any, filename: string) {
    try {
      traceFs.appendFileSync(traceFile, traceFs.realpathSync(filename) + "\n");
    } catch {
      /* never break the host */
    }
    return original.call(this, module, filename);
  };
  // Code compiled from a string (require-from-string: the serialized provider) has no file.
  const originalCompile = TraceModule.prototype._compile;
  TraceModule.prototype._compile = function (content: string, filename: string) {
    if (!filename) {
      try {
        traceFs.appendFileSync(traceFile, `<string:${content.length} chars>\n`);
      } catch {
        /* ignore */
      }
    }
    return originalCompile.call(this, content, filename);
  };
}
export {};
