// Q8 proof: the inspector that --inspect opens can be opened from inside too.
// (1) open it on 127.0.0.1 with a random port, (2) use the same DevTools
// protocol in-process to record a CPU profile and find the hot function.
const inspector = require('inspector');

inspector.open(0, '127.0.0.1', false);        // what --inspect=127.0.0.1:0 does at start-up
console.log(`inspector listening: ${/^ws:\/\/127\.0\.0\.1:\d+\/[0-9a-f-]{36}$/.test(inspector.url())}`);

function slowReport() { let s = 0; for (let i = 0; i < 3e7; i++) s += Math.sqrt(i); return s; }
function fastHealth() { return 'ok'; }

const session = new inspector.Session();
session.connect();
session.post('Profiler.enable', () => session.post('Profiler.start', () => {
  const end = Date.now() + 200;
  while (Date.now() < end) { slowReport(); fastHealth(); }
  session.post('Profiler.stop', (err, { profile }) => {
    const self = new Map();                     // samples per function name = self time
    const byId = new Map(profile.nodes.map((n) => [n.id, n]));
    for (const id of profile.samples) {
      const name = byId.get(id).callFrame.functionName || '(anonymous)';
      self.set(name, (self.get(name) || 0) + 1);
    }
    const top = [...self.entries()].sort((a, b) => b[1] - a[1])[0][0];
    console.log(`hottest function in the CPU profile: ${top}`);
    session.disconnect();
    inspector.close();                           // never leave a debug port open
    console.log(`inspector closed: ${inspector.url() === undefined}`);
  });
}));
