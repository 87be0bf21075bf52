// There is always a heap limit. V8 picks a default from the machine's memory (about
// 4 GiB on a 64-bit machine with plenty of RAM); --max-old-space-size only moves it.
// A leak ends in "JavaScript heap out of memory" when it reaches the limit, whichever
// it is. The child here gets a 32 MiB limit so that it gets there in a moment.
const { fork } = require('child_process');
const path = require('path');
const v8 = require('v8');
const os = require('os');

const ownLimitMiB = v8.getHeapStatistics().heap_size_limit / 2 ** 20;
// The exact default depends on the machine, so only a lower bound is printed.
console.log(`without any flag this process has a heap limit of at least 256 MiB: ${ownLimitMiB >= 256}`);

const child = fork(path.join(__dirname, 'support', 'leak-until-limit.js'), {
  execArgv: ['--max-old-space-size=32'],
  silent: true, // capture the child's stdout and stderr
  cwd: os.tmpdir(), // an aborting process may leave a core file in its working folder: not in the lessons
});
let out = '';
let err = '';
child.stdout.on('data', (d) => { out += d; });
child.stderr.on('data', (d) => { err += d; });
child.on('exit', (code, signal) => {
  console.log(`child's heap limit with --max-old-space-size=32 is below 100 MiB: ${Number(out) < 100}`);
  console.log(`the leaking child ended with ${signal ?? `exit code ${code}`}`);
  console.log(`its last words mention "JavaScript heap out of memory": ${err.includes('JavaScript heap out of memory')}`);
  console.log('the parent carries on');
});
