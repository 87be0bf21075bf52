// Exercise 1 — reference solution.
const { EventEmitter } = require('events');

function lagMonitor({ intervalMs = 500, thresholdMs = 100 } = {}) {
  const monitor = new EventEmitter();
  let timer = null;

  function probe() {
    const scheduledAt = process.hrtime.bigint();
    timer = setTimeout(() => {
      const actualMs = Number(process.hrtime.bigint() - scheduledAt) / 1e6;
      const lagMs = actualMs - intervalMs;
      if (lagMs > thresholdMs) monitor.emit('lag', { expectedMs: intervalMs, actualMs, lagMs });
      probe(); // measure the next window (a chain of timeouts, not setInterval: no overlap)
    }, intervalMs);
    timer.unref(); // a monitor must not keep the process alive on its own
  }
  probe();

  monitor.stop = () => { clearTimeout(timer); timer = null; };
  return monitor;
}

module.exports = { lagMonitor };
