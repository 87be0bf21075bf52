// The manual pattern: pause the producer when write() says false,
// resume on 'drain'. Watch the readable gauge stop filling while paused.
const { Readable, Writable } = require('stream');
let produced = 0;
const source = new Readable({
  highWaterMark: 1024,
  read() { produced += 1; this.push(produced <= 20 ? Buffer.alloc(1024, 'x') : null); },
});
const sink = new Writable({
  highWaterMark: 4096,
  write(chunk, enc, done) { setImmediate(done); }, // a consumer slower than the producer
});
let pauses = 0;
let maxBuffered = 0;
source.on('data', (chunk) => {
  if (!sink.write(chunk)) {
    pauses += 1;
    source.pause();
    sink.once('drain', () => source.resume());
  }
  maxBuffered = Math.max(maxBuffered, sink.writableLength);
});
source.on('end', () => sink.end());
sink.on('finish', () => {
  console.log(`20 KiB copied, producer paused ${pauses} times`);
  console.log(`sink buffer never exceeded ${maxBuffered} bytes (highWaterMark 4096)`);
});
