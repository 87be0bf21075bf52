// The seed's first ordering: synchronous code, then nextTick, then promise reactions.
console.log('sync 1');
setTimeout(function timeout() { console.log('timeout'); }, 0);
setImmediate(function immediate() { console.log('immediate'); });
Promise.resolve().then(function promise() { console.log('promise'); });
process.nextTick(function tick() { console.log('nextTick'); });
console.log('sync 2');
