// Make the race deterministic: keep the main script busy for 5 ms after
// scheduling. The timer's 1 ms is long past when the loop starts, so the
// first timers phase (before check) runs it.
setTimeout(() => console.log('timeout   (was already due at the first timers phase)'), 0);
setImmediate(() => console.log('immediate (check comes after timers)'));
const end = Date.now() + 5;
while (Date.now() < end) { /* busy */ }
