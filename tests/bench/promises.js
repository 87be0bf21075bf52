// Promise-only work for the benchmark: no timers and no I/O, so every recorded event comes from
// promises. 100k reactions on one chain of `.then`s, then 100k `await`s in an async function.
const count = Number(process.argv[2] || 100000);
async function awaitEach(n) {
  let sum = 0;
  for (let i = 0; i < n; ++i) sum += await i;
  return sum;
}
let chain = Promise.resolve(0);
for (let i = 0; i < count; ++i) chain = chain.then((v) => v + 1);
chain
  .then((chained) => awaitEach(count).then((awaited) => console.log('done', chained, awaited)))
  .catch((error) => {
    console.error(error);
    process.exitCode = 1;
  });
