// Loopscope's demo: which callback runs first, and in which phase of the event loop?
const fs = require('fs');
const crypto = require('crypto');

console.log('1. main script starts');

setTimeout(function fromTimer() {
  console.log('timers phase: setTimeout(0)');
}, 0);

setImmediate(function fromImmediate() {
  console.log('check phase: setImmediate');
});

process.nextTick(function fromNextTick() {
  console.log('2. nextTick queue: runs right after the main script');
});

Promise.resolve().then(function fromPromise() {
  console.log('3. microtask queue: promise reaction, after nextTick');
});

fs.readFile(__filename, function afterRead() {
  console.log('poll phase: the file was read on the thread pool');
  setTimeout(function timerFromIo() {
    console.log('timers phase, next iteration: setTimeout inside I/O');
  }, 0);
  setImmediate(function immediateFromIo() {
    console.log('check phase, same iteration: setImmediate inside I/O wins');
  });
});

crypto.pbkdf2('secret', 'salt', 20000, 32, 'sha256', function afterHash() {
  console.log('poll phase: pbkdf2 finished on a thread-pool slot');
});

console.log('1. main script ends');
