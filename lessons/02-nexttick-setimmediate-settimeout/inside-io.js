// Inside an I/O callback we are in the poll phase. The loop goes on to
// check (immediates) before it wraps around to timers -> always the same order.
const fs = require('fs');
fs.readFile(__filename, () => {
  setTimeout(() => console.log('timeout   (timers, next iteration)'), 0);
  setImmediate(() => console.log('immediate (check, this iteration)'));
});
