// Pattern 1: a listener added per request and never removed.
// Each listener's closure keeps its request's data alive. Watch old_space
// grow in the heap panel, with major GCs unable to shrink it.
const { EventEmitter } = require('events');
const v8 = require('v8');
v8.setFlagsFromString('--expose-gc');
const gc = require('vm').runInNewContext('gc');
const updates = new EventEmitter();
updates.setMaxListeners(0); // silence the warning that would have told us (see the text)

function handleRequest(id, cleanUp) {
  const session = { id, scratch: new Array(2000).fill(id) }; // ~16 KB per request
  const onUpdate = () => session.scratch.length;
  updates.on('update', onUpdate);
  if (cleanUp) updates.removeListener('update', onUpdate); // the request is over: detach
}

function heapAfter(cleanUp) {
  for (let i = 0; i < 2000; i++) handleRequest(i, cleanUp);
  gc();
  return process.memoryUsage().heapUsed;
}
const base = (gc(), process.memoryUsage().heapUsed);
const leaky = heapAfter(false);
console.log(`leaky: ${updates.listenerCount('update')} listeners left, heap grew > 20 MB: ${leaky - base > 20e6}`);
updates.removeAllListeners('update');
gc();
const base2 = process.memoryUsage().heapUsed;
const fixed = heapAfter(true);
console.log(`fixed: ${updates.listenerCount('update')} listeners left, heap grew > 20 MB: ${fixed - base2 > 20e6}`);
