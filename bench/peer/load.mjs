// The BullMQ side's load generator of bench/peer-bullmq.sh, the mirror of the Java ones on our side
// (E2eBench for throughput and steady, DelayBench --mode=burst). Jobs are added with Queue.add; completions are
// counted by polling Queue.getJobCounts('completed', 'failed') every --pollMs (one small Lua call, cheaper on Redis
// than QueueEvents, which would read every job's events from the events stream); latency comes from the job hashes,
// read after the phase.
//   --mode=throughput [--warmup=30000] [--warmupChunk=6000] [--chains=20000] [--concurrency=64] [--window=600]
//                     [--pollMs=20] [--sample=2000]
//       E2eBench's method: at most `concurrency` adds in flight and at most `window` chains added but not finished;
//       throughput = chains / (first add -> the poll that saw the last completion). Warm-up: `warmup` chains first,
//       in chunks of `warmupChunk`.
//   --mode=steady --rate=R [--seconds=20] [--leadSeconds=0] [--concurrency=64] [--sample=all]
//       open-loop (add n due at start + n / rate; one due while `concurrency` adds are outstanding is skipped and
//       counted) for leadSeconds, not measured, then for `seconds`, measured, without a break; then waits until all
//       finished; latency = finishedOn - timestamp (set when the job was added and when the worker completed it) of
//       `sample` chains of the measured seconds picked evenly.
//   --mode=burst [--chains=20000] [--spreadSeconds=30] [--windowMs=1000] [--marginMs=3000] [--concurrency=64]
//       chain i is added with the delay option so that it is due at T0 + i * windowMs / chains, T0 = first add +
//       spreadSeconds s + marginMs (as DelayBench); adds stop when spreadSeconds are over. Lateness = arrival of
//       its compute call at the function server (GET /arrivals) - due time (the job's timestamp + its delay
//       option: BullMQ's own due time, the score it had in the delayed set).
// Common: --redisUrl --prefix --functionUrl --cpuPids=service:PID,bullmq:PID+PID,redis:PID,fn:PID,postgres:@postgres
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { CpuProbe, QUEUE, args, connection, evenly, int, out, pct, selfCpuMs, sleep, summary } from './common.mjs';

const INPUT = { orderId: 42, amount: 99.5 };
const a = args(process.argv.slice(2));
const queue = new Queue(QUEUE, { connection: connection(a.redisUrl), prefix: a.prefix });
// read-only, for the job hashes after a phase (BullMQ's own connection is not part of its public API)
const reader = new Redis(connection(a.redisUrl));
const cpu = new CpuProbe(a.cpuPids);
const pollMs = int(a, 'pollMs', 20);
const concurrency = int(a, 'concurrency', 64);

async function finishedCount() {
  const c = await queue.getJobCounts('completed', 'failed');
  return { completed: c.completed, failed: c.failed };
}

/** Polls until `expected` jobs more than `base` finished (completed + failed); fails after 120 s without progress. */
async function waitFinished(base, expected) {
  let last = -1;
  let lastProgress = Date.now();
  for (;;) {
    const c = await finishedCount();
    const done = c.completed - base.completed + c.failed - base.failed;
    if (done >= expected) return { completed: c.completed - base.completed, failed: c.failed - base.failed };
    if (done > last) {
      last = done;
      lastProgress = Date.now();
    } else if (Date.now() - lastProgress > 120_000) {
      throw new Error(`no progress for 120 s: ${done} of ${expected} finished`);
    }
    await sleep(pollMs);
  }
}

/** Job hash fields of each id (one pipeline per 1,000), as strings (null when absent). */
async function readJobs(ids, fields) {
  const rows = [];
  for (let i = 0; i < ids.length; i += 1000) {
    const p = reader.pipeline();
    for (const id of ids.slice(i, i + 1000)) p.hmget(queue.toKey(id), ...fields);
    for (const [err, values] of await p.exec()) {
      rows.push(err ? fields.map(() => null) : values);
    }
  }
  return rows;
}

