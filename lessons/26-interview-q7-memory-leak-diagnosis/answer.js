// Q7 proof: (1) heapUsed after GC keeps growing round after round;
// (2) two heap snapshots, compared by constructor name, point at the culprit.
const v8 = require('v8');
const fs = require('fs');
const os = require('os');
const path = require('path');
const { EventEmitter } = require('events');
v8.setFlagsFromString('--expose-gc');
const gc = require('vm').runInNewContext('gc');

class LeakySession { constructor(id) { this.id = id; this.buffer = new Array(1000).fill(id); } }
const bus = new EventEmitter();
bus.setMaxListeners(0);
function handleRequest(id) {
  const session = new LeakySession(id);
  bus.on('tick', () => session.id);            // never removed: the leak
}

// (1) trend of heapUsed measured right after a full GC
const samples = [];
for (let round = 0; round < 5; round++) {
  for (let i = 0; i < 300; i++) handleRequest(round * 300 + i);
  gc();
  samples.push(process.memoryUsage().heapUsed);
}
const growing = samples.every((v, i) => i === 0 || v > samples[i - 1]);
console.log(`heapUsed after GC grew in every round: ${growing}`);

// (2) snapshot, more traffic, snapshot, compare instance counts per constructor
function countByName(file, name) {
  const snap = JSON.parse(fs.readFileSync(file, 'utf8'));
  const fields = snap.snapshot.meta.node_fields;
  const nameIdx = fields.indexOf('name'), typeIdx = fields.indexOf('type');
  const objectType = snap.snapshot.meta.node_types[0].indexOf('object');
  let n = 0;
  for (let i = 0; i < snap.nodes.length; i += fields.length) {
    if (snap.nodes[i + typeIdx] === objectType && snap.strings[snap.nodes[i + nameIdx]] === name) n += 1;
  }
  return n;
}
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'loopscope-q7-'));
const before = v8.writeHeapSnapshot(path.join(dir, 'before.heapsnapshot'));
for (let i = 0; i < 500; i++) handleRequest(10000 + i);
const after = v8.writeHeapSnapshot(path.join(dir, 'after.heapsnapshot'));
console.log(`LeakySession objects: +${countByName(after, 'LeakySession') - countByName(before, 'LeakySession')} between the snapshots`);
console.log(`listeners on 'tick': ${bus.listenerCount('tick')} (the retainer path: bus -> listener closure -> session)`);
fs.rmSync(dir, { recursive: true });
