// Starts the load-generator thread against `server` and prints the verdict.
const path = require('path');
const { Worker } = require('worker_threads');
module.exports = function runLoad(server, done) {
  const client = new Worker(path.join(__dirname, 'client.worker.js'), { workerData: { port: server.address().port } });
  client.once('message', ({ exportBytes, healthMs }) => {
    server.close();
    console.log(`export: ${exportBytes > 1e6 ? 'more than 1 MB' : exportBytes} of CSV`);
    console.log(`slowest /health took more than 100 ms: ${Math.max(...healthMs) > 100}`);
    console.log(`/health latencies (ms): ${healthMs.map((m) => m.toFixed(0)).join(' ')}`);
    if (done) done();
  });
};
