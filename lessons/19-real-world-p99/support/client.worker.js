// The load generator runs in its own thread (its own event loop), so it keeps
// sending requests on time even while the server's loop is blocked: one
// /export, then 8 /health requests 20 ms apart.
const http = require('http');
const { workerData, parentPort } = require('worker_threads');
const get = (path) => new Promise((resolve) => {
  const t = process.hrtime.bigint();
  http.get({ host: '127.0.0.1', port: workerData.port, path, agent: false }, (res) => {
    let bytes = 0;
    res.on('data', (c) => { bytes += c.length; });
    res.on('end', () => resolve({ ms: Number(process.hrtime.bigint() - t) / 1e6, bytes }));
  });
});
(async () => {
  const exportDone = get('/api/reports/export');
  const health = [];
  for (let i = 0; i < 8; i++) {
    await new Promise((r) => setTimeout(r, 20));
    health.push(get('/health'));
  }
  const [exp, ...h] = await Promise.all([exportDone, ...health]);
  parentPort.postMessage({ exportBytes: exp.bytes, healthMs: h.map((x) => x.ms) });
})();
