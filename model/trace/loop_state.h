// LoopState: everything the views show at one moment of a recording, rebuilt from the events.
//
// Every field is derived from recorded events only: a queue holds what the engine recorded as
// scheduled and not yet run, a pool slot the job whose start was recorded on it and whose end
// was not. What the engine cannot see before it runs (libuv's pending and closing queues) is
// shown only while it runs, as `current`.
//
// LoopTimeline keeps a checkpoint every few thousand events, so stateAt() anywhere in a
// ten-million-event trace replays at most one checkpoint interval, and stepping back costs the
// same as stepping forward. Links neither Qt nor libnode.
#pragma once

#include <cstdint>
#include <deque>
#include <optional>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "events.h"
#include "trace.h"

namespace loopscope {

// A callback waiting in a queue, or running.
struct QueueEntry {
  int64_t asyncId = 0;
  std::string type;   // "Timeout", "Immediate", "TickObject", "Microtask", "PROMISE", "FSREQCALLBACK", ...
  std::string label;  // function name (or the API that made the request); "" if unknown
  std::string file;   // script file name without folders; "" if unknown
  int line = 0;       // 1-based; 0 = unknown
  int column = 0;
  int64_t delayMs = 0;    // timers: the delay asked for
  bool repeat = false;    // timers: setInterval
  uint64_t dueNs = 0;     // timers: when it is due (ns since run start)
  uint64_t sinceNs = 0;   // when it was queued (or, for `current`, when it started)
  bool internal = false;  // its function is Node's own code (interpret/attribution.h)
};

// A queue of callbacks in the order they will run. A deque: callbacks leave from the front, and
// erasing there must not move the 100,000 timers behind them.
using CallbackQueue = std::deque<QueueEntry>;

struct PoolJob {
  int64_t jobId = 0;
  std::string kind;     // "fs.read", "crypto.pbkdf2", "zlib", "dns.lookup", ...
  int64_t asyncId = 0;  // the request behind it, 0 if unknown
  uint64_t submittedNs = 0;
  uint64_t startedNs = 0;  // 0 while waiting in the backlog
};

struct PoolState {
  int size = 4;                               // UV_THREADPOOL_SIZE of the run
  std::vector<std::optional<PoolJob>> slots;  // index k-1 = slot k; nullopt = idle
  std::vector<PoolJob> backlog;               // submitted, not yet started, in submit order
  std::vector<PoolJob> completed;             // finished on the pool, callback not yet run
};

struct HeapState {
  int64_t newSpace = 0, oldSpace = 0, codeSpace = 0, mapSpace = 0, largeObjectSpace = 0;
  int scavenges = 0;  // GCs so far by generation
  int markSweeps = 0;
  bool collecting = false;  // between GcBegin and GcEnd
  int64_t lastGcType = 0;   // GcType bits of the latest GC
  uint64_t lastGcNs = 0;    // when it ended
};

struct StreamState {
  int64_t id = 0;
  std::string name;  // constructor name: "Writable", "Socket", "ReadStream", ...
  int64_t writableBuffered = 0, writableHighWaterMark = 0;
  int64_t readableBuffered = 0, readableHighWaterMark = 0;
  bool writeReturnedFalse = false;  // set by a write() that returned false, cleared by 'drain'
  bool paused = false;
  bool ended = false;  // 'end' (readable side) or 'finish' (writable side) seen
  StreamEvent lastEvent = StreamEvent::Write;
};

struct ConsoleLine {
  int fd = 1;
  std::string text;
  int64_t asyncId = 0;  // the callback that printed it (1 = main script, 0 = none)
  size_t eventIndex = 0;
};

struct LoopState {
  size_t position = 0;    // the state after the first `position` events
  uint64_t timeNs = 0;    // timestamp of the last applied event
  bool started = false;   // RunStart seen
  bool inLoop = false;    // between LoopStart and LoopEnd
  bool finished = false;  // RunEnd seen
  int exitCode = 0;
  EndReason endReason = EndReason::Finished;
  Phase phase = Phase::Main;
  int64_t iteration = 0;
  bool pollWaiting = false;     // inside poll with no callback running: blocked in epoll
  int64_t pollTimeoutMs = 0;    // the timeout poll was given (-1 = none)
  bool paused = false;          // live step mode: the engine waits for a command
  bool atomicsWaiting = false;  // the main thread is blocked in Atomics.wait

  std::optional<QueueEntry> current;      // the innermost running callback
  std::vector<QueueEntry> callbackStack;  // outermost first; current is its back()

