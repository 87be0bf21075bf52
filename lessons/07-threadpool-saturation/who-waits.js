// Who waits when four long hashes fill the pool? A timer does not use the pool;
// fs.stat does. Watch the pool lane: fs.stat sits in the backlog until the first
// hash leaves its slot, while the timers phase runs the 20 ms timer on time.
const crypto = require('crypto');
const fs = require('fs');
let hashesDone = 0;
for (let i = 0; i < 4; i++) {
  crypto.pbkdf2('secret', 'salt', 150000, 64, 'sha512', () => {
    hashesDone += 1;
    if (hashesDone === 1) console.log('poll:   the first hash called back');
  });
}
fs.stat(__filename, () => console.log(`poll:   fs.stat called back, hashes done: ${hashesDone >= 1 ? 'at least one' : 'none'}`));
setTimeout(() => console.log(`timers: 20 ms timer ran, hashes done: ${hashesDone}`), 20);
