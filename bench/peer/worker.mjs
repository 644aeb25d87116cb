// The BullMQ side's worker process of bench/peer-bullmq.sh: the 3-step chain compute -> decision -> compute as one
// job, written in BullMQ's documented "process step jobs" pattern (docs.bullmq.io, Patterns): the job's data holds
// the step it is at, and every step's outcome is persisted with job.updateData before the next step starts, so a
// job that fails or stalls mid-chain resumes at the step it had reached (the durability our service gives each run).
//   validate: POST to the function server                   -> updateData {step: 'check', steps.validate.output}
//   check:    decision on steps.validate.output.ok (in here, not persisted on its own: see below)
//   fulfill:  POST to the function server; its output is the job's return value (stored by BullMQ on completion)
// A job added with data {step: 'fulfill', record: true} (and the delay option) is the delay benchmark's chain: one
// compute step once the delay is over, called on the function server's /record path, which notes when it arrived.
// Env: REDIS_URL, BULLMQ_PREFIX (the run's key prefix), FN_URL (http://127.0.0.1:PORT/noop), BULLMQ_CONCURRENCY.
import http from 'node:http';
import { Worker } from 'bullmq';
import { QUEUE, connection } from './common.mjs';

const concurrency = Number.parseInt(process.env.BULLMQ_CONCURRENCY || '64', 10);
const fn = new URL(process.env.FN_URL);
const agent = new http.Agent({ keepAlive: true, maxSockets: concurrency });

/** One function call: POST {runId, stepId, input, steps} and the parsed JSON answer (a non-200 fails the job). */
function call(job, data, stepId) {
  const body = JSON.stringify({ runId: job.id, stepId, input: data.input, steps: data.steps || {} });
  return new Promise((resolve, reject) => {
    const request = http.request({
      host: fn.hostname,
      port: fn.port,
      path: data.record ? '/record' : fn.pathname,
      method: 'POST',
      agent,
      timeout: 30_000,
      headers: { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body) },
    }, (response) => {
      const chunks = [];
      response.on('data', (c) => chunks.push(c));
      response.on('end', () => {
        if (response.statusCode !== 200) reject(new Error(`function answered ${response.statusCode}`));
        else resolve(JSON.parse(Buffer.concat(chunks).toString()));
      });
    });
    request.on('timeout', () => request.destroy(new Error('function call timed out')));
    request.on('error', reject);
    request.end(body);
  });
}

async function chain(job) {
  let data = job.data;
  for (;;) {
    switch (data.step) {
      case 'validate': {
        const output = await call(job, data, 'validate');
        data = { ...data, step: 'check', steps: { validate: { output } } };
        await job.updateData(data);
        break;
      }
      case 'check':
        // a decision does no I/O: not persisted on its own (a job resumed here decides again from the persisted
        // output), as our engine writes a decision with the step before it
        data = { ...data, step: data.steps.validate.output.ok === true ? 'fulfill' : 'done' };
        break;
      case 'fulfill':
        return call(job, data, 'fulfill');
      case 'done':
        return null;
      default:
        throw new Error(`unknown step ${data.step}`);
    }
  }
}

const worker = new Worker(QUEUE, chain, {
  connection: connection(process.env.REDIS_URL),
  prefix: process.env.BULLMQ_PREFIX,
  concurrency,
});
let failures = 0;
worker.on('failed', (job, err) => {
  if (++failures <= 5) console.error(`job ${job?.id} failed: ${err?.message}`);
});
worker.on('error', (err) => console.error(`worker error: ${err?.message}`));
await worker.waitUntilReady();
console.log(`bullmq worker ready: pid ${process.pid}, queue ${process.env.BULLMQ_PREFIX}:${QUEUE}, concurrency `
  + `${concurrency}, function ${fn.href}`);
for (const signal of ['SIGTERM', 'SIGINT']) {
  process.on(signal, () => {
    worker.close(true).finally(() => process.exit(0));
    setTimeout(() => process.exit(0), 3_000).unref();
  });
}
