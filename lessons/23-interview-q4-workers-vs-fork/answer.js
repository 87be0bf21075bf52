// Q4 proof: a worker is a thread in the SAME process (same pid, can share
// memory); a forked child is a separate process (own pid, own memory, own crash).
const { Worker } = require('worker_threads');
const { fork } = require('child_process');
const path = require('path');
globalThis.parentValue = 42;

const shared = new Int32Array(new SharedArrayBuffer(4));
const worker = new Worker(`
  const { parentPort, workerData } = require('worker_threads');
  Atomics.store(workerData, 0, 7);                       // writes into the parent's memory
  parentPort.postMessage({ pid: process.pid, sawParentGlobal: globalThis.parentValue !== undefined });
  process.exit(3);                                       // in a worker: ends only this thread
`, { eval: true, workerData: shared });
worker.on('message', (m) => {
  console.log(`worker: same pid as parent: ${m.pid === process.pid}, sees parent's globals: ${m.sawParentGlobal}`);
});
worker.on('exit', (code) => {
  console.log(`worker: process.exit(3) ended the thread with code ${code}; value it wrote to shared memory: ${Atomics.load(shared, 0)}`);
  const child = fork(path.join(__dirname, 'support', 'probe-child.js'));
  child.on('message', (m) => {
    console.log(`fork: same pid: ${m.pid === process.pid}, its parent is us: ${m.ppid === process.pid}, sees parent's globals: ${m.sawParentGlobal}`);
  });
  child.on('close', (code) => console.log(`fork: child exited with ${code}; our global is still ${globalThis.parentValue}, no 'marker' here: ${globalThis.marker === undefined}`));
});
