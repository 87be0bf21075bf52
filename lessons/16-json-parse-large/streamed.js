// The alternative: newline-delimited JSON, one small JSON.parse per record,
// read from a file stream. Each 64 KiB chunk arrives in its own poll-phase
// callback, so between chunks the loop turns (timers, the lag monitor, other
// requests). Watch many short fs read callbacks, one per iteration.
const fs = require('fs');
const os = require('os');
const path = require('path');
const readline = require('readline');
const { monitorEventLoopDelay } = require('perf_hooks');

const records = Array.from({ length: 200000 }, (_, i) => ({ id: i, name: `user${i}`, tags: ['a', 'b'], score: i * 0.5 }));
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'loopscope-ndjson-'));
const file = path.join(dir, 'records.ndjson');
fs.writeFileSync(file, records.map((r) => JSON.stringify(r)).join('\n') + '\n');

const h = monitorEventLoopDelay({ resolution: 5 });
h.enable();
let count = 0;
const rl = readline.createInterface({ input: fs.createReadStream(file), crlfDelay: Infinity });
rl.on('line', (line) => { JSON.parse(line); count += 1; });
rl.on('close', () => {
  h.disable();
  fs.rmSync(dir, { recursive: true });
  const worstStreamedMs = h.max / 1e6;
  // For comparison, in the same run: the same records as one JSON document, parsed in one call,
  // which blocks the loop for the whole parse. Comparing within one run holds on a busy machine.
  const doc = JSON.stringify(records);
  const t = process.hrtime.bigint();
  JSON.parse(doc);
  const oneBlockMs = Number(process.hrtime.bigint() - t) / 1e6;
  console.log(`parsed ${count} records, one line at a time`);
  console.log(`the lag monitor took samples while streaming: ${h.count > 0}`);
  console.log(`worst event-loop delay while streaming was less than half of one whole-document parse: ${worstStreamedMs < oneBlockMs / 2}`);
});
