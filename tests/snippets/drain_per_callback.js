// Since Node 11, nextTick and microtask queues drain after every timer callback, not only
// between phases.
setTimeout(function first() {
  console.log('timeout 1');
  process.nextTick(function tickAfterFirst() { console.log('tick 1'); });
  Promise.resolve().then(function promiseAfterFirst() { console.log('promise 1'); });
}, 0);
setTimeout(function second() {
  console.log('timeout 2');
  process.nextTick(function tickAfterSecond() { console.log('tick 2'); });
}, 0);
setImmediate(function immediateOne() {
  console.log('immediate 1');
  Promise.resolve().then(function promiseAfterImmediate() { console.log('promise 2'); });
});
setImmediate(function immediateTwo() { console.log('immediate 2'); });
