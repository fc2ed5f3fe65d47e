/** Per-process CPU time and peak memory from /proc (Linux); undefined elsewhere. */
import { execFileSync } from "child_process";
import * as fs from "fs";

let ticks: number | undefined;
function clockTicks(): number {
  if (ticks === undefined) {
    try {
      ticks = Number(execFileSync("getconf", ["CLK_TCK"], { encoding: "utf8" }).trim()) || 100;
    } catch {
      ticks = 100;
    }
  }
  return ticks;
}

/** User + system CPU milliseconds a process has used so far. */
export function cpuMs(pid: number): number | undefined {
  if (pid === process.pid) {
    const u = process.cpuUsage();
    return (u.user + u.system) / 1000;
  }
  try {
    // Fields after the parenthesised command name: state is field 3, utime 14, stime 15.
    const fields = fs.readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1].split(" ");
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / clockTicks();
  } catch {
    return undefined;
  }
}

/** Peak resident set size (VmHWM) in bytes. */
export function peakRss(pid: number): number | undefined {
  try {
    const m = /^VmHWM:\s+(\d+)\s+kB/m.exec(fs.readFileSync(`/proc/${pid}/status`, "utf8"));
    return m ? Number(m[1]) * 1024 : undefined;
  } catch {
    return undefined;
  }
}

/** CPU used by each process between `start()` and `stop()`. */
export function cpuMeter(pids: Record<string, number>) {
  const at = (): Record<string, number | undefined> => Object.fromEntries(Object.entries(pids).map(([k, pid]) => [k, cpuMs(pid)]));
  const before = at();
  return {
    stop(): Record<string, number | undefined> {
      const after = at();
      return Object.fromEntries(
        Object.keys(pids).map((k) => [k, after[k] === undefined || before[k] === undefined ? undefined : Math.round(after[k] - before[k])]),
      );
    },
  };
}
