// A slow writable (each write takes 10 ms) with a 16-byte highWaterMark.
// Watch the stream gauge: write() returns false once 16 bytes are buffered;
// 'drain' fires when the buffer is empty again.
const { Writable } = require('stream');
const slow = new Writable({
  highWaterMark: 16,
  write(chunk, enc, done) { setTimeout(done, 10); }, // pretend: a slow disk
});
for (let i = 1; i <= 5; i++) {
  const ok = slow.write('12345678'); // 8 bytes
  console.log(`write #${i}: returned ${ok}, buffered ${slow.writableLength} bytes`);
}
slow.once('drain', () => console.log(`drain: buffered ${slow.writableLength} bytes, safe to write again`));
