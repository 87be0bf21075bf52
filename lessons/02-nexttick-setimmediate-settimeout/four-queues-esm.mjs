// The same five lines as four-queues.js, but this file is an ES module (.mjs).
// Watch: the module body runs inside a promise job, so V8 drains the microtask
// queue (the .then) before Node gets back control to run its nextTick queue.
// And the body runs in the poll phase (the loader read the file with promise-based
// fs calls), so check comes before timers: no race here.
setTimeout(() => console.log('1: setTimeout      (timers phase)'), 0);
setImmediate(() => console.log('2: setImmediate    (check phase)'));
Promise.resolve().then(() => console.log('3: Promise .then   (microtask queue)'));
process.nextTick(() => console.log('4: nextTick        (nextTick queue)'));
console.log('5: synchronous     (main script)');
