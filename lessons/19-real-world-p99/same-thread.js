// The classic load-testing mistake: the load generator runs in the SAME thread as
// the server. While the export blocks the loop, the client's own timers and sends
// are blocked too, so its /health requests go out only after the export is done,
// and are answered at once. The client's numbers look fine; the server was frozen.
const http = require('http');
const buildCsv = require('./support/csv.js');

let csvMs = 0;
let onExportArrived = () => {};
const server = http.createServer((req, res) => {
  if (req.url === '/api/reports/export') {
    onExportArrived(); // tells the client to start its /health checks, 20 ms apart...
    const started = process.hrtime.bigint();
    const csv = buildCsv(300000); // the loop is blocked here, client included
    csvMs = Number(process.hrtime.bigint() - started) / 1e6;
    return res.end(csv);
  }
  res.end('ok');
});
const get = (port, path) => new Promise((resolve) => {
  const t = process.hrtime.bigint();
  http.get({ host: '127.0.0.1', port, path, agent: false }, (res) => {
    res.resume();
    res.on('end', () => resolve(Number(process.hrtime.bigint() - t) / 1e6));
  });
});
server.listen(0, '127.0.0.1', async () => {
  const { port } = server.address();
  const arrived = new Promise((resolve) => { onExportArrived = resolve; });
  const exportDone = get(port, '/api/reports/export');
  await arrived;
  const health = [];
  for (let i = 0; i < 8; i++) {
    await new Promise((r) => setTimeout(r, 20)); // ...but none of the client's code runs before the build ends
    health.push(get(port, '/health'));
  }
  const [, ...healthMs] = await Promise.all([exportDone, ...health]);
  server.close();
  const slowest = Math.max(...healthMs);
  console.log(`the server's loop was blocked by the CSV build: ${csvMs > 0}`);
  console.log(`slowest /health as this same-thread client measured it vs building the CSV: ${slowest < csvMs / 2 ? 'less than half as long' : 'at least half as long'}`);
});
