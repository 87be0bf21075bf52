// The alternative: newline-delimited JSON, one small JSON.parse per record,
// read from a stream. The work is split into many short callbacks, so the
// loop (and the lag monitor) keeps running. Watch many short data callbacks.
const { Readable } = require('stream');
const readline = require('readline');
const { monitorEventLoopDelay } = require('perf_hooks');

function* lines() {
  for (let i = 0; i < 200000; i++) yield JSON.stringify({ id: i, name: `user${i}`, tags: ['a', 'b'], score: i * 0.5 }) + '\n';
}
const h = monitorEventLoopDelay({ resolution: 5 });
h.enable();
let count = 0;
const rl = readline.createInterface({ input: Readable.from(lines()) });
rl.on('line', (line) => { JSON.parse(line); count += 1; });
rl.on('close', () => {
  h.disable();
  console.log(`parsed ${count} records, one line at a time`);
  console.log(`worst event-loop delay under 100 ms: ${h.max / 1e6 < 100}`);
});
