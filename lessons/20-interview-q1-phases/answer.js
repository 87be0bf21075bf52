// Q1 proof: one callback per phase, in one iteration, each followed by its
// own nextTick and promise (they drain after EVERY callback, not per phase).
const net = require('net');
const tick = (label) => {
  process.nextTick(() => console.log(`   nextTick after ${label}`));
  Promise.resolve().then(() => console.log(`   microtask after ${label}`));
};
const server = net.createServer((c) => c.end());
server.listen(0, '127.0.0.1', () => {
  const sock = net.connect(server.address().port, '127.0.0.1', () => {
    console.log('4 poll: socket connected'); tick('poll');
    setTimeout(() => { console.log('1 timers: timeout (next iteration)'); tick('timers'); }, 0);
    setImmediate(() => { console.log('5 check: immediate'); tick('check'); });
    sock.destroy();
  });
  sock.on('close', () => { console.log('6 close: socket closed'); tick('close'); server.close(); });
});
