// Node 18 (libuv 1.44, what the app shows) runs the timers phase at the START of
// each iteration; Node 20+ (libuv >= 1.45) runs timers once before the loop, then
// at the END of each iteration, after poll, check and close.
// The printed order is the same on both. What differs is only the iteration a
// timer belongs to: here the 50 ms timer waits in a long poll, and then
//   Node 18:  poll (waits ~50 ms) -> check -> close -> next iteration: timers
//   Node 20+: poll (waits ~50 ms) -> check -> close -> timers, same iteration.
// Try it: `node newer-node.js` with a Node 20 or newer prints the same lines.
const fs = require('fs');
setImmediate(() => {
  console.log('check:  first immediate');
  setTimeout(() => {
    console.log('timers: 50 ms timer');
    setImmediate(() => {
      console.log('check:  immediate scheduled by the timer');
      fs.stat(__filename, () => {
        console.log('poll:   fs.stat callback');
        setTimeout(() => console.log('timers: 0 ms timer from the I/O callback'), 0);
        setImmediate(() => console.log('check:  immediate from the I/O callback'));
      });
    });
  }, 50);
  setImmediate(() => console.log('check:  second immediate (next iteration)'));
});
