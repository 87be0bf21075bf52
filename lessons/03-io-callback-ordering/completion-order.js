// Two thread-pool jobs: a slow one submitted FIRST, a quick one second.
// With 4 pool slots both start at once (watch slots #1 and #2); callbacks run
// in the poll phase in the order the jobs FINISH, not the order they were asked.
const crypto = require('crypto');
crypto.pbkdf2('pw', 'salt', 300000, 32, 'sha512', () => console.log('slow job (submitted first) done'));
crypto.pbkdf2('pw', 'salt', 1, 32, 'sha512', () => console.log('quick job (submitted second) done'));
