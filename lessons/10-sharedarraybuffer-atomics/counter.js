// Four workers increment counters that live in one SharedArrayBuffer.
// Nothing is copied: every thread sees the same 8 bytes. Watch 4 worker lanes.
const { Worker } = require('worker_threads');
const path = require('path');
const shared = new SharedArrayBuffer(2 * Int32Array.BYTES_PER_ELEMENT);
const counter = new Int32Array(shared);
const TIMES = 200000;

function start(atomic) {
  return new Promise((resolve) => {
    new Worker(path.join(__dirname, 'support', 'counter.worker.js'), { workerData: { shared, times: TIMES, atomic } })
      .on('exit', resolve);
  });
}
(async () => {
  await Promise.all([1, 2, 3, 4].map(() => start(true)));
  console.log(`Atomics.add total: ${Atomics.load(counter, 0)} (expected ${4 * TIMES})`);
  await Promise.all([1, 2, 3, 4].map(() => start(false)));
  console.log(`plain += total is never more than ${4 * TIMES}: ${counter[1] <= 4 * TIMES}`);
})();
