// The main thread waits on a SharedArrayBuffer until a worker calls Atomics.notify: the loop is
// blocked the whole time (browsers forbid Atomics.wait on the main thread; Node allows it).
const { Worker } = require('worker_threads');
const shared = new Int32Array(new SharedArrayBuffer(4));
const worker = new Worker(`
  const { workerData } = require('worker_threads');
  const view = new Int32Array(workerData);
  setTimeout(() => { Atomics.store(view, 0, 1); Atomics.notify(view, 0); }, 50);
`, { eval: true, workerData: shared.buffer });
const result = Atomics.wait(shared, 0, 0, 5000);
console.log('main thread woke up:', result, shared[0]);
worker.unref();
