// For contrast: the same computation on the main thread. The heartbeat cannot
// run until fib() returns. Watch one long callback and an empty timers lane.
function fib(n) { return n <= 1 ? n : fib(n - 1) + fib(n - 2); }
let beats = 0;
const heart = setInterval(() => { beats += 1; }, 10);
setTimeout(() => {
  beats = 0;  // count only the beats that come while fib() runs (a busy machine may tick once before)
  const a = fib(35);
  const b = fib(36);
  console.log(`fib(35) = ${a}, fib(36) = ${b}`);
  console.log(`heartbeats during the computation: ${beats}`);
  clearInterval(heart);
}, 1);
