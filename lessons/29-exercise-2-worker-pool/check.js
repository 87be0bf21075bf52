// Checker for exercise 2. Usage: loopscope-engine check.js <learner-file>
// Prints one line per problem; exit code 0 only when everything passes.
//
// What the pool claims is not taken on trust. The worker file (support/task.worker.js) reports
// every thread that started and every task it ran on a channel the pool never sees, and the pool
// is exercised in a child process that must end on its own after close(): a pool that fakes its
// replies, starts a thread per task, or leaves workers running is caught by what really happened.
const path = require('path');
const { fork } = require('child_process');

const file = process.argv[2];
if (!file) { console.log('usage: check.js <your-file.js>'); process.exit(2); }

if (process.argv[3] !== '--inside') {
  // Outside: run the checks in a child process and watch whether it ends by itself.
  const child = fork(__filename, [file, '--inside'], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  let reported = false;
  let overall = setTimeout(() => {
    console.log('the checks did not finish within 20 s: does run() resolve every promise?');
    child.kill('SIGKILL');
  }, 20000);
  child.on('message', (m) => {
    if (m !== 'reported') return;
    reported = true;
    clearTimeout(overall);
    overall = setTimeout(() => {
      console.log('after close() resolved, the process did not end by itself within 5 s: close() must terminate every worker it started');
      child.kill('SIGKILL');
    }, 5000);
  });
  child.on('exit', (code, signal) => {
    clearTimeout(overall);
    if (!reported && !signal) console.log(`the checks stopped early (exit code ${code}): see the error above`);
    process.exitCode = code === 0 && !signal ? 0 : 1;
  });
  return;
}

// Inside: the checks themselves.
const { BroadcastChannel } = require('worker_threads');
const problems = [];
const observed = { online: new Set(), tasks: [] };
const observer = new BroadcastChannel('loopscope-exercise-2-observer');
observer.onmessage = ({ data }) => {
  if (data.kind === 'online') observed.online.add(data.threadId);
  if (data.kind === 'task') observed.tasks.push(data);
};
const finish = (message) => {
  if (message) console.log(message);
  for (const p of problems) console.log(p);
  if (problems.length === 0 && !message) console.log('all checks passed: 2 reused workers, at most 2 tasks at once, one drain per batch, a clean close()');
  observer.close();
  process.exitCode = problems.length === 0 && !message ? 0 : 1;
  process.send('reported', () => process.disconnect());
};

let WorkerPool;
try {
  ({ WorkerPool } = require(path.resolve(file)));
} catch (e) {
  finish(`your file could not be loaded: ${e.message}`);
  return;
}
if (typeof WorkerPool !== 'function') {
  finish('your file must export a class named WorkerPool: module.exports = { WorkerPool }');
  return;
}
const TASK = path.join(__dirname, 'support', 'task.worker.js');
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const withTimeout = (p, ms, what) => Promise.race([p, new Promise((_, rej) => setTimeout(() => rej(new Error(`${what} did not finish within ${ms} ms`)), ms).unref())]);

// The largest number of observed tasks running at the same moment.
function peakOverlap(tasks) {
  const edges = tasks.flatMap((t) => [[t.start, 1], [t.end, -1]]).sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  let running = 0, peak = 0;
  for (const [, d] of edges) { running += d; peak = Math.max(peak, running); }
  return peak;
}

(async () => {
  const pool = new WorkerPool(TASK, 2);
  let drains = 0;
  pool.on('drain', () => { drains += 1; });

  // Batch 1: 8 tasks of 60 ms, all submitted at once, on 2 workers.
  const first = [1, 2, 3, 4, 5, 6, 7, 8];
  const replies = await withTimeout(Promise.all(first.map((n) => pool.run({ n, ms: 60 }))), 10000, '8 tasks');
  await sleep(100); // let the observer's reports arrive
  const drainsAfterFirst = drains;
  const wrong = replies.filter((r, i) => !r || r.result !== first[i] * first[i]);
  if (wrong.length) problems.push(`${wrong.length} of 8 run() promises resolved with the wrong reply (each must resolve with its own task's message)`);

  const ranFirst = observed.tasks.filter((t) => first.includes(t.n));
  if (observed.online.size === 0) {
    problems.push('no worker thread ever started from the worker file: run() must post each task to a Worker created with new Worker(workerFile)');
  } else {
    if (ranFirst.length < first.length) problems.push(`only ${ranFirst.length} of 8 tasks were run by a worker: every reply must come from a worker`);
    if (observed.online.size > 2) problems.push(`${observed.online.size} worker threads were started for a pool of size 2: start size workers once and reuse them`);
    const peak = peakOverlap(ranFirst);
    if (peak > 2) problems.push(`${peak} tasks ran at the same time with size 2: queue tasks while all workers are busy`);
    else if (peak < 2 && ranFirst.length === first.length) problems.push('tasks never ran in parallel: with 2 workers, two tasks should run at once');
  }
  // Submitted all at once, the tasks leave the pool idle with an empty queue exactly once: at the end.
  if (drainsAfterFirst === 0) problems.push("no 'drain' event after all tasks finished and the queue was empty");
  else if (drainsAfterFirst > 1) problems.push(`'drain' was emitted ${drainsAfterFirst} times for one batch of 8 tasks: emit it only when every worker is idle AND the queue is empty`);

  // Batch 2: must run on the same threads.
  const threadsBefore = new Set(observed.online);
  const second = [9, 10, 11];
  await withTimeout(Promise.all(second.map((n) => pool.run({ n, ms: 10 }))), 10000, 'second batch');
  await sleep(100);
  const newThreads = observed.tasks.filter((t) => second.includes(t.n) && !threadsBefore.has(t.threadId)).length;
  if (observed.online.size > 0 && observed.online.size <= 2 && newThreads > 0) problems.push(`a second batch ran ${newThreads} task(s) on new threads: reuse the existing workers`);
  if (drains - drainsAfterFirst !== 1 && drainsAfterFirst === 1) problems.push(`'drain' was emitted ${drains - drainsAfterFirst} times for the second batch, not once`);

  // close() must resolve, and then nothing of the pool may keep this process alive (checked outside).
  await withTimeout(Promise.resolve(pool.close()), 5000, 'close()').catch((e) => problems.push(e.message));
  finish();
})().catch((e) => { finish(`your code failed: ${e && e.message}`); });
