// Everything scheduled from inside one I/O callback (poll phase).
// Watch the gates after the callback returns: nextTick queue, then microtasks,
// then the loop moves on: check (same iteration), close, timers (next iteration).
const fs = require('fs');
fs.readFile(__filename, () => {
  console.log('poll: readFile callback starts');
  setTimeout(() => console.log('timers: setTimeout 0'), 0);
  setImmediate(() => console.log('check: setImmediate'));
  Promise.resolve().then(() => console.log('microtask: promise .then'));
  process.nextTick(() => console.log('nextTick: runs before the promise'));
  console.log('poll: readFile callback ends');
});
