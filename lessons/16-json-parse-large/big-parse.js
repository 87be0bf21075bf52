// JSON.parse is synchronous: 13 MB of JSON is one long callback.
// Watch: a single Timeout callback bar hundreds of milliseconds long (the snippet
// prints how long), GCs inside it, and the 5 ms heartbeat timer waiting behind it.
const rows = Array.from({ length: 200000 }, (_, i) => ({ id: i, name: `user${i}`, tags: ['a', 'b'], score: i * 0.5 }));
const text = JSON.stringify(rows);
console.log(`payload: ${(text.length / 1e6).toFixed(1)} MB of JSON`);

setTimeout(() => {
  const scheduled = Date.now();
  setTimeout(() => {
    const late = Date.now() - scheduled;
    console.log(`heartbeat due after 5 ms ran after ${late} ms (the parse took ${parseMs} ms)`);
    console.log(`the heartbeat waited for the whole parse: ${late >= parseMs}`);
  }, 5);
  const t = Date.now();
  const data = JSON.parse(text); // the loop is stuck here
  var parseMs = Date.now() - t;
  console.log(`parsed ${data.length} records`);
}, 1);
