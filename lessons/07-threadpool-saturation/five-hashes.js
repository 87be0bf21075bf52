// Five password hashes, four pool slots. Watch the thread-pool lane:
// jobs 1-4 take slots #1-#4 at once, job 5 waits in the backlog until a slot frees.
const crypto = require('crypto');
const start = Date.now();
const done = [];
for (let job = 1; job <= 5; job++) {
  crypto.pbkdf2('secret', 'salt', 150000, 64, 'sha512', () => {
    done.push({ job, ms: Date.now() - start });
    if (done.length === 5) report();
  });
}
function report() {
  const fifth = done.find((d) => d.job === 5);
  const others = done.filter((d) => d.job !== 5);
  console.log(`job 5 finished last: ${done[4].job === 5}`);
  console.log(`job 5 waited for a slot: ${fifth.ms > Math.max(...others.map((d) => d.ms))}`);
  console.log(`finish times (ms): ${done.map((d) => `#${d.job}=${d.ms}`).join(' ')}`);
}
