// A Worker runs its own event loop: its timer and immediate callbacks run on the Worker's thread.
const { Worker, isMainThread, parentPort } = require('worker_threads');
if (isMainThread) {
  const worker = new Worker(__filename);
  worker.on('message', (m) => console.log('main got', m));
} else {
  setTimeout(function workerTimer() {
    setImmediate(function workerImmediate() { parentPort.postMessage('done'); });
  }, 5);
}
