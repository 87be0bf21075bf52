// The same as lesson 7's starved-read.js, run with --threadpool-size 8
// (see bigger-pool.options). Four hashes take four of eight slots; the
// readFile's jobs find free slots at once. Watch slots #5-#8.
const crypto = require('crypto');
const fs = require('fs');
let hashesDone = 0;
for (let i = 0; i < 4; i++) {
  crypto.pbkdf2('secret', 'salt', 150000, 64, 'sha512', () => { hashesDone += 1; });
}
fs.readFile(__filename, () => {
  console.log(`pool size: ${process.env.UV_THREADPOOL_SIZE}`);
  console.log(`readFile finished after ${hashesDone} of the hashes`);
});
