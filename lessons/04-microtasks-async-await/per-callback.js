// Two timers due in the same timers phase, two immediates in the same check phase.
// Since Node 11 the nextTick and microtask gates open after EACH callback,
// not once at the end of the phase. Watch the gates between Timeout #1 and #2.
for (const n of [1, 2]) {
  setTimeout(() => {
    console.log(`timers: timeout ${n}`);
    process.nextTick(() => console.log(`  nextTick from timeout ${n}`));
    Promise.resolve().then(() => console.log(`  promise from timeout ${n}`));
  }, 5);
}
setTimeout(() => {
  for (const n of [1, 2]) {
    setImmediate(() => {
      console.log(`check: immediate ${n}`);
      Promise.resolve().then(() => console.log(`  promise from immediate ${n}`));
    });
  }
}, 20);
