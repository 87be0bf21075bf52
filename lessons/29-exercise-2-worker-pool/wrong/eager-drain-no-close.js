// WRONG on purpose (the checker must reject it): a real pool of `size` reused workers, but it emits
// 'drain' whenever any worker becomes idle, and close() resolves without terminating anything.
const { Worker } = require('worker_threads');
const { EventEmitter } = require('events');
class WorkerPool extends EventEmitter {
  constructor(workerFile, size = 2) {
    super();
    this.idle = [];
    this.queue = [];
    for (let i = 0; i < size; i++) {
      const worker = new Worker(workerFile);
      worker.on('message', (reply) => {
        worker.task(reply);
        this.emit('drain'); // the bug: other workers may still be busy, tasks may be waiting
        this.release(worker);
      });
      this.idle.push(worker);
    }
  }
  release(worker) {
    const next = this.queue.shift();
    if (next) { worker.task = next.resolve; worker.postMessage(next.data); } else this.idle.push(worker);
  }
  run(data) {
    return new Promise((resolve) => {
      const worker = this.idle.pop();
      if (worker) { worker.task = resolve; worker.postMessage(data); } else this.queue.push({ data, resolve });
    });
  }
  async close() {} // the bug: the workers keep running, and keep the process alive
}
module.exports = { WorkerPool };
