// Checker for exercise 1. Usage: loopscope-engine check.js <learner-file>
// Prints one line per problem; exit code 0 only when everything passes.
//
// The checker does not trust numbers just because the monitor reports them: it blocks the loop
// itself, for lengths it chooses and times with its own clock, and compares every 'lag' event
// with what really happened. A monitor that invents its figures, or reports when nothing blocked,
// fails here however plausible its numbers look.
const path = require('path');

// Taken before the learner's file is loaded, so that nothing it does can change what we measure.
const nowMs = ((hrtime) => () => Number(hrtime()) / 1e6)(process.hrtime.bigint.bind(process.hrtime));
const activeResources = process.getActiveResourcesInfo.bind(process);
const realSetTimeout = setTimeout;

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

const sleep = (ms) => new Promise((r) => realSetTimeout(r, ms));
const busy = (ms) => { const end = nowMs() + ms; while (nowMs() < end) { /* block */ } };
const pendingTimers = () => activeResources().filter((r) => r === 'Timeout').length;

// Collects 'lag' events with the checker's own time of arrival.
function watch(monitor) {
  const events = [];
  monitor.on('lag', (e) => events.push({ e, at: nowMs() }));
  return events;
}
const describe = (e) => (e && typeof e.lagMs === 'number' ? `lagMs ${e.lagMs.toFixed(0)}` : JSON.stringify(e));

(async () => {
  const baseline = pendingTimers();

  // 1) An idle loop must produce no event. The interval (300 ms) is longer than the threshold
  //    (150 ms, generous for a busy machine): a monitor that reports the whole delay instead of
  //    delay minus interval sees "300 ms late" on every probe here.
  const quiet = lagMonitor({ intervalMs: 300, thresholdMs: 150 });
  const quietEvents = watch(quiet);
  await sleep(1000);
  quiet.stop();
  // Counted at once: a timer left behind by stop() would fire (and vanish) within one interval.
  const leftAfterQuietStop = pendingTimers() - baseline;
  if (quietEvents.length > 0) {
    problems.push(`'lag' was emitted ${quietEvents.length} time(s) while the loop was idle (intervalMs 300, thresholdMs 150; ` +
      `first: ${describe(quietEvents[0].e)}): lag is how much LATER than intervalMs the timer fired, so subtract intervalMs`);
  }

  // 2) Two blocks of different lengths, timed by the checker. A probe falls due during each block
  //    (50 ms probes), so each must be reported, with a lag that matches that block: at least
  //    half of it (a probe is due within 50 ms of the block's start) and not far above it (the
  //    machine may be busy, hence the wide upper margin).
  const intervalMs = 50;
  const mon = lagMonitor({ intervalMs, thresholdMs: 100 });
  const events = watch(mon);
  const blocks = [];
  for (const length of [200, 500]) {
    await sleep(150);
    const start = nowMs();
    busy(length);
    blocks.push({ length, start, end: nowMs() });
    await sleep(300);
  }
  mon.stop();
  const leftAfterStop = pendingTimers() - baseline;

  const malformed = events.find(({ e }) => !e || typeof e.lagMs !== 'number' || typeof e.actualMs !== 'number' || typeof e.expectedMs !== 'number');
  if (malformed) {
    problems.push(`the 'lag' event must carry { expectedMs, actualMs, lagMs } as numbers; got ${JSON.stringify(malformed.e)}`);
  } else {
    const inconsistent = events.find(({ e }) => e.expectedMs !== intervalMs || Math.abs(e.actualMs - e.expectedMs - e.lagMs) > 1);
    if (inconsistent) {
      const e = inconsistent.e;
      problems.push(`an event says expectedMs ${e.expectedMs}, actualMs ${e.actualMs.toFixed(1)}, lagMs ${e.lagMs.toFixed(1)}: ` +
        `expectedMs must be intervalMs (${intervalMs}) and lagMs must be actualMs - expectedMs`);
    }
    for (const block of blocks) {
      // Events caused by this block arrive after it ends and before the next probe round settles.
      const caused = events.filter(({ at }) => at >= block.end && at < block.end + 400);
      if (caused.length === 0) {
        problems.push(`no 'lag' event after a ${block.length} ms synchronous busy loop (intervalMs 50, thresholdMs 100)`);
        continue;
      }
      const worst = Math.max(...caused.map(({ e }) => e.lagMs));
      if (worst < block.length / 2) {
        problems.push(`after a ${block.length} ms block the largest reported lag was ${worst.toFixed(0)} ms; ` +
          `a probe due during the block is late by at least ${block.length / 2} ms: measure the real delay of the timer you scheduled`);
      } else if (worst > block.length * 2 + 200) {
        problems.push(`after a ${block.length} ms block 'lag' reported ${worst.toFixed(0)} ms, far more than the block: ` +
          'check your units (hrtime.bigint() is in nanoseconds)');
      }
    }
    const below = events.find(({ e }) => e.lagMs <= 100);
    if (below) problems.push(`'lag' reported lagMs ${below.e.lagMs.toFixed(1)}, but only lags above thresholdMs (100) should be reported`);
    // A busy machine can stall the loop now and then on its own, so one or two stray events are
    // forgiven; a monitor that reports on a schedule of its own is not.
    const unexplained = events.filter(({ at }) => !blocks.some((b) => at >= b.end && at < b.end + 400));
    if (unexplained.length > 2) {
      problems.push(`${unexplained.length} 'lag' event(s) arrived when the loop had not been blocked ` +
        `(first: ${describe(unexplained[0].e)}): emit 'lag' only for a timer that really fired late`);
    }
  }

  // 3) stop() must leave no timer behind.
  if (leftAfterQuietStop > 0 || leftAfterStop > 0) {
    problems.push('after stop() a timer is still pending: stop() must clear the scheduled timeout (clearTimeout), not just set a flag');
  }

  for (const p of problems) console.log(p);
  if (problems.length === 0) console.log('all checks passed: the monitor measured both blocks, stayed quiet when idle and stopped cleanly');
  process.exit(problems.length === 0 ? 0 : 1);
})().catch((e) => { console.log(`your code threw: ${e && e.message}`); process.exit(1); });
