// Checker for exercise 4. Usage: loopscope-engine check.js <learner-file>
// Simulates traffic with long, distinct ids, 100 requests in flight at a time and
// an 'update' event per batch;
// looks at listeners, cache size, and heap growth after full GCs.
const path = require('path');
const v8 = require('v8');
const problems = [];
const file = process.argv[2];
if (!file) { console.log('usage: check.js <your-file.js>'); process.exit(2); }
let createService;
try {
  ({ createService } = require(path.resolve(file)));
} catch (e) {
  console.log(`your file could not be loaded: ${e.message}`);
  process.exit(1);
}
if (typeof createService !== 'function') {
  console.log('your file must export createService: module.exports = { createService }');
  process.exit(1);
}
v8.setFlagsFromString('--expose-gc');
const gc = require('vm').runInNewContext('gc');

const db = { fetch: (id) => new Promise((r) => setImmediate(() => r(Buffer.alloc(16, id.length % 256)))) };
const svc = createService(db);
const { handle, emitter, cache } = svc;
if (typeof handle !== 'function' || !emitter || !cache) {
  console.log('createService(db) must return { handle, emitter, cache } as in the starter');
  process.exit(1);
}

// 100 requests in flight legitimately means 100 listeners; allow that many without a warning
emitter.setMaxListeners(150);

let seq = 0;
// ~2 KB per id, as a flat string (Buffer round trip) so every id really costs 2 KB
const longId = () => Buffer.from(`customer-${seq++}-${'x'.repeat(2000)}`).toString();

// 100 requests in flight at once (the database answers on the next loop turn),
// one 'update' while they wait: every in-flight id receives it.
async function round(n) {
  for (let b = 0; b < n; b += 100) {
    const batch = [];
    for (let i = 0; i < 100; i++) batch.push(handle(longId()));
    emitter.emit('update', Buffer.alloc(8));
    for (const res of await Promise.all(batch)) {
      if (!res || res.size !== 16) throw new Error(`handle() must resolve with { size } of the fetched data (got ${JSON.stringify(res)})`);
    }
  }
  await new Promise((r) => setImmediate(r));
  gc();
  return process.memoryUsage().heapUsed;
}

(async () => {
  await round(1000);
  const h1 = await round(1000);
  await round(1000);
  const h3 = await round(1000);
  const growthMb = (h3 - h1) / 1048576;

  // the service must still work as a cache: an update for an in-flight request is used next time
  const id = 'known-id';
  const slowDb = db.fetch;
  db.fetch = () => new Promise((r) => setTimeout(() => r(Buffer.alloc(16)), 20));
  const inflight = handle(id);
  emitter.emit('update', Buffer.alloc(5));
  await inflight;
  db.fetch = slowDb;
  const again = await handle(id);

  const listeners = emitter.listenerCount('update');
  if (listeners > 5) problems.push(`after 4000 finished requests the emitter still has ${listeners} 'update' listeners (leak 1: remove the handler when the request is done)`);
  if (cache.size > 1000) problems.push(`the cache holds ${cache.size} entries after 4000 distinct ids (leak 2: the cache needs eviction, e.g. an LRU)`);
  if (growthMb > 2) problems.push(`heapUsed after full GCs grew by ${growthMb.toFixed(1)} MB over 2000 requests: memory is still leaking`);
  if (again.size !== 5) problems.push('an update received while a request was in flight was not used by the next request for that id (keep the cache working)');

  for (const p of problems) console.log(p);
  if (problems.length === 0) console.log(`all checks passed: ${listeners} listeners, ${cache.size} cache entries, heap growth ${growthMb.toFixed(2)} MB`);
  process.exit(problems.length === 0 ? 0 : 1);
})().catch((e) => { console.log(`your code failed: ${e && e.message}`); process.exit(1); });
