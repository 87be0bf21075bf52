// worker_threads: a worker computes and posts back.
const { Worker, isMainThread, parentPort } = require('worker_threads');
if (isMainThread) {
  const worker = new Worker(__filename);
  worker.on('message', (m) => console.log('from worker', m));
  worker.on('exit', (code) => console.log('worker exit', code));
} else {
  let sum = 0;
  for (let i = 0; i < 1000; i++) sum += i;
  parentPort.postMessage(sum);
}
