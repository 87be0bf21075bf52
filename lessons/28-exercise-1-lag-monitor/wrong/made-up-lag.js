// WRONG on purpose (the checker must reject it): notices that a probe was late, but reports a
// made-up lag of 200 ms instead of measuring it.
const { EventEmitter } = require('events');
function lagMonitor({ intervalMs = 500, thresholdMs = 100 } = {}) {
  const monitor = new EventEmitter();
  let timer = null;
  const probe = () => {
    const scheduled = Date.now();
    timer = setTimeout(() => {
      if (Date.now() - scheduled > intervalMs + thresholdMs) {
        monitor.emit('lag', { expectedMs: intervalMs, actualMs: intervalMs + 200, lagMs: 200 });
      }
      probe();
    }, intervalMs);
  };
  probe();
  monitor.stop = () => clearTimeout(timer);
  return monitor;
}
module.exports = { lagMonitor };
