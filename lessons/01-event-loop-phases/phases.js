// One callback in each phase that JavaScript can reach. Watch the loop wheel:
// the labels say which phase the app should highlight when each line prints.
const net = require('net');

const server = net.createServer((conn) => conn.end());
server.listen(0, '127.0.0.1', () => {
  // 'listening' is emitted from the nextTick queue, before the loop's first iteration
  const client = net.connect(server.address().port, '127.0.0.1');
  client.on('connect', () => {
    console.log('poll: connected (an I/O callback)');
    setTimeout(() => console.log('timers: setTimeout 0 (next iteration)'), 0);
    setImmediate(() => console.log('check: setImmediate (this iteration)'));
    client.destroy(); // uv_close(): its callback waits for the close phase
  });
  client.on('close', () => {
    console.log('close: socket closed');
    server.close(); // nothing left open: the loop ends after this
  });
});
console.log('main: the script runs before the loop starts');