/** finishedOn - timestamp of the given jobs, in ms. */
async function latencies(ids) {
  return (await readJobs(ids, ['timestamp', 'finishedOn'])).filter(([t, f]) => t !== null && f !== null)
    .map(([t, f]) => Number(f) - Number(t));
}

/** Removes the finished jobs (after their figures are read), so the next phase starts on an empty queue. */
async function clean() {
  for (const state of ['completed', 'failed']) {
    while ((await queue.clean(0, 10_000, state)).length > 0);
  }
}

/** One batch of chains, E2eBench.Phase's method: at most `concurrency` adds in flight, `window` unfinished. */
async function phase(n, window) {
  const base = await finishedCount();
  const ids = [];
  let next = 0;
  let inFlight = 0;
  let accepted = 0;
  let rejected = 0;
  let finished = 0;
  let addsDoneMs = 0;
  const start = Date.now();
  const pump = () => {
    while (next < n && inFlight < concurrency && next - finished < window) {
      const i = next++;
      inFlight++;
      queue.add('chain', { step: 'validate', input: INPUT }).then((job) => {
        ids[i] = job.id;
        accepted++;
      }, (err) => {
        if (++rejected <= 5) out(`add failed: ${err.message}`);
      }).finally(() => {
        inFlight--;
        if (accepted + rejected === n) addsDoneMs = Date.now() - start;
        pump();
      });
    }
  };
  pump();
  let result;
  for (;;) {
    await sleep(pollMs);
    const c = await finishedCount();
    const done = { completed: c.completed - base.completed, failed: c.failed - base.failed };
    finished = done.completed + done.failed;
    if (next === n && inFlight === 0 && finished >= accepted) {
      result = { ...done, accepted, rejected, elapsedMs: Date.now() - start, addsDoneMs, ids: ids.filter(Boolean) };
      break;
    }
    pump();
  }
  return result;
}

async function throughput() {
  const warmup = int(a, 'warmup', 30_000);
  const chunk = int(a, 'warmupChunk', 6_000);
  const chains = int(a, 'chains', 20_000);
  const window = int(a, 'window', 600);
  const sample = int(a, 'sample', 2_000);
  out(`setup: BullMQ queue ${a.prefix}:${QUEUE}, function server ${a.functionUrl}; concurrency=${concurrency} `
    + `window=${window}`);
  const warmStart = Date.now();
  for (let total = 0, k = 1; total < warmup; k++) {
    const w = await phase(Math.min(chunk, warmup - total), window);
    total += w.accepted + w.rejected;
    out(`warm-up chunk ${k}: ${w.accepted} chains in ${w.elapsedMs} ms `
      + `(${Math.round((w.accepted * 1000) / w.elapsedMs)} chains/s), ${w.failed} failed`);
    await clean();
  }
  if (warmup > 0) out(`warm-up: ${warmup} chains in ${((Date.now() - warmStart) / 1000).toFixed(1)} s`);
  const before = cpu.snapshot();
  const selfBefore = selfCpuMs();
  const m = await phase(chains, window);
  const after = cpu.snapshot();
  const selfMs = selfCpuMs() - selfBefore;
  const rate = (m.accepted * 1000) / m.elapsedMs;
  out(`measured: ${m.accepted} chains added (${m.rejected} rejected), ${m.completed} completed, ${m.failed} failed`);
  out(`elapsed first add -> last completion seen: ${m.elapsedMs} ms; adds all sent after ${m.addsDoneMs} ms`);
  out(`throughput: ${Math.round(rate)} completed chains/s`);
  out(`CPU ms per chain in the measured phase: ${CpuProbe.perUnit(before, after, m.accepted)}; load generator `
    + `${(selfMs / Math.max(1, m.accepted)).toFixed(2)}`);
  const latency = await latencies(evenly(m.ids, sample));
  out(`add-to-completion ms (finishedOn - timestamp, ${latency.length} chains sampled evenly): ${summary(latency)}`);
  out(`RESULT bullmq-throughput chains=${m.accepted} chains_per_s=${Math.round(rate)} p50_ms=${pct(latency, 50)} `
    + `p99_ms=${pct(latency, 99)} failed=${m.failed}`);
  await clean();
}

