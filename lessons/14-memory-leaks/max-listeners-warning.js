// Node's built-in leak detector: more than 10 listeners for one event on one
// emitter prints a MaxListenersExceededWarning (on stderr, once).
const { EventEmitter } = require('events');
const e = new EventEmitter();
process.on('warning', (w) => console.log(`warning: ${w.name} (${e.listenerCount('data')} listeners)`));
for (let i = 0; i < 11; i++) e.on('data', () => {});
