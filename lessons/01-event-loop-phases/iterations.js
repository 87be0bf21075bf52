// A timer chain: each setTimeout is scheduled from inside a timer callback,
// so each one needs a new loop iteration. Watch the iteration counter climb
// and the poll phase block for ~10 ms each time (its timeout = next timer).
let n = 0;
function tick() {
  n += 1;
  console.log(`timers: tick ${n}`);
  if (n < 3) setTimeout(tick, 10);
  else setImmediate(() => console.log('check: done, no handles left -> loop exits'));
}
setTimeout(tick, 10);
process.on('exit', () => console.log('exit: the loop had nothing left to wait for'));
