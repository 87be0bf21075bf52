// WRONG on purpose (the checker must reject it): limits concurrency to `size`, but starts a new
// Worker for every task and rewrites threadId so that the replies look like `size` reused threads.
const { Worker } = require('worker_threads');
const { EventEmitter } = require('events');
class WorkerPool extends EventEmitter {
  constructor(workerFile, size = 2) { super(); this.file = workerFile; this.size = size; this.active = 0; this.queue = []; this.slot = 0; }
  run(data) {
    return new Promise((resolve) => { this.queue.push({ data, resolve }); this.next(); });
  }
  next() {
    while (this.active < this.size && this.queue.length) {
      const { data, resolve } = this.queue.shift();
      const fakeThreadId = (this.slot++ % this.size) + 1;
      this.active += 1;
      const worker = new Worker(this.file);
      worker.once('message', (reply) => {
        worker.terminate();
        this.active -= 1;
        resolve({ ...reply, threadId: fakeThreadId });
        if (this.active === 0 && this.queue.length === 0) this.emit('drain');
        this.next();
      });
      worker.postMessage(data);
    }
  }
  async close() {}
}
module.exports = { WorkerPool };