  // Queues in the order they will run.
  CallbackQueue timers;  // by due time
  CallbackQueue immediates;
  CallbackQueue nextTicks;
  CallbackQueue microtasks;  // promise reactions and queueMicrotask

  PoolState pool;
  HeapState heap;
  std::vector<StreamState> streams;
  size_t consoleLines = 0;  // how many Console events so far (the text is in the trace)
  int64_t callbacksRun = 0;

  // How many entries the queues, the pool and the streams hold: what a copy of this state costs.
  size_t queuedEntries() const;
};

// Applies events one by one to a LoopState. Knows nothing about checkpoints.
class LoopStateBuilder {
 public:
  explicit LoopStateBuilder(const Trace& trace) : m_trace(trace) {}
  // Must see every event once, in order, before apply() is used on it: it works out which
  // promise reactions each event queues (a reaction is queued when its parent promise settles,
  // or when it is created on an already settled parent).
  void index(size_t eventIndex);
  void apply(LoopState& state, size_t eventIndex) const;

 private:
  QueueEntry entryFor(int64_t asyncId, uint64_t ts) const;
  CallbackQueue* queueOf(LoopState& state, int64_t asyncId) const;
  const Trace& m_trace;
  std::unordered_map<size_t, std::vector<int64_t>> m_reactionsQueuedAt;
  std::unordered_set<int64_t> m_settledPromises;
  std::unordered_map<int64_t, std::vector<int64_t>> m_reactionsWaitingOn;
  std::unordered_set<int64_t> m_timersSeen;       // ids of timers scheduled so far
  std::unordered_set<size_t> m_timerReschedules;  // TimerScheduled records of an id seen before
};

class LoopTimeline {
 public:
  static constexpr size_t kDefaultCheckpointEvery = 4096;
  explicit LoopTimeline(const Trace& trace, size_t checkpointEvery = kDefaultCheckpointEvery);

  // Adds checkpoints for events appended to the trace since the last call (live runs).
  void extend();
  // The state after the first `position` events (clamped to the trace size).
  LoopState stateAt(size_t position) const;
  size_t size() const { return m_trace.size(); }

  // Positions for stepping: the index one past the next/previous event of a kind.
  // forward: the smallest position > from at which the event just applied is of the kind;
  // backward: the largest such position < from. Returns `from` if there is none.
  // UserCallback skips Node's own callbacks (interpret/attribution.h), as the views do by default.
  enum class Step { Event, Callback, UserCallback, Phase, Iteration };
  size_t next(size_t from, Step step) const;
  size_t previous(size_t from, Step step) const;
  // Position just before the first callback whose function is defined on `line` starts
  // (the engine's CallbackEnter for it is not yet applied); nullopt if none ran.
  std::optional<size_t> beforeFirstCallbackOnLine(int line) const;
  // Position of the first event at or after time `ns`.
  size_t positionAtTime(uint64_t ns) const;

  // Console output up to a position, with the callback that printed each line.
  std::vector<ConsoleLine> consoleUpTo(size_t position) const;
  // What the checkpoints hold in all (the sum of their queuedEntries()): stays proportional to
  // the trace however many callbacks wait at once.
  size_t checkpointEntries() const;

  // All console output seen so far (state.consoleLines of them precede a position).
  const std::vector<ConsoleLine>& console() const { return m_console; }

 private:
  const std::vector<size_t>& positionsFor(Step step) const;
  const Trace& m_trace;
  LoopStateBuilder m_builder;
  size_t m_every;
  // States at increasing positions, the first at 0; spaced at least m_every events apart, more
  // when the state is large (see extend()).
  std::vector<LoopState> m_checkpoints;
  LoopState m_tail;  // state at the end of what extend() has seen
  // Positions (index + 1) for stepping, all on the main loop: each CallbackEnter (and those of the
  // learner's code); each PhaseEnter plus the main script's start and LoopEnd (phases); each
  // iteration's first PhaseEnter (iterations).
  std::vector<size_t> m_callbackPositions, m_userCallbackPositions, m_phasePositions, m_iterationPositions;
  bool m_iterationAwaitingPhase = false;  // an Iteration was seen, its first PhaseEnter not yet
  std::vector<ConsoleLine> m_console;
};

// The state as JSON (the app's --dump-state): phase, iteration, current, queues {timers,
// immediates, nextTick, microtasks}, pool {size, slots, backlog}, heap, streams.
std::string loopStateJson(const LoopState& state);

}  // namespace loopscope
