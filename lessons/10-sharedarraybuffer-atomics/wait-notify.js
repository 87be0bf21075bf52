// Atomics.wait blocks a thread until another thread changes the value and calls
// Atomics.notify. The worker sleeps (no CPU, no loop turns) until main wakes it.
const { Worker } = require('worker_threads');
const flag = new Int32Array(new SharedArrayBuffer(4));
const code = `
  const { workerData, parentPort } = require('worker_threads');
  const flag = new Int32Array(workerData);
  parentPort.postMessage('ready');
  const result = Atomics.wait(flag, 0, 0);        // sleep while flag[0] === 0
  parentPort.postMessage('worker woke up: ' + result + ', flag = ' + Atomics.load(flag, 0));
`;
const w = new Worker(code, { eval: true, workerData: flag.buffer });
w.on('message', (m) => {
  if (m !== 'ready') { console.log(m); return; } // the worker exits by itself after this
  setTimeout(() => {                               // give it time to fall asleep
    console.log('main: setting the flag and notifying');
    Atomics.store(flag, 0, 42);
    Atomics.notify(flag, 0);
  }, 50);
});

// Node (unlike browsers) also lets the MAIN thread call Atomics.wait. It blocks the
// whole event loop for the duration, which is exactly why you rarely want it:
const t0 = Date.now();
const r = Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 50);
console.log(`main: Atomics.wait returned "${r}" after ${Date.now() - t0 >= 45 ? '~50' : '<45'} ms, the loop was blocked meanwhile`);
