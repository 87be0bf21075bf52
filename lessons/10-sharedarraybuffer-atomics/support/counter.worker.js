const { workerData } = require('worker_threads');
const counter = new Int32Array(workerData.shared); // a view on the SAME memory
for (let i = 0; i < workerData.times; i++) {
  if (workerData.atomic) Atomics.add(counter, 0, 1); // read-modify-write as one step
  else counter[1] += 1;                              // read, add, write: can lose updates
}
