// Pattern 2: a cache without eviction grows with every new key, forever.
// A tiny LRU (Map keeps insertion order) bounds it.
class Lru {
  constructor(max) { this.max = max; this.map = new Map(); }
  get(k) { const v = this.map.get(k); if (v !== undefined) { this.map.delete(k); this.map.set(k, v); } return v; }
  set(k, v) {
    this.map.delete(k);
    this.map.set(k, v);
    if (this.map.size > this.max) this.map.delete(this.map.keys().next().value); // oldest
  }
}
const unbounded = new Map();
const lru = new Lru(100);
for (let i = 0; i < 10000; i++) {
  const key = `/reports/${i}`;               // every request a new key
  unbounded.set(key, Buffer.alloc(1024));
  lru.set(key, Buffer.alloc(1024));
}
console.log(`unbounded cache: ${unbounded.size} entries (~${unbounded.size} KiB and counting)`);
console.log(`LRU cache: ${lru.map.size} entries, oldest key now ${lru.map.keys().next().value}`);
