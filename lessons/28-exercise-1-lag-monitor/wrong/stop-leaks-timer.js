// WRONG on purpose (the checker must reject it): measures correctly, but stop() only sets a flag,
// so the next probe stays scheduled (a timer left pending after stop()).
const { EventEmitter } = require('events');
function lagMonitor({ intervalMs = 500, thresholdMs = 100 } = {}) {
  const monitor = new EventEmitter();
  let stopped = false;
  const probe = () => {
    const scheduled = process.hrtime.bigint();
    setTimeout(() => {
      if (stopped) return;
      const actualMs = Number(process.hrtime.bigint() - scheduled) / 1e6;
      const lagMs = actualMs - intervalMs;
      if (lagMs > thresholdMs) monitor.emit('lag', { expectedMs: intervalMs, actualMs, lagMs });
      probe();
    }, intervalMs);
  };
  probe();
  monitor.stop = () => { stopped = true; };
  return monitor;
}
module.exports = { lagMonitor };
