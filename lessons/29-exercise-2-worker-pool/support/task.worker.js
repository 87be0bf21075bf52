// The task the pool runs in the checker: it squares a number after `ms` of busy work and replies
// with which thread did it, and when.
//
// It also reports, on a BroadcastChannel that only the checker listens to, that this thread started
// and each task it really ran. The checker counts threads and measures overlap from these reports,
// never from values that passed through the pool under test (which could be invented or rewritten).
const { parentPort, threadId, BroadcastChannel } = require('worker_threads');
const { performance } = require('perf_hooks');
const observer = new BroadcastChannel('loopscope-exercise-2-observer');
const now = () => performance.timeOrigin + performance.now();
observer.postMessage({ kind: 'online', threadId });
parentPort.on('message', ({ n, ms }) => {
  const start = now();
  while (now() - start < ms) { /* CPU work */ }
  const end = now();
  observer.postMessage({ kind: 'task', threadId, n, start, end });
  parentPort.postMessage({ result: n * n, threadId, start, end });
});
