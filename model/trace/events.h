// The vocabulary of a Loopscope trace: what the engine records, as small plain structs.
//
// Shared by the engine (which records), the command-line tools and the GUI (which read). Links
// neither libnode nor Qt. The on-disk encoding is described in docs/trace-format.md.
#pragma once

#include <array>
#include <cstdint>
#include <string_view>

namespace loopscope {

// Every kind the engine records. The numbers are part of the file format: append, never reorder.
enum class EventKind : uint8_t {
  String = 0,               // interns a string: a = id (text travels beside it)
  Meta = 1,                 // a = key string, b = value string (versions, file, options)
  RunStart = 2,             // a = thread-pool size, b = pid, c = file string, d = wall-clock ms at start
  RunEnd = 3,               // a = exit code, b = EndReason, c = signal number (0 if none)
  LoopStart = 4,            // uv_run entered on the main loop; a = uv_run_mode
  LoopEnd = 5,              // uv_run returned; a = whether the loop is still alive
  Iteration = 6,            // a loop iteration begins; a = iteration number (1-based)
  PhaseEnter = 7,           // a = Phase, b = poll timeout in ms (poll only; -1 = infinite)
  PhaseExit = 8,            // a = Phase, b = ns blocked in epoll (poll only)
  FunctionSite = 9,         // a = site id, b = name string, c = script string, d = line, e = column
  AsyncInit = 10,           // a = asyncId, b = triggerAsyncId, c = type string, d = site id
  TimerScheduled = 11,      // a = asyncId, b = triggerAsyncId, c = site id, d = delay ms, e = repeat (0/1)
  TimerCleared = 12,        // a = asyncId
  ImmediateScheduled = 13,  // a = asyncId, b = triggerAsyncId, c = site id
  ImmediateCleared = 14,    // a = asyncId
  TickScheduled = 15,       // process.nextTick: a = asyncId, b = triggerAsyncId, c = site id
  MicrotaskQueued = 16,     // queueMicrotask: a = asyncId, b = triggerAsyncId, c = site id
  PromiseResolve = 17,      // a = asyncId of the promise that settled (its reactions are now queued)
  CallbackEnter = 18,       // a = asyncId (1 = the main script)
  CallbackExit = 19,        // a = asyncId
  MicrotaskDrainEnd = 20,   // V8 finished a microtask checkpoint
  PoolSubmit = 21,          // a = job id, b = work-kind string, c = asyncId of the request (0 = unknown)
  PoolStart = 22,           // on the pool slot's thread: a = job id
  PoolEnd = 23,             // on the pool slot's thread: a = job id
  PoolDone = 24,            // on the loop thread, the job's completion begins: a = job id
  PoolDoneEnd = 25,         // completion finished: a = job id
  GcBegin = 26,             // a = GcType bits
  GcEnd = 27,               // a = GcType bits, b..f(5) = used bytes of new, old, code, map, large-object space
  StreamCreated = 28,       // a = stream id, b = constructor-name string, c = site id
  StreamState = 29,         // a = stream id, b = StreamEvent, c = buffered bytes/objects, d = highWaterMark, e = side
  Console = 30,             // a = fd (1 stdout, 2 stderr), b = text string
  UncaughtError = 31,       // a = message string, b = script string, c = line, d = column, e = error-name string
  Paused = 32,              // step mode: the engine waits for a command; a = PauseAt, b = asyncId or Phase
  Resumed = 33,             // step mode: a command let it go on
  ChildSpawn = 34,          // child_process: a = pid, b = command string, c = site id
  ChildExit = 35,           // a = pid, b = exit code (-1 if killed by a signal), c = signal string
  IpcMessage = 36,          // a = pid of the child, b = IpcDirection, c = message size in bytes (JSON)
  JitOptimized = 37,        // V8 compiled a function to a faster tier: a = name string, b = JitTier,
                            // c = V8's reason string ("hot and stable", ...; 0 if none), d = compile µs
  JitDeoptimized = 38,      // V8 threw optimized code away: a = name string, b = reason string
                            // ("wrong map", "not a Smi", ...), c = bailout-kind string ("deopt-eager")
  ShapeCheck = 39,          // loopscope.sameShape(a, b, label): a = label string, b = same map (0/1),
                            // c = a has fast properties (0/1), d = b has fast properties (0/1)
  HeapSnapshot = 40,        // a = snapshot number, b = label string, c = objects, d = self bytes in all
  HeapClass = 41,           // one row of the snapshot before it: a = snapshot number,
                            // b = constructor-name string, c = objects, d = self bytes,
                            // e = retained bytes (what these objects keep alive)
  ListenerCount = 42,       // an emitter reached a new highest listener count for an event:
                            // a = emitter id, b = event-name string, c = count, d = constructor-name string
  AtomicsWaitStart = 43,    // Atomics.wait blocks this thread: a = byte offset, b = expected value,
                            // c = timeout in µs (-1 = none)
  AtomicsWaitEnd = 44,      // ... and returns: a = AtomicsWaitResult
  MessagePosted = 45,       // postMessage between threads: a = the receiving thread (255 if not
                            // known, e.g. a MessageChannel), b = message size in bytes (JSON; 0 if not serialisable)
  MainScriptBody = 46,      // inside the main script (asyncId 1): a = 1 when the main module's own code
                            // starts, 0 when it returns; Node's loader runs before and after (CommonJS)
  BuiltinModuleLoad = 47,   // Node compiles and runs one of its own modules on first use (node:crypto,
                            // the stdout stream's modules, ...): a = 1 starts, 0 done; b = its id string
  HandleActive = 48,        // a libuv handle (socket, server, pipe, UDP socket, fs watcher) of the async
                            // resource a starts (b = 1) or stops (b = 0) keeping its loop alive:
                            // it is active (listening, reading, watching) and referenced
  HandleClosed = 49,        // uv_close() on the handle of async resource a: it no longer keeps the loop alive
  HeapUsage = 50,           // V8's heap before the program runs (no GC yet): bytes used in a = new space,
                            // b = old space, c = code space, d = map space, e = large objects (as GcEnd b..f)
  KindCount
};

// The six libuv phases, plus "main" for code that runs outside uv_run (the main script and the
// nextTick/microtask drains right after it).
enum class Phase : uint8_t { Main = 0, Timers, Pending, Idle, Prepare, Poll, Check, Close, Count };

enum class EndReason : uint8_t {
  Finished = 0,     // the loop ran out of work
  ProcessExit = 1,  // process.exit() or an uncaught error ended it
  Timeout = 2,      // --timeout stopped runaway JavaScript
  Crashed = 3,      // a fatal signal (process.abort(), SIGSEGV, ...)
  Stopped = 4,      // the control channel said stop
  StartFailed = 5,  // the program never ran (missing file, bad options)
};

enum class PauseAt : uint8_t { Callback = 1, Phase = 2 };

enum class IpcDirection : uint8_t { ToChild = 1, FromChild = 2 };

// How an Atomics.wait ended (v8::Isolate::AtomicsWaitEvent).
enum class AtomicsWaitResult : uint8_t { Woken = 1, TimedOut = 2, NotEqual = 3, Terminated = 4, Stopped = 5 };

// V8 10.2's tiers above the Ignition interpreter (it has no Maglev).
enum class JitTier : uint8_t { Sparkplug = 1, TurboFan = 2 };

// What happened to a stream; StreamState.b.
enum class StreamEvent : uint8_t {
  Write = 1,
  WriteFalse = 2,
  Drain = 3,
  Push = 4,
  Pause = 5,
  Resume = 6,
  End = 7,
  Finish = 8,
  Data = 9
};
enum class StreamSide : uint8_t { Writable = 1, Readable = 2 };

// V8's GCType bits (v8::GCType), kept here so readers need no V8 header.
enum GcType : uint32_t {
  GcScavenge = 1,
  GcMinorMarkCompact = 2,
  GcMarkSweepCompact = 4,
  GcIncrementalMarking = 8,
  GcProcessWeakCallbacks = 16
};

// Threads: 0 is the main (event-loop) thread; 1..127 are thread-pool slots; 128..254 are
// worker_threads, each with its own event loop (worker n is 127 + n); 255 is any other thread.
constexpr uint8_t kMainThread = 0;
constexpr uint8_t kMaxPoolSlots = 127;
constexpr uint8_t kFirstWorkerThread = 128;
constexpr uint8_t kMaxWorkerThread = 254;
constexpr uint8_t kOtherThread = 255;
inline bool isPoolThread(uint8_t thread) { return thread >= 1 && thread <= kMaxPoolSlots; }
inline bool isWorkerThread(uint8_t thread) { return thread >= kFirstWorkerThread && thread <= kMaxWorkerThread; }

constexpr int kMaxFields = 6;

// One recorded event. In memory every event has the same size; on disk it is varint-encoded and
// averages far less (docs/trace-format.md).
struct Event {
  uint64_t ts = 0;  // ns since the run started (steady clock)
  EventKind kind = EventKind::String;
  uint8_t thread = 0;
  std::array<int64_t, kMaxFields> f{};
  int64_t a() const { return f[0]; }
  int64_t b() const { return f[1]; }
  int64_t c() const { return f[2]; }
  int64_t d() const { return f[3]; }
  int64_t e() const { return f[4]; }
  int64_t g() const { return f[5]; }
};

// How many fields each kind carries on disk (String's text is extra).
int fieldCount(EventKind kind);
std::string_view kindName(EventKind kind);
std::string_view phaseName(Phase phase);
std::string_view gcTypeName(int64_t gcTypeBits);
std::string_view streamEventName(StreamEvent ev);
std::string_view endReasonName(EndReason reason);

}  // namespace loopscope
