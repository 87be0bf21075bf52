// Why it matters: the same loop reading .x, compiled twice so each copy has its
// own inline cache: one copy only ever sees ONE shape (monomorphic), the other
// sees EIGHT shapes (megamorphic: a generic, slower lookup for every access).
const body = 'let s = 0; for (let r = 0; r < 300; r++) for (const o of objs) s += o.x; return s;';
const sumOne = new Function('objs', body);
const sumMany = new Function('objs', body);
const one = Array.from({ length: 8000 }, (_, i) => ({ x: i, y: i }));
const many = Array.from({ length: 8000 }, (_, i) => {
  const o = {}; o['k' + (i % 8)] = 0; o.x = i; return o; // 8 different hidden classes
});
function time(fn, objs) { const t = process.hrtime.bigint(); fn(objs); return Number(process.hrtime.bigint() - t) / 1e6; }
time(sumOne, one); time(sumMany, many); // warm up: let both reach TurboFan
// The best of five runs each, taken in turns, so that a busy machine slowing one run down
// does not decide the comparison.
let tOne = Infinity, tMany = Infinity;
for (let round = 0; round < 5; round++) {
  tOne = Math.min(tOne, time(sumOne, one));
  tMany = Math.min(tMany, time(sumMany, many));
}
console.log(`same sums: ${sumOne(one) === sumMany(many)}`);
// The ratio is measured, not promised: it depends on the CPU (about 4-5x on the machine these
// lessons were written on). Only "clearly slower" is checked.
const ratio = tMany / tOne;
console.log(`8 shapes at least 1.5x slower than 1 shape: ${ratio > 1.5}`);
console.log(`measured: 1 shape ${tOne.toFixed(1)} ms, 8 shapes ${tMany.toFixed(1)} ms, ratio ${ratio.toFixed(1)}x`);
