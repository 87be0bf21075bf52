// Five password hashes, four pool slots. Watch the thread-pool lane:
// jobs 1-4 take slots #1-#4 at once, job 5 waits in the backlog until a slot frees.
//
// Job 5 is a quick hash (a thousandth of the work), so with a free slot it would
// call back within milliseconds, long before the others. It cannot: a pool thread
// queues a finished job's callback BEFORE it picks up the next job from the
// backlog, so job 5 calls back only after one of jobs 1-4 has. (Run it with
// `--threadpool-size 5` and job 5 calls back first.)
const crypto = require('crypto');
const start = Date.now();
const done = [];
for (let job = 1; job <= 5; job++) {
  const iterations = job === 5 ? 150 : 150000;
  crypto.pbkdf2('secret', 'salt', iterations, 64, 'sha512', () => {
    done.push({ job, ms: Date.now() - start });
    if (done.length === 5) report();
  });
}
function report() {
  const fifthAt = done.findIndex((d) => d.job === 5);
  console.log(`quick job 5 called back after at least one long job (it waited for a slot): ${fifthAt >= 1}`);
  console.log(`callback times (ms): ${done.map((d) => `#${d.job}=${d.ms}`).join(' ')}`);
}
