// The incident: a report export builds its CSV synchronously on the
// loop thread. Watch the poll phase: one long http callback, and the /health
// connections piling up behind it until it returns.
const http = require('http');
const buildCsv = require('./support/csv.js');
const runLoad = require('./support/run-load.js');

let csvMs = 0;
const server = http.createServer((req, res) => {
  if (req.url === '/api/reports/export') {
    const started = process.hrtime.bigint();
    const csv = buildCsv(300000);                  // hundreds of ms, loop blocked
    csvMs = Number(process.hrtime.bigint() - started) / 1e6;
    res.setHeader('Content-Type', 'text/csv');
    return res.end(csv);
  }
  res.end('ok');                                    // /health: microseconds of work
});
server.listen(0, '127.0.0.1', () => runLoad(server, () => csvMs));
