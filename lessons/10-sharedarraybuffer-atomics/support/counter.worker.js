const { workerData, parentPort } = require('worker_threads');
const counter = new Int32Array(workerData.shared); // a view on the SAME memory
// Start line: report ready, then sleep until main says go, so that all four
// loops really run at the same time (starting a worker takes longer than the loop).
parentPort.postMessage('ready');
Atomics.wait(counter, 2, 0); // sleeps while the go flag (index 2) is 0
for (let i = 0; i < workerData.times; i++) {
  if (workerData.atomic) Atomics.add(counter, 0, 1); // read-modify-write as one step
  else counter[1] += 1;                              // read, add, write: can lose updates
}
