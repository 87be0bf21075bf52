// Exercise 4 — reference solution.
// Leak 1: a listener was added per request and never removed -> remove it when
//         the request is done (finally), so the emitter does not retain every id.
// Leak 2: the cache had no eviction -> a small LRU bounded to MAX_ENTRIES.
const { EventEmitter } = require('events');
const MAX_ENTRIES = 100;

function createService(db) {
  const cache = new Map();          // Map keeps insertion order: first key = least recently used
  const emitter = new EventEmitter();

  function remember(id, value) {
    cache.delete(id);
    cache.set(id, value);
    if (cache.size > MAX_ENTRIES) cache.delete(cache.keys().next().value);
  }

  async function handle(id) {
    const handler = (update) => remember(id, update);
    emitter.on('update', handler);
    try {
      const cached = cache.get(id);
      if (cached !== undefined) remember(id, cached); // mark as recently used
      const result = cached ?? await db.fetch(id);
      return { size: result.length };
    } finally {
      emitter.removeListener('update', handler);     // the request is over
    }
  }

  return { handle, emitter, cache };
}

module.exports = { createService };