async function steady() {
  const rate = int(a, 'rate', 1_000);
  const seconds = int(a, 'seconds', 20);
  // the generator's own warm-up (a fresh process per phase), closed-loop, not measured
  const warmup = int(a, 'warmup', 0);
  if (warmup > 0) {
    const w = await phase(warmup, int(a, 'window', 600));
    out(`warm-up: ${w.accepted} chains in ${w.elapsedMs} ms, ${w.failed} failed`);
    await clean();
  }
  // --leadSeconds of the same open-loop load before the measured seconds, without a break (as E2eBench)
  const leadSeconds = int(a, 'leadSeconds', 0);
  const base = await finishedCount();
  const start = process.hrtime.bigint();
  const adds = [];
  let sent = 0;
  let skipped = 0;
  let inFlight = 0;
  const timer = setInterval(() => {
    const due = Math.min(rate * (leadSeconds + seconds),
      Math.floor((Number(process.hrtime.bigint() - start) / 1e9) * rate));
    for (; sent < due; sent++) {
      if (inFlight >= concurrency) {
        skipped++;
        continue;
      }
      inFlight++;
      const sentAt = Date.now();
      adds.push(queue.add('chain', { step: 'validate', input: INPUT })
        .then((job) => ({ sentAt, id: job.id }), () => ({ sentAt, id: null }))
        .finally(() => { inFlight--; }));
    }
  }, 2);
  await sleep(leadSeconds * 1000);
  const before = cpu.snapshot();
  const selfBefore = selfCpuMs();
  const measuredFrom = Date.now();
  const measuredStart = process.hrtime.bigint();
  const sentBefore = sent;
  const skippedBefore = skipped;
  await sleep(seconds * 1000);
  clearInterval(timer);
  const answers = (await Promise.all(adds)).sort((x, y) => x.sentAt - y.sentAt);
  const accepted = answers.filter((x) => x.id).length;
  const measured = answers.filter((x) => x.sentAt >= measuredFrom);
  const ids = measured.map((x) => x.id).filter(Boolean);
  const done = await waitFinished(base, accepted);
  const elapsedMs = Math.round(Number(process.hrtime.bigint() - measuredStart) / 1e6);
  const after = cpu.snapshot();
  const selfMs = selfCpuMs() - selfBefore;
  const skippedMeasured = skipped - skippedBefore;
  if (leadSeconds > 0) out(`steady lead-in: ${sentBefore} adds in ${leadSeconds} s at ${rate}/s, not measured`);
  out(`steady: ${sent - sentBefore} adds due in ${seconds} s at ${rate}/s, ${sent - sentBefore - skippedMeasured} sent `
    + `(${skippedMeasured} skipped: ${concurrency} in flight), ${ids.length} accepted, ${measured.length - ids.length} `
    + `failed; all finished ${elapsedMs} ms after the first measured add`);
  out(`CPU ms per chain, first measured add -> all finished: ${CpuProbe.perUnit(before, after, ids.length)}; load `
    + `generator ${(selfMs / Math.max(1, ids.length)).toFixed(2)}`);
  const latency = await latencies(evenly(ids, int(a, 'sample', ids.length)));
  out(`add-to-completion ms (finishedOn - timestamp, ${latency.length} chains sampled evenly): ${summary(latency)}`);
  out(`RESULT bullmq-steady rate=${rate} seconds=${seconds} chains=${ids.length} p50_ms=${pct(latency, 50)} `
    + `p99_ms=${pct(latency, 99)} failed=${done.failed} skipped=${skippedMeasured}`);
  await clean();
}

