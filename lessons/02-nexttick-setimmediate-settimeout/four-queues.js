// The classic interview question: four ways to defer, plus synchronous code.
// Watch: main script -> nextTick gate -> microtask gate -> timers? check? (a race!)
setTimeout(() => console.log('1: setTimeout      (timers phase)'), 0);
setImmediate(() => console.log('2: setImmediate    (check phase)'));
Promise.resolve().then(() => console.log('3: Promise .then   (microtask queue)'));
process.nextTick(() => console.log('4: nextTick        (nextTick queue)'));
console.log('5: synchronous     (main script)');
