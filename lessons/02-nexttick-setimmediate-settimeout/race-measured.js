// Why this engine prints 'timeout' first at top level. setTimeout(fn, 0) is due
// 1 ms after the loop clock reading taken when it is called; the first timers
// phase reads the clock again. Measure how much time passes in between.
// (Nothing is printed before the loop starts: the first console.log is slow.)
const scheduledAt = process.hrtime.bigint();
let firstToRun = null;
let loopReachedAt = null;
const reached = (who) => {
  if (firstToRun !== null) return;
  firstToRun = who;
  loopReachedAt = process.hrtime.bigint();
};
setTimeout(() => reached('timeout'), 0);
setImmediate(() => reached('immediate'));
process.on('exit', () => {
  const gapMs = Number(loopReachedAt - scheduledAt) / 1e6;
  console.log(`ran first: ${firstToRun}`);
  console.log(`at least 1 ms passed between setTimeout() and the loop's first callback: ${gapMs >= 1}`);
  console.log(`measured: ${gapMs.toFixed(2)} ms`);
});
