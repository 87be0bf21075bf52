// A nextTick that schedules itself again. The loop cannot leave the nextTick
// gate until the queue is empty, so the due timer and the file read (whose
// finished first step, fs.open, needs a poll phase to go on) both wait. Watch: one enormous nextTick drain before iteration 1.
const fs = require('fs');
const LIMIT = 100000; // a real bug has no limit: the process would hang forever
let ticks = 0;

setTimeout(() => console.log(`timers: 0 ms timeout ran after ${ticks} nextTicks`), 0);
fs.readFile(__filename, () => console.log(`poll: readFile callback ran after ${ticks} nextTicks`));

function again() {
  ticks += 1;
  if (ticks < LIMIT) process.nextTick(again);
}
process.nextTick(again);
