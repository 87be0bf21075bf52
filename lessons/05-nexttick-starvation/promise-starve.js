// The same starvation with promises: each .then queues the next microtask,
// and V8 drains the microtask queue to the end before returning to Node.
let n = 0;
setTimeout(() => console.log(`timers: timeout ran after ${n} microtasks`), 0);
function again() {
  n += 1;
  if (n < 100000) return Promise.resolve().then(again);
}
again();
