// Checker for exercise 3. Usage: loopscope-engine check.js <learner-file>
// Generates a 100 MB NDJSON file in os.tmpdir(), streams it through the
// learner's transform and samples heapUsed; removes the file at the end.
const fs = require('fs');
const os = require('os');
const path = require('path');
const { pipeline, Readable, Writable } = require('stream');
const problems = [];
const file = process.argv[2];
if (!file) { console.log('usage: check.js <your-file.js>'); process.exit(2); }
let NdjsonTransform;
try {
  ({ NdjsonTransform } = require(path.resolve(file)));
} catch (e) {
  console.log(`your file could not be loaded: ${e.message}`);
  process.exit(1);
}
if (typeof NdjsonTransform !== 'function') {
  console.log('your file must export a class named NdjsonTransform: module.exports = { NdjsonTransform }');
  process.exit(1);
}

function collect(chunks) {
  return new Promise((resolve) => {
    const out = [];
    let t;
    try { t = new NdjsonTransform(); } catch (e) { return resolve({ out, err: e }); }
    pipeline(Readable.from(chunks), t,
      new Writable({ objectMode: true, write(o, e, done) { out.push(o); done(); } }),
      (err) => resolve({ out, err }));
  });
}

const MB = 1024 * 1024;
async function makeBigFile(target) {
  const record = (i) => JSON.stringify({ id: i, user: `user-${i}`, tags: ['alpha', 'beta'], score: i % 1000, note: 'x'.repeat(40) }) + '\n';
  const out = fs.createWriteStream(target);
  let bytes = 0, i = 0;
  await new Promise((resolve, reject) => {
    out.on('error', reject);
    (function write() {
      while (bytes < 100 * MB) {
        let batch = '';
        for (let k = 0; k < 500; k++) batch += record(i++);
        bytes += batch.length;
        if (!out.write(batch)) return out.once('drain', write);
      }
      out.end(resolve);
    })();
  });
  return i;
}

(async () => {
  // 1) lines split across chunks, and a last line without newline
  const a = await collect(['{"a":1}\n{"b"', ':2}\n{"c"', ':3}']);
  if (a.err) problems.push(`split lines: unexpected error "${a.err.message}"`);
  else if (JSON.stringify(a.out) !== '[{"a":1},{"b":2},{"c":3}]') problems.push(`split lines: expected [{"a":1},{"b":2},{"c":3}], got ${JSON.stringify(a.out).slice(0, 80)}`);

  // 2) a multi-byte UTF-8 character split between two Buffer chunks
  const bytes = Buffer.from('{"name":"Zoë"}\n');
  const b = await collect([bytes.subarray(0, 12), bytes.subarray(12)]);
  if (b.err || !b.out[0] || b.out[0].name !== 'Zoë') problems.push('a UTF-8 character split across two chunks came out wrong (hint: StringDecoder)');

  // 3) malformed JSON -> 'error' that names the line
  const c = await collect(['{"ok":1}\n{"ok":2}\nnot json\n{"ok":4}\n']);
  if (!c.err) problems.push("malformed line 3 did not emit 'error'");
  else if (!/\b3\b/.test(c.err.message)) problems.push(`the error for malformed line 3 should say which line: got "${c.err.message}"`);

  // 4) records are emitted while reading, not all at the end
  const d = new NdjsonTransform();
  let early = 0;
  d.on('data', () => { early += 1; });
  d.write('{"x":1}\n{"x":2}\n');
  await new Promise((r) => setImmediate(r));
  if (early < 2) problems.push('complete lines must be pushed as soon as they arrive, not only in _flush');
  d.destroy();

  // 5) 100 MB file: heapUsed must stay under 50 MB
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'loopscope-ndjson-'));
  const big = path.join(dir, 'big.ndjson');
  try {
    const records = await makeBigFile(big);
    let count = 0, peak = 0, aborted = false;
    const sample = () => { peak = Math.max(peak, process.memoryUsage().heapUsed); };
    const source = fs.createReadStream(big);
    const t = new NdjsonTransform();
    const sink = new Writable({ objectMode: true, write(o, e, done) { if (++count % 5000 === 0) sample(); done(); } });
    const timer = setInterval(() => {
      sample();
      if (peak > 50 * MB && !aborted) { aborted = true; source.destroy(new Error('heap limit')); }
    }, 20);
    const err = await new Promise((resolve) => pipeline(source, t, sink, resolve));
    clearInterval(timer);
    sample();
    if (aborted) problems.push(`on a 100 MB file heapUsed reached ${(peak / MB).toFixed(0)} MB (limit 50 MB): the input is being kept in memory`);
    else if (err) problems.push(`the 100 MB file failed: ${err.message}`);
    else if (count !== records) problems.push(`the 100 MB file has ${records} records, your transform emitted ${count}`);
    else if (peak > 50 * MB) problems.push(`heapUsed peaked at ${(peak / MB).toFixed(0)} MB on the 100 MB file (limit 50 MB)`);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }

  for (const p of problems) console.log(p);
  if (problems.length === 0) console.log('all checks passed: split lines, UTF-8, errors with line numbers, 100 MB under 50 MB of heap');
  process.exit(problems.length === 0 ? 0 : 1);
})().catch((e) => { console.log(`your code failed: ${e && e.message}`); process.exit(1); });
