// Hidden classes, a growing cache between two heap snapshots, and listeners never removed.
const { EventEmitter } = require('events');
class CacheEntry { constructor(id) { this.id = id; this.value = 'v' + id; } }
const a = { x: 1, y: 2 }, b = { x: 3, y: 4 }, c = { y: 5, x: 6 };
console.log(loopscope.sameShape(a, b, 'same order'), loopscope.sameShape(a, c, 'other order'));
const bus = new EventEmitter();
for (let i = 0; i < 5; i++) bus.on('tick', () => {});
loopscope.heapSnapshot('before');
const cache = [];
for (let i = 0; i < 5000; i++) cache.push(new CacheEntry(i));
loopscope.heapSnapshot('after');
console.log(cache.length);
