// What does a closure keep alive? Not "its whole scope": V8 puts into the shared
// scope object (the context) only the variables that SOME function created in
// that scope refers to. A variable no inner function mentions dies with the call.
// But one inner function naming a big object keeps it alive for ALL of them.
const v8 = require('v8');
v8.setFlagsFromString('--expose-gc');
const gc = require('vm').runInNewContext('gc');
const heapAfterGc = () => { gc(); return process.memoryUsage().heapUsed; };
const kept = [];

function onlySmallIsNamed() {
  const big = Array.from({ length: 50000 }, (_, i) => ({ i })); // ~2 MiB
  const small = big.length;
  return () => small; // names only `small`: `big` can be collected
}
function aSiblingNamesBig() {
  const big = Array.from({ length: 50000 }, (_, i) => ({ i }));
  const small = big.length;
  const neverCalled = () => big.length; // names `big`, so `big` goes into the shared context
  return () => small;                   // ...and this closure keeps that context alive
}

let before = heapAfterGc();
for (let i = 0; i < 20; i++) kept.push(onlySmallIsNamed());
console.log(`20 closures naming only 'small': heap grew by more than 10 MiB: ${heapAfterGc() - before > 10 * 2 ** 20}`);
before = heapAfterGc();
for (let i = 0; i < 20; i++) kept.push(aSiblingNamesBig());
console.log(`20 closures whose sibling names 'big': heap grew by more than 10 MiB: ${heapAfterGc() - before > 10 * 2 ** 20}`);
