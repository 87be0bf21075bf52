// Checker for exercise 2. Usage: loopscope-engine check.js <learner-file>
const path = require('path');
const problems = [];
const file = process.argv[2];
if (!file) { console.log('usage: check.js <your-file.js>'); process.exit(2); }
let WorkerPool;
try {
  ({ WorkerPool } = require(path.resolve(file)));
} catch (e) {
  console.log(`your file could not be loaded: ${e.message}`);
  process.exit(1);
}
if (typeof WorkerPool !== 'function') {
  console.log('your file must export a class named WorkerPool: module.exports = { WorkerPool }');
  process.exit(1);
}
const TASK = path.join(__dirname, 'support', 'task.worker.js');
const withTimeout = (p, ms, what) => Promise.race([p, new Promise((_, rej) => setTimeout(() => rej(new Error(`${what} did not finish within ${ms} ms`)), ms).unref())]);

(async () => {
  const pool = new WorkerPool(TASK, 2);
  let drains = 0;
  pool.on('drain', () => { drains += 1; });

  // 8 tasks of 60 ms each on 2 workers
  const replies = await withTimeout(Promise.all([1, 2, 3, 4, 5, 6, 7, 8].map((n) => pool.run({ n, ms: 60 }))), 10000, '8 tasks');
  const wrong = replies.filter((r, i) => !r || r.result !== (i + 1) * (i + 1));
  if (wrong.length) problems.push(`${wrong.length} of 8 run() promises resolved with the wrong reply (each must resolve with its own task's message)`);

  const threads = new Set(replies.map((r) => r && r.threadId));
  if (threads.size > 2) problems.push(`workers are not reused: 8 tasks ran on ${threads.size} different threads with size 2`);

  // maximum number of tasks running at the same moment
  const edges = replies.filter(Boolean).flatMap((r) => [[r.start, 1], [r.end, -1]]).sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  let running = 0, peak = 0;
  for (const [, d] of edges) { running += d; peak = Math.max(peak, running); }
  if (peak > 2) problems.push(`${peak} tasks ran at the same time with size 2: queue tasks while all workers are busy`);
  if (threads.size === 2 && peak < 2) problems.push('tasks never ran in parallel: with 2 workers, two tasks should run at once');

  await new Promise((r) => setImmediate(r));
  if (drains === 0) problems.push("no 'drain' event after all tasks finished and the queue was empty");

  // a second batch must reuse the same workers
  const again = await withTimeout(Promise.all([9, 10, 11].map((n) => pool.run({ n, ms: 10 }))), 10000, 'second batch');
  const newThreads = again.filter((r) => r && !threads.has(r.threadId)).length;
  if (threads.size <= 2 && newThreads > 0) problems.push(`a second batch ran on ${newThreads} new thread(s): reuse the existing workers`);

  await withTimeout(Promise.resolve(pool.close()), 5000, 'close()').catch((e) => problems.push(e.message));

  for (const p of problems) console.log(p);
  if (problems.length === 0) console.log('all checks passed: 2 reused workers, at most 2 tasks at once, drain emitted');
  // No immediate process.exit(): exiting while workers are still being terminated can abort
  // Node 18 (FATAL ERROR in Worker::JoinThread). Let the loop end; force it only if workers
  // that were never terminated keep the process alive.
  process.exitCode = problems.length === 0 ? 0 : 1;
  setTimeout(() => process.exit(), 3000).unref();
})().catch((e) => { console.log(`your code failed: ${e && e.message}`); process.exit(1); });
