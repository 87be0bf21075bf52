// Exercise 2 — a worker-thread pool with concurrency control.
// Check your work:  loopscope-engine check.js starter.js
//
// new WorkerPool(workerFile, size = os.cpus().length)
//   pool.run(data) -> Promise resolving with the worker's reply message
//   pool.close()   -> Promise, terminates all workers
//   emits 'drain' when every worker is idle and no task is waiting
//
// The worker file answers each message it receives with exactly one message.
const { Worker } = require('worker_threads');
const { EventEmitter } = require('events');
const os = require('os');

class WorkerPool extends EventEmitter {
  constructor(workerFile, size = os.cpus().length) {
    super();
    this.workerFile = workerFile;
    this.size = size;
  }

  // This version works, but it starts a NEW worker for every task (slow, and
  // with 100 tasks you get 100 threads at once). TODO: keep `size` workers,
  // route tasks to idle ones, queue the rest, reuse workers, emit 'drain'.
  run(data) {
    return new Promise((resolve, reject) => {
      const worker = new Worker(this.workerFile);
      worker.once('message', (reply) => { resolve(reply); worker.terminate(); });
      worker.once('error', reject);
      worker.postMessage(data);
    });
  }

  async close() {}
}

module.exports = { WorkerPool };
