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
// The retainer path, read from the second snapshot: walk back from one LeakySession along the
// edges that point at it (DevTools' Retainers panel does the same) until the EventEmitter.
function retainerPath(file, fromName, toName) {
  const snap = JSON.parse(fs.readFileSync(file, 'utf8'));
  const { node_fields: nf, edge_fields: ef, node_types: nt, edge_types: et } = snap.snapshot.meta;
  const N = nf.length, E = ef.length;
  const nName = nf.indexOf('name'), nEdges = nf.indexOf('edge_count'), nType = nf.indexOf('type');
  const eType = ef.indexOf('type'), eName = ef.indexOf('name_or_index'), eTo = ef.indexOf('to_node');
  const edgeTypes = et[eType], nodeTypes = nt[nType];
  const retainers = new Map(); // node offset -> [{ from, label }]
  for (let node = 0, edge = 0; node < snap.nodes.length; node += N) {
    for (let k = 0; k < snap.nodes[node + nEdges]; k++, edge += E) {
      const type = edgeTypes[snap.edges[edge + eType]];
      if (type === 'weak' || type === 'shortcut') continue;
      const raw = snap.edges[edge + eName];
      // Which element of the listener array differs from run to run; the path does not.
      const label = type === 'element' || type === 'hidden' ? '[i]' : `.${snap.strings[raw]}`;
      const to = snap.edges[edge + eTo];
      if (!retainers.has(to)) retainers.set(to, []);
      retainers.get(to).push({ from: node, label });
    }
  }
  const nameOf = (node) => snap.strings[snap.nodes[node + nName]];
  let start = -1;
  for (let node = 0; node < snap.nodes.length && start < 0; node += N) {
    if (nodeTypes[snap.nodes[node + nType]] === 'object' && nameOf(node) === fromName) start = node;
  }
  // Breadth-first towards the emitter: the shortest chain of "who holds this?".
  const cameFrom = new Map([[start, null]]);
  const queue = [start];
  while (queue.length) {
    const node = queue.shift();
    if (nameOf(node) === toName) {
      const steps = [];
      for (let at = node; cameFrom.get(at); at = cameFrom.get(at).to) steps.push(cameFrom.get(at).label);
      return `${toName}${steps.join('')} -> ${fromName}`;
    }
    for (const { from, label } of retainers.get(node) || []) {
      if (!cameFrom.has(from)) { cameFrom.set(from, { to: node, label }); queue.push(from); }
    }
  }
  return 'no path found';
}

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'loopscope-q7-'));
const before = v8.writeHeapSnapshot(path.join(dir, 'before.heapsnapshot'));
for (let i = 0; i < 500; i++) handleRequest(10000 + i);
const after = v8.writeHeapSnapshot(path.join(dir, 'after.heapsnapshot'));
console.log(`LeakySession objects: +${countByName(after, 'LeakySession') - countByName(before, 'LeakySession')} between the snapshots`);
console.log(`retainer path in the snapshot: ${retainerPath(after, 'LeakySession', 'EventEmitter')}`);
console.log(`listeners on 'tick': ${bus.listenerCount('tick')}`);
fs.rmSync(dir, { recursive: true });
