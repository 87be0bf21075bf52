// A timer due in 10 ms, then 200 ms of synchronous work in the main script.
// Watch: the main-script bar is 200 ms long, iteration 1 starts only after it,
// and the timer fires ~190 ms late. Nothing can interrupt running JavaScript.
const start = Date.now();
setTimeout(() => {
  console.log(`timers: asked for 10 ms, got ${Date.now() - start} ms`);
}, 10);
while (Date.now() - start < 200) { /* busy: e.g. a big sort, a regex, a sync hash */ }
console.log('main: 200 ms of work done');
