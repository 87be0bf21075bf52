// Q3 proof: the full ordering, at top level and inside an I/O callback.
const fs = require('fs');
setTimeout(() => {
  console.log('top: setTimeout 0   (timers - races with check)');
  readInside(); // start the I/O part only now, so the two halves never mix
}, 0);
setImmediate(() => console.log('top: setImmediate   (check - races with timers)'));
Promise.resolve().then(() => console.log('top: promise        (microtask queue)'));
process.nextTick(() => console.log('top: nextTick       (nextTick queue)'));
console.log('top: synchronous');

const readInside = () => fs.readFile(__filename, () => {   // poll phase
  setTimeout(() => console.log('io:  setTimeout 0   (timers, next iteration)'), 0);
  setImmediate(() => console.log('io:  setImmediate   (check, same iteration)'));
  Promise.resolve().then(() => console.log('io:  promise'));
  process.nextTick(() => console.log('io:  nextTick'));
  console.log('io:  synchronous part of the callback');
});
