// Same two jobs, but this snippet runs with --threadpool-size 1 (see one-slot.options).
// One slot means first come, first served: the quick job waits in the backlog
// until the slow one leaves slot #1.
const crypto = require('crypto');
crypto.pbkdf2('pw', 'salt', 300000, 32, 'sha512', () => console.log('slow job (submitted first) done'));
crypto.pbkdf2('pw', 'salt', 1, 32, 'sha512', () => console.log('quick job (submitted second) done'));