async function burst() {
  const chains = int(a, 'chains', 20_000);
  const spreadMs = int(a, 'spreadSeconds', 30) * 1000;
  const windowMs = int(a, 'windowMs', 1000);
  const lead = spreadMs + int(a, 'marginMs', 3000);
  const base = await finishedCount();
  out(`setup: ${chains} chains delay -> compute (${a.functionUrl}), due evenly over ${windowMs} ms starting `
    + `${lead} ms after the first add; adds within ${spreadMs / 1000} s, at most ${concurrency} in flight`);
  const before = cpu.snapshot();
  const start = Date.now();
  const t0 = start + lead;
  const ids = [];
  let next = 0;
  let inFlight = 0;
  let rejected = 0;
  await new Promise((resolve) => {
    const pump = () => {
      while (next < chains && inFlight < concurrency && Date.now() - start < spreadMs) {
        const due = t0 + Math.floor((next * windowMs) / chains);
        next++;
        inFlight++;
        queue.add('chain', { step: 'fulfill', record: true, input: INPUT }, { delay: Math.max(0, due - Date.now()) })
          .then((job) => ids.push(job.id), (err) => { if (++rejected <= 5) out(`add failed: ${err.message}`); })
          .finally(() => {
            inFlight--;
            pump();
          });
      }
      if (inFlight === 0) resolve();
    };
    pump();
  });
  const addMs = Date.now() - start;
  out(`added ${ids.length} chains (${rejected} rejected, ${chains - next} not sent: out of time) in `
    + `${(addMs / 1000).toFixed(1)} s (${Math.round((ids.length * 1000) / addMs)}/s); T0 = first add + ${lead} ms`);
  await sleep(t0 - 500 - Date.now());
  const q = await queue.getJobCounts('delayed', 'wait', 'active');
  out(`at T0-500ms: delayed=${q.delayed} wait=${q.wait} active=${q.active}`);
  await sleep(t0 + windowMs - Date.now());
  const waitStart = Date.now();
  const done = await waitFinished(base, ids.length);
  const allDone = Date.now();
  const after = cpu.snapshot();
  const arrivals = await (await fetch(new URL('/arrivals', a.functionUrl))).json();
  // the hash's own delay field is zeroed when the job is promoted: the delay asked for is in its opts
  const rows = await readJobs(ids, ['timestamp', 'opts', 'processedOn', 'finishedOn']);
  const late = [];
  const picked = [];
  const finished = [];
  const dueOffset = [];
  let inWindow = 0;
  ids.forEach((id, i) => {
    const [timestamp, opts, processedOn, finishedOn] = rows[i];
    const due = Number(timestamp) + (opts === null ? NaN : Number(JSON.parse(opts).delay));
    if (arrivals[id] === undefined || Number.isNaN(due)) return;
    late.push(arrivals[id] - due);
    picked.push(Number(processedOn) - due);
    finished.push(Number(finishedOn) - due);
    dueOffset.push(due - t0);
    inWindow += due >= t0 && due < t0 + windowMs ? 1 : 0;
  });
  out(`due times relative to T0 (ms): ${summary(dueOffset)}; ${inWindow} of ${dueOffset.length} inside `
    + `[T0, T0+${windowMs} ms)`);
  out(`polling saw all finished at T0 + ${allDone - t0} ms (from T0 + ${waitStart - t0} ms); ${done.failed} failed`);
  out(`lateness ms (compute call arrival - due): ${summary(late)}`);
  out(`lateness ms (processedOn - due):          ${summary(picked)}`);
  out(`lateness ms (finishedOn - due):           ${summary(finished)}`);
  if (late.length < ids.length) out(`WARNING: ${ids.length - late.length} chains without a due time or call`);
  out(`CPU ms per chain, first add -> all finished: ${CpuProbe.perUnit(before, after, ids.length)}`);
  out(`RESULT bullmq-burst chains=${late.length} window_ms=${windowMs} lateness=call_arrival p50_ms=${pct(late, 50)} `
    + `p99_ms=${pct(late, 99)} max_ms=${late.length === 0 ? -1 : late[late.length - 1]}`);
  await clean();
}

const modes = { throughput, steady, burst };
if (!modes[a.mode]) throw new Error(`--mode=throughput|steady|burst, got ${a.mode}`);
await queue.waitUntilReady();
await modes[a.mode]();
await queue.close();
reader.disconnect();
process.exit(0);
