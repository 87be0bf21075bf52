// Q5 proof: 4 MiB from a fast source into a slow sink, once with pipeline()
// (backpressure honoured) and once writing blindly (signal ignored).
// Watch the sink's gauge: pinned near its highWaterMark vs. climbing to 4 MiB.
const { Readable, Writable, pipeline } = require('stream');
const CHUNK = 64 * 1024, CHUNKS = 64;

const source = () => {
  let n = 0;
  return new Readable({ highWaterMark: CHUNK, read() { this.push(++n <= CHUNKS ? Buffer.alloc(CHUNK) : null); } });
};
const slowSink = (stats) => new Writable({
  highWaterMark: 16 * 1024,
  write(chunk, enc, done) {
    stats.max = Math.max(stats.max, this.writableLength);
    setImmediate(done); // one chunk per loop iteration
  },
});

const a = { max: 0 };
pipeline(source(), slowSink(a), () => {
  console.log(`pipeline: sink never held more than ${a.max / 1024} KiB (one chunk)`);

  const b = { max: 0 };
  const sink = slowSink(b);
  let falses = 0;
  for (let i = 0; i < CHUNKS; i++) if (!sink.write(Buffer.alloc(CHUNK))) falses += 1; // ignores false
  console.log(`blind writes: write() said false ${falses} times, ${sink.writableLength / 1048576} MiB now buffered in memory`);
  sink.end();
});
