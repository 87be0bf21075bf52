// Starts the load-generator thread against `server` and prints the verdict.
// The verdict compares the slowest /health with how long the CSV took to build, both measured in
// the same run: on a busy machine both grow, but a /health that queued behind a blocking build
// takes about as long as the build, and one that did not wait takes a small fraction of it.
// `csvMs()` returns the build time the server measured.
const path = require('path');
const { Worker } = require('worker_threads');
module.exports = function runLoad(server, csvMs, done) {
  const client = new Worker(path.join(__dirname, 'client.worker.js'), { workerData: { port: server.address().port } });
  client.once('message', ({ exportBytes, healthMs }) => {
    server.close();
    const slowest = Math.max(...healthMs);
    console.log(`export: ${exportBytes > 1e6 ? 'more than 1 MB' : exportBytes} of CSV`);
    console.log(`slowest /health vs building the CSV: ${slowest < csvMs() / 2 ? 'less than half as long' : 'at least half as long'}`);
    console.log(`CSV built in ${csvMs().toFixed(0)} ms; /health latencies (ms): ${healthMs.map((m) => m.toFixed(0)).join(' ')}`);
    if (done) done();
  });
};
