// WRONG on purpose (the checker must reject it): reports the timer's whole delay as the lag,
// forgetting to subtract intervalMs, so an idle loop with a long interval looks "late".
const { EventEmitter } = require('events');
function lagMonitor({ intervalMs = 500, thresholdMs = 100 } = {}) {
  const monitor = new EventEmitter();
  let timer = null;
  const probe = () => {
    const scheduled = process.hrtime.bigint();
    timer = setTimeout(() => {
      const actualMs = Number(process.hrtime.bigint() - scheduled) / 1e6;
      const lagMs = actualMs; // the bug: should be actualMs - intervalMs
      if (lagMs > thresholdMs) monitor.emit('lag', { expectedMs: intervalMs, actualMs, lagMs });
      probe();
    }, intervalMs);
  };
  probe();
  monitor.stop = () => clearTimeout(timer);
  return monitor;
}
module.exports = { lagMonitor };
