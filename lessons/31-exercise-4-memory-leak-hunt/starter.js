// Exercise 4 — memory leak hunt. This is a typical Express handler without
// Express: handle(id) plays the role of `app.get('/process/:id', ...)`.
// It has (at least) two leaks. Find and fix them.
// Check your work:  loopscope-engine check.js starter.js
const { EventEmitter } = require('events');

function createService(db) {
  const cache = new Map();          // id -> latest update (Buffer)
  const emitter = new EventEmitter();

  async function handle(id) {
    const handler = (update) => {
      cache.set(id, update);
    };
    emitter.on('update', handler);
    const result = cache.get(id) ?? await db.fetch(id);
    return { size: result.length };
  }

  return { handle, emitter, cache };
}

module.exports = { createService };
