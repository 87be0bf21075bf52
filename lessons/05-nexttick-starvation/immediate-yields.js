// The fix: setImmediate. An immediate scheduled from the check phase runs in
// the NEXT iteration, so every iteration passes timers and poll again.
// Watch: check, timers, poll, check... the timer gets its turn early.
const LIMIT = 5000;
let rounds = 0;
let timerRanAt = -1;
function again() {
  rounds += 1;
  if (rounds === 1) setTimeout(() => { timerRanAt = rounds; }, 0);
  if (rounds < LIMIT) setImmediate(again);
  else console.log(`check: ${rounds} immediates done; the timeout ran in the middle: ${timerRanAt >= 1 && timerRanAt < LIMIT}`);
}
setImmediate(again);
