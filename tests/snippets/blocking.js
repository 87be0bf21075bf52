// A 120 ms busy loop inside a timer blocks everything else; a nextTick chain starves the loop.
setTimeout(function busyTimer() {
  const end = Date.now() + 120;
  while (Date.now() < end) {}
}, 1);
let ticks = 0;
setImmediate(function startChain() {
  process.nextTick(function recurse() {
    if (++ticks < 20000) process.nextTick(recurse);
  });
});
