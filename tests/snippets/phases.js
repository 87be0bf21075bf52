// One callback of each kind, to check the phase each one runs in.
const fs = require('fs');
const net = require('net');
setTimeout(function onTimer() {}, 1);
setImmediate(function onImmediate() {});
fs.stat(__filename, function onStat() {});
const server = net.createServer((socket) => socket.end());
server.listen(0, '127.0.0.1', function onListening() {
  const client = net.connect(server.address().port, '127.0.0.1');
  client.on('close', function onSocketClose() {
    server.close();
  });
  client.resume();
});
