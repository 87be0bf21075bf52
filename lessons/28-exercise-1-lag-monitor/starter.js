// Exercise 1 — event-loop lag monitor.
// Implement lagMonitor(): every `intervalMs` it measures how late a timer fires
// and emits 'lag' when the timer was late by more than `thresholdMs`.
// Check your work:  loopscope-engine check.js starter.js
const { EventEmitter } = require('events');

function lagMonitor({ intervalMs = 500, thresholdMs = 100 } = {}) {
  const monitor = new EventEmitter();

  // TODO: record process.hrtime.bigint(), schedule a timer, and in its callback
  //       compare the actual delay with the expected one.
  // TODO: emit 'lag' with { expectedMs, actualMs, lagMs } when lagMs > thresholdMs.
  // TODO: keep measuring every intervalMs until stop() is called.

  monitor.stop = () => {
    // TODO: clear whatever timer is pending
  };
  return monitor;
}

module.exports = { lagMonitor };
