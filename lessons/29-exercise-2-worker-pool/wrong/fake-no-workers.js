// WRONG on purpose (the checker must reject it): starts no worker at all. It computes the reply
// itself and invents { result, threadId, start, end } that look like two reused workers taking
// turns, two tasks at a time.
const { EventEmitter } = require('events');
class WorkerPool extends EventEmitter {
  constructor(workerFile, size = 2) { super(); this.size = size; this.pending = 0; this.submitted = 0; }
  run({ n, ms }) {
    const index = this.submitted++;
    const round = Math.floor(index / this.size);
    const start = Date.now() + round * ms;
    this.pending += 1;
    return new Promise((resolve) => {
      setTimeout(() => {
        resolve({ result: n * n, threadId: (index % this.size) + 1, start, end: start + ms });
        if (--this.pending === 0) { this.submitted = 0; this.emit('drain'); }
      }, (round + 1) * ms);
    });
  }
  async close() {}
}
module.exports = { WorkerPool };
