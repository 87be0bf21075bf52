// The JavaScript half of Loopscope's instrumentation. It runs inside the embedded Node before
// the user's program, with `ls` = the native probe functions (js_probes.cpp) and `require` =
// Node's builtin loader. It only observes: every hook calls straight into C++, which stamps the
// time and records the event; nothing here changes what the program does or in which order.
'use strict';

// `options.worker`: installing inside a worker_threads Worker (preloaded with --require).
function installProbes(ls, require, process, options = {}) {
  const workerThreads = require('worker_threads');
  if (options.worker) ls.workerThread(workerThreads.threadId);  // before anything is recorded
  const asyncHooks = require('async_hooks');
  // Timeout and Immediate objects keep their asyncId under a symbol private to Node's timers
  // module; a timer made (and cleared) before the hooks exist shows which symbol it is.
  const asyncIdSymbol = (() => {
    const probe = setTimeout(() => {}, 0);
    clearTimeout(probe);
    return Object.getOwnPropertySymbols(probe).find((s) => s.description === 'asyncId');
  })();

  // --- async resources: every callback the loop runs ------------------------------------------
  const typeIds = new Map();
  function typeId(type) {
    let id = typeIds.get(type);
    if (id === undefined) {
      id = ls.intern(type);
      typeIds.set(type, id);
    }
    return id;
  }
  const promiseType = typeId('PROMISE');
  let queuedMicrotaskCallback;  // set by the queueMicrotask wrapper just before its init

  function init(asyncId, type, triggerAsyncId, resource) {
    switch (type) {
      case 'Timeout':
        ls.timer(asyncId, triggerAsyncId, resource._onTimeout, resource._idleTimeout,
                 resource._repeat === null ? 0 : 1);
        return;
      case 'Immediate':
        ls.scheduled(ls.IMMEDIATE, asyncId, triggerAsyncId, resource._onImmediate);
        return;
      case 'TickObject':
        ls.scheduled(ls.TICK, asyncId, triggerAsyncId, resource.callback);
        return;
      case 'Microtask':
        ls.scheduled(ls.MICROTASK, asyncId, triggerAsyncId, queuedMicrotaskCallback);
        queuedMicrotaskCallback = undefined;
        return;
      case 'PROMISE':
        // Promises are the most numerous resources; capturing the stack for each would cost
        // more than everything else together, so their site stays unknown.
        ls.init(asyncId, triggerAsyncId, promiseType, false);
        return;
      default:
        // I/O requests and handles: the site is the user's line that asked for them.
        ls.init(asyncId, triggerAsyncId, typeId(type), true);
    }
  }

  asyncHooks.createHook({
    init,
    before: ls.before,
    after: ls.after,
    promiseResolve: ls.resolve,
  }).enable();

  const originalQueueMicrotask = globalThis.queueMicrotask;
  globalThis.queueMicrotask = function queueMicrotask(callback) {
    queuedMicrotaskCallback = callback;
    return originalQueueMicrotask(callback);
  };

  // clearTimeout & co. are recorded only when they really remove a pending callback.
  const timers = require('timers');
  function recordClear(name, kind) {
    const original = timers[name];
    const patched = {
      [name](handle) {
        if (handle !== null && typeof handle === 'object' && handle._destroyed === false &&
            handle[asyncIdSymbol] !== undefined) {
          ls.cleared(kind, handle[asyncIdSymbol]);
        }
        return original(handle);
      },
    }[name];
    timers[name] = patched;
    globalThis[name] = patched;
  }
  recordClear('clearTimeout', ls.TIMER_CLEARED);
  recordClear('clearInterval', ls.TIMER_CLEARED);
  recordClear('clearImmediate', ls.IMMEDIATE_CLEARED);

  // --- console output -------------------------------------------------------------------------
  // A Worker's stdout is forwarded to the main thread, which writes (and records) it.
  const stdio = options.worker ? [] : [[1, process.stdout], [2, process.stderr]];
  for (const [fd, stdioStream] of stdio) {
    const write = stdioStream.write;
    stdioStream.write = function write_(chunk, encoding, callback) {
      if (typeof chunk === 'string') ls.console(fd, chunk);
      else if (chunk instanceof Uint8Array) ls.console(fd, Buffer.from(chunk).toString());
      return write.apply(this, arguments);
    };
  }

  // --- streams: buffered length against highWaterMark ----------------------------------------
  const stream = require('stream');
  const WRITE = 1, WRITE_FALSE = 2, DRAIN = 3, PUSH = 4, PAUSE = 5, RESUME = 6, END = 7,
        FINISH = 8;
  const WRITABLE = 1, READABLE = 2;
  const streamId = Symbol('loopscope.streamId');
  const untracked = new Set(stdio.map(([, s]) => s));
  let nextStreamId = 1;

  function report(s, event, side) {
    if (untracked.has(s)) return;
    let id = s[streamId];
    if (id === undefined) {
      id = nextStreamId++;
      s[streamId] = id;
      ls.streamCreated(id, (s.constructor && s.constructor.name) || 'Stream');
    }
    if (side === WRITABLE) ls.stream(id, event, s.writableLength, s.writableHighWaterMark, side);
    else ls.stream(id, event, s.readableLength, s.readableHighWaterMark, side);
  }

  const originalWrite = stream.Writable.prototype.write;
  function write(chunk, encoding, callback) {
    const ok = originalWrite.apply(this, arguments);
    report(this, ok ? WRITE : WRITE_FALSE, WRITABLE);
    return ok;
  }
  stream.Writable.prototype.write = write;
  // Duplex copied Writable's methods when it was defined.
  if (stream.Duplex.prototype.write === originalWrite) stream.Duplex.prototype.write = write;

  const originalPush = stream.Readable.prototype.push;
  stream.Readable.prototype.push = function push(chunk, encoding) {
    const result = originalPush.apply(this, arguments);
    if (chunk !== null) report(this, PUSH, READABLE);
    return result;
  };

  const originalEmit = stream.Stream.prototype.emit;
  stream.Stream.prototype.emit = function emit(name) {
    switch (name) {
      case 'drain': report(this, DRAIN, WRITABLE); break;
      case 'finish': report(this, FINISH, WRITABLE); break;
      case 'pause': report(this, PAUSE, READABLE); break;
      case 'resume': report(this, RESUME, READABLE); break;
      case 'end': report(this, END, READABLE); break;
    }
    return originalEmit.apply(this, arguments);
  };

  // --- worker_threads: each Worker preloads the probe, so its loop's callbacks are recorded ----
  if (ls.workerProbe) {
    const OriginalWorker = workerThreads.Worker;
    workerThreads.Worker = class Worker extends OriginalWorker {
      constructor(filename, workerOptions = {}) {
        const execArgv = [...(workerOptions.execArgv || process.execArgv), '--require', ls.workerProbe];
        super(filename, { ...workerOptions, execArgv });
      }
    };
  }

  // postMessage between threads: to a Worker (its threadId), to the parent (0), or over a
  // MessageChannel whose other end is not known (-1).
  const jsonSize = (message) => {
    try {
      return Buffer.byteLength(JSON.stringify(message) || '');
    } catch {
      return 0;
    }
  };
  const originalWorkerPost = workerThreads.Worker.prototype.postMessage;
  workerThreads.Worker.prototype.postMessage = function postMessage(message) {
    ls.posted(this.threadId, jsonSize(message));
    return originalWorkerPost.apply(this, arguments);
  };
  const originalPortPost = workerThreads.MessagePort.prototype.postMessage;
  workerThreads.MessagePort.prototype.postMessage = function postMessage(message) {
    ls.posted(this === workerThreads.parentPort ? 0 : -1, jsonSize(message));
    return originalPortPost.apply(this, arguments);
  };

  // --- child processes: spawn, IPC messages, exit --------------------------------------------
  const { ChildProcess } = require('child_process');
  const TO_CHILD = 1, FROM_CHILD = 2;
  const messageSize = jsonSize;
  const originalSpawn = ChildProcess.prototype.spawn;
  ChildProcess.prototype.spawn = function spawn(options) {
    const result = originalSpawn.apply(this, arguments);
    const child = this;
    if (child.pid !== undefined) {
      const command = [options.file, ...(options.args || []).slice(1)].join(' ');
      ls.childSpawn(child.pid, command);
      if (typeof child.send === 'function') {
        const originalSend = child.send;
        child.send = function send(message) {
          ls.ipc(child.pid, TO_CHILD, messageSize(message));
          return originalSend.apply(this, arguments);
        };
      }
    }
    return result;
  };
  const originalChildEmit = ChildProcess.prototype.emit;
  ChildProcess.prototype.emit = function emit(name, a, b) {
    if (this.pid !== undefined) {
      if (name === 'exit') ls.childExit(this.pid, a === null ? -1 : a, b || '');
      else if (name === 'message') ls.ipc(this.pid, FROM_CHILD, messageSize(a));
    }
    return originalChildEmit.apply(this, arguments);
  };

  // --- listeners: an emitter whose listener count keeps growing is the classic leak -----------
  const EventEmitter = require('events');
  const emitterId = Symbol('loopscope.emitterId');
  const highest = Symbol('loopscope.highestListenerCounts');
  let nextEmitterId = 1;
  function watchListeners(original) {
    return function addListener(name) {
      const result = original.apply(this, arguments);
      const count = this.listenerCount(name);
      if (count > 1 && typeof name !== 'symbol' && this !== process) {
        const seen = this[highest] || (this[highest] = new Map());
        if (count > (seen.get(name) || 0)) {
          seen.set(name, count);
          if (this[emitterId] === undefined) this[emitterId] = nextEmitterId++;
          ls.listeners(this[emitterId], String(name), count,
                       (this.constructor && this.constructor.name) || 'EventEmitter');
        }
      }
      return result;
    };
  }
  EventEmitter.prototype.on = EventEmitter.prototype.addListener =
      watchListeners(EventEmitter.prototype.addListener);
  EventEmitter.prototype.prependListener = watchListeners(EventEmitter.prototype.prependListener);

  // --- helpers a snippet may call: loopscope.sameShape(), loopscope.heapSnapshot() ------------
  // V8's own answers (natives syntax, enabled for traced runs) about hidden classes ("maps").
  const haveSameMap = new Function('a', 'b', 'return %HaveSameMap(a, b);');
  const hasFastProperties = new Function('o', 'return %HasFastProperties(o);');
  Object.defineProperty(globalThis, 'loopscope', {
    value: Object.freeze({
      sameShape(a, b, label = 'sameShape') {
        const same = haveSameMap(a, b);
        ls.shapeCheck(String(label), same, hasFastProperties(a), hasFastProperties(b));
        return same;
      },
      heapSnapshot(label = 'snapshot') {
        ls.heapSnapshot(String(label));
      },
    }),
    enumerable: false,
  });

  // --- errors nothing caught ------------------------------------------------------------------
  // The monitor runs before Node decides whether anything handles the error: a listener for
  // 'uncaughtException' (or a capture callback) means the program goes on, and the engine must
  // not report that it stopped.
  process.on('uncaughtExceptionMonitor', (error) => {
    try {
      const handled = process.hasUncaughtExceptionCaptureCallback() ||
                      process.listenerCount('uncaughtException') > 0;
      ls.uncaught(error, handled);
    } catch {
      // Describing the error must never hide it.
    }
  });
}
