// The JavaScript half of Loopscope's instrumentation. It runs inside the embedded Node before
// the user's program, with `ls` = the native probe functions (js_probes.cpp) and `require` =
// Node's builtin loader. It only observes: every hook calls straight into C++, which stamps the
// time and records the event; nothing here changes what the program does or in which order.
'use strict';

// Every patch of a Node method goes through ls.wrap(original, before, after, names): a native
// function with the original's name and length that calls the observers around the original and
// leaves no frame in Error stacks. Per-object bookkeeping lives in WeakMaps, never in properties
// a program could see.

// `options.worker`: installing inside a worker_threads Worker (preloaded with --require).
function installProbes(ls, require, process, options = {}) {
  const workerThreads = require('worker_threads');
  if (options.worker) {
    ls.workerThread(workerThreads.threadId);  // before anything is recorded
    hideWorkerPreload(ls, process);
  }
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
        // The site is the learner's `.then(...)` call or `await` (js_probes.cpp, siteOfPromise).
        ls.promise(asyncId, triggerAsyncId, promiseType);
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

  globalThis.queueMicrotask = ls.wrap(globalThis.queueMicrotask, (callback) => {
    queuedMicrotaskCallback = callback;
  });

  // clearTimeout & co. are recorded only when they really remove a pending callback.
  const timers = require('timers');
  function recordClear(name, kind) {
    const patched = ls.wrap(timers[name], (handle) => {
      if (handle !== null && typeof handle === 'object' && handle._destroyed === false &&
          handle[asyncIdSymbol] !== undefined) {
        ls.cleared(kind, handle[asyncIdSymbol]);
      }
    });
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
    stdioStream.write = ls.wrap(stdioStream.write, (chunk) => {
      if (typeof chunk === 'string') ls.console(fd, chunk);
      else if (chunk instanceof Uint8Array) ls.console(fd, Buffer.from(chunk).toString());
    });
  }

  // --- streams: buffered length against highWaterMark ----------------------------------------
  const stream = require('stream');
  const WRITE = 1, WRITE_FALSE = 2, DRAIN = 3, PUSH = 4, PAUSE = 5, RESUME = 6, END = 7,
        FINISH = 8;
  const WRITABLE = 1, READABLE = 2;
  const streamIds = new WeakMap();
  const untracked = new Set(stdio.map(([, s]) => s));
  let nextStreamId = 1;

  function report(s, event, side) {
    if (untracked.has(s) || s === null || typeof s !== 'object') return;
    let id = streamIds.get(s);
    if (id === undefined) {
      id = nextStreamId++;
      streamIds.set(s, id);
      ls.streamCreated(id, (s.constructor && s.constructor.name) || 'Stream');
    }
    if (side === WRITABLE) ls.stream(id, event, s.writableLength, s.writableHighWaterMark, side);
    else ls.stream(id, event, s.readableLength, s.readableHighWaterMark, side);
  }

  const originalWrite = stream.Writable.prototype.write;
  const write = ls.wrap(originalWrite, undefined, function afterWrite(ok) {
    report(this, ok ? WRITE : WRITE_FALSE, WRITABLE);
  });
  stream.Writable.prototype.write = write;
  // Duplex copied Writable's methods when it was defined.
  if (stream.Duplex.prototype.write === originalWrite) stream.Duplex.prototype.write = write;

  stream.Readable.prototype.push = ls.wrap(stream.Readable.prototype.push, undefined,
    function afterPush(result, chunk) {
      if (chunk !== null) report(this, PUSH, READABLE);
    });

  const streamEvents = { drain: [DRAIN, WRITABLE], finish: [FINISH, WRITABLE],
                         pause: [PAUSE, READABLE], resume: [RESUME, READABLE], end: [END, READABLE] };
  stream.Stream.prototype.emit = ls.wrap(stream.Stream.prototype.emit, function beforeEmit(name) {
    const [event, side] = streamEvents[name];
    report(this, event, side);
  }, undefined, Object.keys(streamEvents));

  // --- worker_threads: each Worker preloads the probe, so its loop's callbacks are recorded ----
  // The preload is added to the Worker's execArgv, and a marker that names no module goes first in
  // its argv: under the inspector's break-on-start (--inspect-brk, NodeWorker.enable with
  // waitForDebuggerOnStart) Node resolves process.argv[1] when it compiles the first module and
  // remembers it; compiled with the Worker's argv still empty, the preload would make Node
  // remember 'repl' and never pause in the Worker's script. The marker fails to resolve, so Node
  // tries again with the real script. The preload removes both again (hideWorkerPreload).
  //
  // A Worker given no execArgv inherits its parent's options as they are; one given execArgv
  // has them parsed again, and Node refuses process-wide and V8 options there
  // (ERR_WORKER_INVALID_EXEC_ARGV). For a Worker without execArgv the parent's are passed on,
  // and if Node names some it refuses, the Worker is made again without those (they are in
  // force process-wide anyway). The Worker's process.execArgv is set back to what Node would
  // have given it (the parent's, in full), carried in argv beside the marker.
  if (ls.workerProbePath) {
    const OriginalWorker = workerThreads.Worker;
    workerThreads.Worker = class Worker extends OriginalWorker {
      constructor(filename, workerOptions) {
        const o = workerOptions === undefined ? {} : workerOptions;
        const probe = ls.workerProbePath();
        // Options Node will refuse are passed on untouched, so Node's own error is thrown.
        if (probe === '' || o === null || typeof o !== 'object' ||
            !(o.execArgv === undefined || Array.isArray(o.execArgv)) ||
            !(o.argv === undefined || Array.isArray(o.argv))) {
          super(filename, workerOptions);
          return;
        }
        const inherited = o.execArgv === undefined;
        const optionsWith = (execArgv) => ({
          ...o,
          execArgv: [...execArgv, '--require', probe],
          argv: [workerArgvMarker(probe), JSON.stringify(inherited ? process.execArgv : null),
                 ...(o.argv || [])],
        });
        if (!inherited) {
          super(filename, optionsWith(o.execArgv));
          return;
        }
        let refused = null;
        try {
          super(filename, optionsWith(process.execArgv));
        } catch (error) {
          if (error === null || typeof error !== 'object' ||
              error.code !== 'ERR_WORKER_INVALID_EXEC_ARGV') throw error;
          refused = error;
        }
        if (refused !== null) {
          // "Initiated Worker with invalid execArgv flags: --a, --b". A failed super() leaves
          // `this` unbound, so it may be called again.
          const message = String(refused.message);
          const names = new Set(message.slice(message.indexOf(': ') + 2).split(', '));
          super(filename, optionsWith(process.execArgv.filter((flag) => !names.has(flag))));
        }
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
  workerThreads.Worker.prototype.postMessage = ls.wrap(workerThreads.Worker.prototype.postMessage,
    function beforePost(message) {
      ls.posted(this.threadId, jsonSize(message));
    });
  workerThreads.MessagePort.prototype.postMessage = ls.wrap(
    workerThreads.MessagePort.prototype.postMessage, function beforePost(message) {
      ls.posted(this === workerThreads.parentPort ? 0 : -1, jsonSize(message));
    });

  // --- child processes: spawn, IPC messages, exit --------------------------------------------
  const { ChildProcess } = require('child_process');
  const TO_CHILD = 1, FROM_CHILD = 2;
  const messageSize = jsonSize;
  ChildProcess.prototype.spawn = ls.wrap(ChildProcess.prototype.spawn, undefined,
    function afterSpawn(result, options) {
      const child = this;
      if (child.pid === undefined) return;
      const command = [options.file, ...(options.args || []).slice(1)].join(' ');
      ls.childSpawn(child.pid, command);
      if (typeof child.send === 'function') {
        child.send = ls.wrap(child.send, (message) => {
          ls.ipc(child.pid, TO_CHILD, messageSize(message));
        });
      }
    });
  ChildProcess.prototype.emit = ls.wrap(ChildProcess.prototype.emit, function beforeEmit(name, a, b) {
    if (this.pid === undefined) return;
    if (name === 'exit') ls.childExit(this.pid, a === null ? -1 : a, b || '');
    else ls.ipc(this.pid, FROM_CHILD, messageSize(a));
  }, undefined, ['exit', 'message']);

  // --- listeners: an emitter whose listener count keeps growing is the classic leak -----------
  // The count is read with EventEmitter's own listenerCount, never the object's: `on` may be
  // called on any object (EventEmitter.prototype.on.call({}, ...)), one whose listenerCount is
  // missing or is the program's own function.
  const EventEmitter = require('events');
  const countListeners = EventEmitter.prototype.listenerCount;
  const emitters = new WeakMap();  // emitter -> { id, highest: Map(event name -> count) }
  let nextEmitterId = 1;
  function afterAddListener(result, name) {
    if (typeof name === 'symbol' || this === process || this === null || typeof this !== 'object') return;
    const count = countListeners.call(this, name);
    if (!(count > 1)) return;
    let state = emitters.get(this);
    if (state === undefined) {
      state = { id: 0, highest: new Map() };
      emitters.set(this, state);
    }
    if (count <= (state.highest.get(name) || 0)) return;
    state.highest.set(name, count);
    if (state.id === 0) state.id = nextEmitterId++;
    ls.listeners(state.id, String(name), count, (this.constructor && this.constructor.name) || 'EventEmitter');
  }
  // Node defines `on` as the very same function as addListener; so does the probe.
  EventEmitter.prototype.on = EventEmitter.prototype.addListener =
      ls.wrap(EventEmitter.prototype.addListener, undefined, afterAddListener);
  EventEmitter.prototype.prependListener =
      ls.wrap(EventEmitter.prototype.prependListener, undefined, afterAddListener);

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

  // --- the main module's own code, apart from Node's loader around it ------------------------
  // The main script (asyncId 1) also holds Node's start-up of the module loader: resolving,
  // reading and compiling the file before, and more loader work after. Only the time between
  // these two records is the program's (trace/health.cpp blames nothing else on it). The
  // program itself sees Node's own _compile: the wrapper takes itself away before the main
  // module's code runs, or when the main script ends without one (an ES module).
  if (!options.worker) {
    const { Module } = require('internal/modules/cjs/loader');
    const compile = Module.prototype._compile;
    const watching = ls.wrap(compile, function beforeCompile() {
      if (this.id !== '.') return;
      Module.prototype._compile = compile;
      ls.mainBody(true);
    }, function afterCompile() {
      if (this.id === '.') ls.mainBody(false);
    });
    Module.prototype._compile = watching;
    ls.mainScriptEnds = () => {
      if (Module.prototype._compile === watching) Module.prototype._compile = compile;
    };
  }

  // --- Node loading its own modules on first use ----------------------------------------------
  // The first require('crypto'), the first console.log (stdout's stream modules), ... compile and
  // run Node's own JavaScript: real time, but Node's one-time work, not the program's. Only the
  // outermost load is recorded; modules it pulls in are part of it. Main thread only: a Worker's
  // preload is a user-land module, which cannot reach Node's internal ones.
  if (!options.worker) {
    const { BuiltinModule } = require('internal/bootstrap/realm');
    let loadingBuiltin = null;
    BuiltinModule.prototype.compileForInternalLoader = ls.wrap(
      BuiltinModule.prototype.compileForInternalLoader, function beforeLoad() {
        // A load that threw never reached afterLoad; Node has cleared its `loading` since.
        if (loadingBuiltin !== null && !loadingBuiltin.loading) loadingBuiltin = null;
        if (loadingBuiltin !== null || this.loaded || this.loading) return;
        loadingBuiltin = this;
        ls.builtinLoad(true, this.id);
      }, function afterLoad() {
        if (loadingBuiltin !== this) return;
        loadingBuiltin = null;
        ls.builtinLoad(false, this.id);
      });
  }

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

// Inside a Worker: takes the probe's own traces out of what the Worker's program sees, so that
// process.argv and process.execArgv are those Node would give it (see the Worker wrapper above).
function hideWorkerPreload(ls, process) {
  const probe = ls.workerProbePath();
  let inheritedExecArgv = null;
  if (process.argv[1] === workerArgvMarker(probe)) {
    try {
      inheritedExecArgv = JSON.parse(process.argv[2]);
    } catch {
      // Not ours after all; leave argv as it is.
    }
    process.argv.splice(1, 2);
  }
  const execArgv = process.execArgv;
  const at = execArgv.length - 2;
  if (at >= 0 && execArgv[at] === '--require' && execArgv[at + 1] === probe) execArgv.splice(at, 2);
  if (Array.isArray(inheritedExecArgv)) execArgv.splice(0, execArgv.length, ...inheritedExecArgv);
}

// A path beside the preload that names no module (see the Worker wrapper).
function workerArgvMarker(probe) {
  return `${probe}.no-module-here`;
}
