// The task the pool runs in the checker: it squares a
// number after `ms` of busy work and reports which thread did it, and when.
const { parentPort, threadId } = require('worker_threads');
parentPort.on('message', ({ n, ms }) => {
  const start = Date.now();
  while (Date.now() - start < ms) { /* CPU work */ }
  parentPort.postMessage({ result: n * n, threadId, start, end: Date.now() });
});
