// Q2 proof: with ONE pool thread (answer.options) busy hashing, everything that
// needs the pool waits behind the hash; timers and TCP do not. Watch slot #1.
const crypto = require('crypto');
const fs = require('fs');
const dns = require('dns');
const zlib = require('zlib');
const net = require('net');
const order = [];
const log = (what) => { order.push(what); console.log(`${order.length}. ${what}`); };

crypto.pbkdf2('pw', 'salt', 200000, 64, 'sha512', () => log('crypto.pbkdf2 (pool) finished first: it held the only slot'));
fs.stat(__filename, () => log('fs.stat (pool) had to wait for the hash'));
dns.lookup('localhost', () => log('dns.lookup (pool) had to wait'));
zlib.gzip('some text', () => log('zlib.gzip (pool) had to wait'));
setTimeout(() => log('setTimeout (no pool) ran on time'), 5);
const server = net.createServer((c) => c.end('pong'));
server.listen(0, '127.0.0.1', () => {
  net.connect(server.address().port, '127.0.0.1').on('data', () => {
    log('TCP round trip (no pool) did not wait');
    server.close();
  });
});
