// A writable with a small highWaterMark and a slow sink: write() returns false, then 'drain'.
const { Writable } = require('stream');
const slow = new Writable({
  highWaterMark: 16,
  write(chunk, encoding, callback) { setTimeout(callback, 1); },
});
let i = 0;
function writeMore() {
  while (i < 20) {
    i++;
    if (!slow.write('0123456789')) {
      slow.once('drain', writeMore);
      return;
    }
  }
  slow.end();
}
slow.on('finish', () => console.log('finished after', i, 'writes'));
writeMore();
