// Buffer.alloc zero-fills. Buffer.allocUnsafe hands out memory as it is, and
// small allocUnsafe buffers are carved out of one shared 8 KiB pool.
const safe = Buffer.alloc(16);
console.log('alloc zero-filled:', safe.every((b) => b === 0));
const a = Buffer.allocUnsafe(16);
const b = Buffer.allocUnsafe(16);
console.log('pool size:', Buffer.poolSize);
console.log('two small allocUnsafe buffers share one ArrayBuffer:', a.buffer === b.buffer);
console.log('Buffer.alloc uses its own:', safe.buffer !== a.buffer);
// What allocUnsafe may contain is whatever the memory held before: fill it before use.
a.fill(0);
console.log('filled:', a.every((x) => x === 0));
const before = process.memoryUsage();
const big = Buffer.alloc(50 * 1024 * 1024);
const after = process.memoryUsage();
console.log(`50 MiB buffer: external grew by ~${Math.round((after.external - before.external) / 1048576)} MiB, heapUsed by less than 1 MiB: ${after.heapUsed - before.heapUsed < 1048576}`);
big[0] = 1;
