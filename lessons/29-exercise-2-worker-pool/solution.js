// Exercise 2 — reference solution.
const { Worker } = require('worker_threads');
const { EventEmitter } = require('events');
const os = require('os');

class WorkerPool extends EventEmitter {
  constructor(workerFile, size = os.cpus().length) {
    super();
    this.workers = [];
    this.idle = [];        // workers waiting for a task
    this.queue = [];       // tasks waiting for a worker: { data, resolve, reject }
    this.current = new Map(); // worker -> task it is running
    for (let i = 0; i < size; i++) this.addWorker(workerFile);
  }

  addWorker(workerFile) {
    const worker = new Worker(workerFile);
    worker.on('message', (reply) => {
      const task = this.current.get(worker);
      this.current.delete(worker);
      task.resolve(reply);
      this.release(worker);
    });
    worker.on('error', (err) => {       // the worker died: fail its task, replace it
      const task = this.current.get(worker);
      this.current.delete(worker);
      this.workers = this.workers.filter((w) => w !== worker);
      if (task) task.reject(err);
      if (!this.closed) this.addWorker(workerFile);
    });
    this.workers.push(worker);
    this.release(worker);
  }

  release(worker) {
    const next = this.queue.shift();
    if (next) return this.dispatch(worker, next);
    this.idle.push(worker);
    if (this.current.size === 0 && this.queue.length === 0 && this.idle.length === this.workers.length) {
      this.emit('drain');
    }
  }

  dispatch(worker, task) {
    this.current.set(worker, task);
    worker.postMessage(task.data);
  }

  run(data) {
    return new Promise((resolve, reject) => {
      const task = { data, resolve, reject };
      const worker = this.idle.pop();
      if (worker) this.dispatch(worker, task);
      else this.queue.push(task);
    });
  }

  async close() {
    this.closed = true;
    await Promise.all(this.workers.map((w) => w.terminate()));
  }
}

module.exports = { WorkerPool };
