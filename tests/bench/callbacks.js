// Callback-heavy work for the benchmark: 100k iterations, each an immediate, a nextTick and a
// promise reaction (about 300k callbacks in all).
const iterations = Number(process.argv[2] || 100000);
let n = 0;
let sum = 0;
function step() {
  if (++n > iterations) {
    console.log('done', sum);
    return;
  }
  process.nextTick(() => { sum += 1; });
  Promise.resolve(n).then((v) => { sum += v & 1; });
  setImmediate(step);
}
setImmediate(step);
