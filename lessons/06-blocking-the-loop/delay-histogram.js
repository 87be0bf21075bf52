// perf_hooks.monitorEventLoopDelay samples how late the loop is (a libuv timer
// every `resolution` ms). One 150 ms block shows up as the maximum delay.
const { monitorEventLoopDelay } = require('perf_hooks');
const h = monitorEventLoopDelay({ resolution: 10 });
h.enable();
setTimeout(() => {
  const end = Date.now() + 150;
  while (Date.now() < end) { /* blocks the loop for 150 ms */ }
}, 50);
setTimeout(() => {
  h.disable();
  const maxMs = h.max / 1e6;
  console.log(`event loop delay: max ${maxMs.toFixed(0)} ms`);
  console.log(`blocked for at least 100 ms: ${maxMs >= 100}`);
}, 400);
