const { parentPort } = require('worker_threads');
const buildCsv = require('./csv.js');
parentPort.on('message', (rows) => parentPort.postMessage(buildCsv(rows)));
