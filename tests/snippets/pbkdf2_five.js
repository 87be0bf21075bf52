// Five pbkdf2 jobs: with 4 pool threads the fifth waits for a free slot.
const crypto = require('crypto');
for (let i = 1; i <= 5; i++) {
  crypto.pbkdf2('password', 'salt', 150000, 64, 'sha512', function done() {
    console.log('hash', i);
  });
}
