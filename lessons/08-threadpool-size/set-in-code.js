// libuv creates the pool lazily, on the FIRST job. Setting the variable in the
// program works only if nothing used the pool before this line (no fs/dns/crypto
// call yet). Watch: only slot #1 ever appears in the pool lane.
process.env.UV_THREADPOOL_SIZE = '1';
const crypto = require('crypto');
crypto.pbkdf2('pw', 'salt', 300000, 32, 'sha512', () => console.log('slow job (submitted first) done'));
crypto.pbkdf2('pw', 'salt', 1, 32, 'sha512', () => console.log('quick job (submitted second) done'));
