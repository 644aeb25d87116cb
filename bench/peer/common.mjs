// Shared by the BullMQ side of bench/peer-bullmq.sh (worker.mjs, load.mjs): arguments, the Redis connection, the
// queue's name, percentiles by sorting (nearest rank, as the Java load generators' BenchKit) and CPU seconds of
// process groups read from /proc (the same --cpuPids spec as BenchKit.CpuProbe).
import { readFileSync, readdirSync } from 'node:fs';

export const QUEUE = 'chain';

/** --key=value pairs; a bare --flag maps to "true". */
export function args(argv) {
  const out = {};
  for (const a of argv) {
    if (!a.startsWith('--')) throw new Error(`arguments look like --key=value, got ${a}`);
    const eq = a.indexOf('=');
    if (eq < 0) out[a.slice(2)] = 'true';
    else out[a.slice(2, eq)] = a.slice(eq + 1);
  }
  return out;
}

export function int(a, key, fallback) {
  return a[key] === undefined ? fallback : Number.parseInt(a[key], 10);
}

/** ioredis options for a redis://[user:password@]host:port[/db] URL; BullMQ needs maxRetriesPerRequest null. */
export function connection(url) {
  const u = new URL(url);
  return {
    host: u.hostname,
    port: Number(u.port || 6379),
    username: u.username || undefined,
    password: u.password ? decodeURIComponent(u.password) : undefined,
    db: u.pathname.length > 1 ? Number(u.pathname.slice(1)) : 0,
    maxRetriesPerRequest: null,
  };
}

export function out(line) {
  process.stdout.write(`${line}\n`);
}

export function sleep(ms) {
  return new Promise((resolve) => setTimeout(resolve, Math.max(0, ms)));
}

/** Nearest-rank percentile of an ascending array; -1 when empty. */
export function pct(sorted, p) {
  if (sorted.length === 0) return -1;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
}

/** "n=… min=… p50=… p90=… p99=… p99.9=… max=…" of values (sorted in place). */
export function summary(values) {
  values.sort((x, y) => x - y);
  if (values.length === 0) return 'n=0';
  return `n=${values.length} min=${values[0]} p50=${pct(values, 50)} p90=${pct(values, 90)} p99=${pct(values, 99)} `
    + `p99.9=${pct(values, 99.9)} max=${values[values.length - 1]}`;
}

/** Up to n items of list picked evenly over its order. */
export function evenly(list, n) {
  const step = Math.max(1, list.length / Math.max(1, n));
  const picked = [];
  for (let i = 0; i < list.length && picked.length < n; i += step) picked.push(list[Math.floor(i)]);
  return picked;
}

/** utime + stime of a process in seconds (clock ticks of 10 ms, as BenchKit); -1 when it is gone. */
function seconds(pid) {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(f[11]) + Number(f[12])) / 100;
  } catch {
    return -1;
  }
}

function pids(spec) {
  if (!spec.startsWith('@')) return spec.split('+').filter((p) => p !== '');
  const found = [];
  for (const dir of readdirSync('/proc')) {
    if (!/^\d+$/.test(dir)) continue;
    try {
      if (readFileSync(`/proc/${dir}/comm`, 'utf8').trim() === spec.slice(1)) found.push(dir);
    } catch {
      // gone meanwhile
    }
  }
  return found;
}

/**
 * CPU seconds of named process groups: "service:123,bullmq:45+46,redis:67,postgres:@postgres" (a group sums its
 * pids, @name: every live process so named).
 */
export class CpuProbe {
  constructor(spec) {
    this.groups = (spec || '').split(',').filter((g) => g.includes(':')).map((g) => g.split(/:(.*)/s).slice(0, 2));
  }

  /** group → pid → CPU seconds so far. */
  snapshot() {
    const snap = new Map();
    for (const [name, spec] of this.groups) {
      const m = new Map();
      for (const pid of pids(spec)) {
        const s = seconds(pid);
        if (s >= 0) m.set(pid, s);
      }
      snap.set(name, m);
    }
    return snap;
  }

  /** "name=x.xx … (sum x.xx)" CPU ms per unit between two snapshots (a process started meanwhile counts whole). */
  static perUnit(before, after, units) {
    let total = 0;
    const parts = [];
    for (const [name, m] of after) {
      const was = before.get(name) || new Map();
      let s = 0;
      for (const [pid, v] of m) s += v - (was.get(pid) || 0);
      const ms = (s * 1000) / Math.max(1, units);
      total += ms;
      parts.push(`${name}=${ms.toFixed(2)}`);
    }
    return `${parts.join(' ')} (sum ${total.toFixed(2)})`;
  }
}

/** This process's CPU ms so far (user + system). */
export function selfCpuMs() {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
}
