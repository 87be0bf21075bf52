// Buffers are bytes outside the V8 heap (they count as "external" memory).
const buf = Buffer.from('Hello, World!', 'utf8');
console.log(buf.length, 'bytes');
console.log('hex:    ', buf.toString('hex'));
console.log('base64: ', buf.toString('base64'));
console.log('utf8:   ', buf.toString('utf8'));
console.log('bytes:  ', Buffer.from([0x48, 0x65, 0x6c, 0x6c, 0x6f]).toString());
console.log('é is', Buffer.byteLength('é'), 'bytes but', 'é'.length, 'character');
const token = Buffer.from('secret data').toString('base64');
console.log('round trip:', token, '->', Buffer.from(token, 'base64').toString('utf8'));
