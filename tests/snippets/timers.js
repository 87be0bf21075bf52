// Timers scheduled, one cleared, an interval that repeats twice, an immediate cleared.
const cleared = setTimeout(function neverRuns() { console.log('never'); }, 50);
setTimeout(function runsOnce() { console.log('once'); }, 5);
let n = 0;
const interval = setInterval(function repeats() {
  console.log('tick', ++n);
  if (n === 2) clearInterval(interval);
}, 2);
const immediate = setImmediate(function alsoNever() { console.log('never'); });
clearImmediate(immediate);
clearTimeout(cleared);
