// Checker for exercise 1. Usage: loopscope-engine check.js <learner-file>
// Prints one line per problem; exit code 0 only when everything passes.
const path = require('path');
const problems = [];
const file = process.argv[2];
if (!file) { console.log('usage: check.js <your-file.js>'); process.exit(2); }

let lagMonitor;
try {
  ({ lagMonitor } = require(path.resolve(file)));
} catch (e) {
  console.log(`your file could not be loaded: ${e.message}`);
  process.exit(1);
}
if (typeof lagMonitor !== 'function') {
  console.log('your file must export a function named lagMonitor: module.exports = { lagMonitor }');
  process.exit(1);
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const busy = (ms) => { const end = Date.now() + ms; while (Date.now() < end) { /* block */ } };
const timers = () => process.getActiveResourcesInfo().filter((r) => r === 'Timeout').length;

(async () => {
  const baseline = timers();
  // 1) a quiet loop must not report lag (generous threshold against a busy machine)
  const quiet = lagMonitor({ intervalMs: 50, thresholdMs: 150 });
  const quietEvents = [];
  quiet.on('lag', (e) => quietEvents.push(e));
  await sleep(450);
  quiet.stop();
  if (quietEvents.length > 0) problems.push(`'lag' was emitted ${quietEvents.length} time(s) while the loop was idle`);

  // 2) a 200 ms busy loop must be reported (the exercise's test). The probe interval
  //    (50 ms) is shorter than the block, so some probe is due inside it wherever it falls.
  const mon = lagMonitor({ intervalMs: 50, thresholdMs: 100 });
  const events = [];
  mon.on('lag', (e) => events.push(e));
  await sleep(120);
  busy(200);
  await sleep(300);
  mon.stop();
  if (events.length === 0) {
    problems.push("no 'lag' event during a 200 ms synchronous busy loop (intervalMs 50, thresholdMs 100)");
  } else {
    const e = events[0];
    if (!e || typeof e.lagMs !== 'number' || typeof e.actualMs !== 'number' || typeof e.expectedMs !== 'number') {
      problems.push("the 'lag' event must carry { expectedMs, actualMs, lagMs } as numbers");
    } else if (e.lagMs < 100) {
      problems.push(`'lag' reported lagMs ${e.lagMs.toFixed(1)}, but only lags above thresholdMs (100) should be reported`);
    } else if (e.lagMs > 2000) {
      problems.push(`lagMs ${e.lagMs.toFixed(1)} is far more than the 200 ms block: check your units (hrtime is in nanoseconds)`);
    }
  }
  // 3) stop() must leave no timer behind
  await sleep(20);
  if (timers() > baseline) problems.push('after stop() a timer is still pending: stop() must clear the scheduled timeout');

  for (const p of problems) console.log(p);
  if (problems.length === 0) console.log('all checks passed: the monitor saw the 200 ms block and stopped cleanly');
  process.exit(problems.length === 0 ? 0 : 1);
})().catch((e) => { console.log(`your code threw: ${e && e.message}`); process.exit(1); });
