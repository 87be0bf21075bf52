// The same 40 million additions, once in one go, once in 40 slices that
// yield with setImmediate. A 5 ms heartbeat counts how often it got to run.
// Watch the timers lane: silent during the block, regular between slices.
let beats = 0;
const heart = setInterval(() => { beats += 1; }, 5);

function work(n) { let s = 0; for (let i = 0; i < n; i++) s += i; return s; }

setTimeout(() => {
  beats = 0;
  work(40e6);                      // one block
  const blocked = beats;
  beats = 0;
  let slices = 0;
  (function slice() {
    work(1e6);
    if (++slices < 40) return setImmediate(slice);
    console.log(`heartbeats during the single block: ${blocked}`);
    console.log(`heartbeats while slicing: more than 0? ${beats > 0}`);
    clearInterval(heart);
  })();
}, 20);
