// The pool is full of hashes, but a TCP round trip on 127.0.0.1 is unaffected:
// sockets are watched by epoll in the poll phase, no pool slot involved.
// dns.lookup, on the other hand, is a pool job and has to wait.
const crypto = require('crypto');
const net = require('net');
const dns = require('dns');
let hashesDone = 0;
for (let i = 0; i < 4; i++) {
  crypto.pbkdf2('secret', 'salt', 150000, 64, 'sha512', () => { hashesDone += 1; });
}
const server = net.createServer((c) => c.pipe(c)); // echo
server.listen(0, '127.0.0.1', () => {
  const client = net.connect(server.address().port, '127.0.0.1', () => client.write('ping'));
  client.on('data', (d) => {
    console.log(`tcp echo "${d}" came back after ${hashesDone} hashes`);
    client.end();
    server.close();
  });
});
dns.lookup('localhost', () => console.log(`dns.lookup answered after ${hashesDone >= 1 ? 'at least one' : 'none'} of the hashes`));
