// A 10 ms timer, an immediate, and a main script that stays busy for 100 ms.
// Nothing can run while the script runs: when the loop finally starts, the timer
// is long overdue, so the first timers phase runs it before the check phase.
const start = Date.now();
setTimeout(() => console.log(`timers: the 10 ms timer ran at least 100 ms after it was set: ${Date.now() - start >= 100}`), 10);
setImmediate(() => console.log('check:  the immediate'));
while (Date.now() - start < 100) { /* busy: the loop cannot turn */ }
console.log('main:   100 ms of busy work done');
