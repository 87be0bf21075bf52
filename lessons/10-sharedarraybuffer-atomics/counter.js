// Four workers increment counters that live in one SharedArrayBuffer.
// Nothing is copied: every thread sees the same bytes. Watch the 4 worker lanes:
// they wait at a start line, then all count at the same time.
const { Worker } = require('worker_threads');
const path = require('path');
const shared = new SharedArrayBuffer(3 * Int32Array.BYTES_PER_ELEMENT); // [atomic total, plain total, go flag]
const counter = new Int32Array(shared);
const TIMES = 1000000;

async function race(atomic) {
  Atomics.store(counter, 2, 0); // go flag down
  const workers = [1, 2, 3, 4].map(() =>
    new Worker(path.join(__dirname, 'support', 'counter.worker.js'), { workerData: { shared, times: TIMES, atomic } }));
  await Promise.all(workers.map((w) => new Promise((ready) => w.once('message', ready))));
  Atomics.store(counter, 2, 1); // everyone is at the start line: go
  Atomics.notify(counter, 2);
  await Promise.all(workers.map((w) => new Promise((ended) => w.once('exit', ended))));
}
(async () => {
  await race(true);
  console.log(`Atomics.add total: ${Atomics.load(counter, 0)} (expected ${4 * TIMES})`);
  await race(false);
  const plain = counter[1];
  console.log(`plain += total is never more than ${4 * TIMES}: ${plain <= 4 * TIMES}`);
  // How many were lost differs from run to run, and a run where the threads happen not to
  // overlap loses none: printed, not checked.
  console.log(`plain += total this run: ${plain} (${4 * TIMES - plain} updates lost)`);
})();
