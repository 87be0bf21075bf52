// Four long crypto jobs fill the four slots. Then a tiny fs.readFile arrives.
// Its open/fstat/read/close jobs queue BEHIND the hashes: the loop is idle
// (poll blocks), yet the read takes as long as a hash. Watch the backlog.
const crypto = require('crypto');
const fs = require('fs');
let hashesDone = 0;
const start = Date.now();
for (let i = 0; i < 4; i++) {
  crypto.pbkdf2('secret', 'salt', 150000, 64, 'sha512', () => { hashesDone += 1; });
}
fs.readFile(__filename, () => {
  console.log(`readFile finished after ${hashesDone >= 1 ? 'at least one' : 'none'} of the hashes`);
  console.log(`readFile took ${Date.now() - start} ms`);
});
