// The timeline's data: the spans of a trace sorted into lanes (phases, callbacks, nextTick and
// microtask drains, one lane per pool slot, a phases and a callbacks lane per worker thread, child
// processes, V8's JIT, GC), the arrows between threads (worker start, messages, exit; IPC), plus
// the heap, GC-pause and loop-health series, built incrementally as events are appended so a
// live run costs O(new events) per frame.
//
// Each loop's records go to that loop's lanes: a Worker's Iteration/PhaseEnter/PhaseExit (thread
// 128..254) never touch the main loop's phases or its utilisation.
//
// Within a lane, spans that nest (a callback inside a callback) go to deeper tracks; inside one
// track spans never overlap, so both their starts and their ends are sorted, and the view finds
// the visible ones with two binary searches however long the trace is.
//
// No painting and no Qt here: the app's TimelineView draws it, unit tests check it. Not
// thread-safe: one thread builds and reads it (the app's GUI thread).
#pragma once

#include <array>
#include <tuple>
#include <cstdint>
#include <limits>
#include <string>
#include <unordered_map>
#include <vector>

#include "trace/health.h"
#include "trace/trace.h"

namespace loopscope {

// How a span is coloured: a phase, a callback family, a pool job or a GC kind.
enum class SpanStyle : uint8_t {
  PhaseMain = 0,  // + Phase value (PhaseMain + Phase::Timers, ...)
  FamilyMainScript = 16,
  FamilyTimer,
  FamilyImmediate,
  FamilyNextTick,
  FamilyMicrotask,
  FamilyIo,
  FamilyClose,
  FamilyOther,
  PoolJob = 32,
  GcYoung = 40,
  GcOld,
  GcOther,
  DrainEnd = 48,       // a zero-length MicrotaskDrainEnd tick
  WorkerStartup = 50,  // from `new Worker()` on the main thread to the worker's loop starting
  ChildRunning = 52,
  ChildFailed,  // a child process's life; failed = non-zero exit or a signal
  IpcToChild = 54,
  IpcFromChild,
  JitSparkplug = 56,
  JitTurboFan,
  JitDeopt,
};

struct TimelineSpan {
  static constexpr double kOpen = std::numeric_limits<double>::infinity();
  double startMs = 0;
  double endMs = kOpen;     // kOpen while the closing event has not arrived
  uint32_t startEvent = 0;  // index in Trace::events() of the event that opened it
  SpanStyle style = SpanStyle::PhaseMain;
  // A callback of Node's own code (interpret/attribution.h): drawn muted, never dropped, since
  // the time spent there is real.
  bool internal = false;
  bool open() const { return endMs == kOpen; }
};

struct TimelineLane {
  // In display order: lanes are kept sorted by (kind, slot).
  enum class Kind : uint8_t { Phases, Callbacks, Drains, PoolSlot, WorkerPhases, WorkerCallbacks, Children, Jit, Gc };
  Kind kind = Kind::Phases;
  int slot = 0;  // PoolSlot: 1-based slot number; WorkerPhases/WorkerCallbacks: worker number n
  std::string name;
  std::vector<std::vector<TimelineSpan>> tracks;  // [depth] -> spans in time order
  std::vector<TimelineSpan> markers;              // zero-length moments (drains: MicrotaskDrainEnd)
};

struct SeriesPoint {
  double ms = 0;
  double value = 0;
};

// An arrow from one lane to another: a worker started, a message was delivered, a worker exited,
// an IPC message crossed to or from a child. Lanes are named by kind and slot because lanes are
// inserted as threads appear.
struct TimelineFlow {
  enum class Kind : uint8_t { WorkerStart, WorkerMessage, WorkerExit, IpcToChild, IpcFromChild };
  Kind kind = Kind::WorkerMessage;
  TimelineLane::Kind fromLane = TimelineLane::Kind::Callbacks;
  int fromSlot = 0;
  double fromMs = 0;
  TimelineLane::Kind toLane = TimelineLane::Kind::Callbacks;
  int toSlot = 0;
  double toMs = 0;
  uint32_t event = 0;  // the recorded event the arrow stands for (its receiving end)
};

// What is known of a child process once its records arrived.
struct ChildProcessInfo {
  int64_t pid = 0;
  int64_t commandString = -1;
  bool exited = false;
  int64_t exitCode = 0;  // -1 when a signal killed it
  int64_t signalString = -1;
  int ipcToChild = 0, ipcFromChild = 0;
};

class TimelineSpans {
 public:
  // Lanes in display order, top to bottom: phases, callbacks, drains, pool #1..#N, then for each
  // worker "worker #n: phases" and "worker #n: callbacks", child processes, V8 JIT, GC. Worker,
  // child and JIT lanes appear when their first record does.
  const std::vector<TimelineLane>& lanes() const { return m_lanes; }
  int laneIndex(TimelineLane::Kind kind, int slot = 0) const;

  // Forgets everything and starts over on `trace` (nullptr = empty).
  void reset(const Trace* trace);
  // Reads the events appended since the last call. Returns whether anything new was added.
  bool update();

  double msOf(uint64_t ts) const { return double(ts >= m_originTs ? ts - m_originTs : 0) / 1e6; }
  double lastMs() const { return m_lastMs; }
  size_t eventsRead() const { return m_read; }

  // Series for the lower plots: heap space sizes after each GC (MB), each GC's pause (ms, at its
  // start), and per finished main-loop iteration the share of its time not spent blocked in poll
  // (%) and its busy time (ms: how long an event arriving at its start could have waited). The
  // loop series follow model/trace/health.h's iterationHealth() exactly, built incrementally.
  const std::vector<SeriesPoint>& newSpaceMb() const { return m_newSpace; }
  const std::vector<SeriesPoint>& oldSpaceMb() const { return m_oldSpace; }
  const std::vector<SeriesPoint>& largeObjectSpaceMb() const { return m_largeSpace; }
  const std::vector<SeriesPoint>& gcPauseMs() const { return m_gcPause; }
  const std::vector<SeriesPoint>& loopUtilisation() const { return m_utilisation; }
  const std::vector<SeriesPoint>& loopBusyMs() const { return m_busy; }
  // Where each of those iterations ended (parallel to loopBusyMs()), so a plot can give each
  // iteration its true width instead of a spike.
  const std::vector<double>& loopIterationEndMs() const { return m_iterationEnds; }

  // Arrows between threads, in the order their receiving events were recorded.
  // Their receiving ends (toMs) never decrease, so a view finds the visible ones by binary search;
  // maxFlowSpanMs() bounds how far before the visible range a flow can start.
  const std::vector<TimelineFlow>& flows() const { return m_flows; }
  double maxFlowSpanMs() const { return m_maxFlowSpanMs; }
  // Child processes by pid, in spawn order.
  const std::vector<ChildProcessInfo>& children() const { return m_children; }
  const ChildProcessInfo* child(int64_t pid) const;
  // Worker numbers seen so far (1-based, in order of appearance).
  const std::vector<int>& workers() const { return m_workers; }

  // The work kind string id of a pool job (-1 if unknown).
  int64_t jobKind(int64_t jobId) const;

  // The span under time `ms` in lane `lane`, innermost first, within `toleranceMs`; nullptr if none.
  const TimelineSpan* spanAt(int lane, double ms, double toleranceMs) const;
  // The zero-length marker (drain end, JIT, IPC) nearest `ms` in `lane` within `toleranceMs`.
  const TimelineSpan* markerAt(int lane, double ms, double toleranceMs) const;

 private:
  struct OpenSpan {
    int lane = 0;
    int track = 0;
    size_t index = 0;
    int64_t key = 0;  // asyncId, job id
    bool poolDone = false;
    int drainTrack = -1;  // the same callback's span in the drains lane, if it is a tick/microtask
    size_t drainIndex = 0;
  };
  void ensurePoolLanes(int slots);
  // The index of the lane (kind, slot), inserting it in display order if it is new.
  int ensureLane(TimelineLane::Kind kind, int slot, const std::string& name);
  void ensureWorkerLanes(int worker);
  void applyWorker(size_t index, const Event& ev, double ms);
  size_t open(int lane, int track, double ms, uint32_t event, SpanStyle style);
  void close(const OpenSpan& span, double ms);
  // Closes stack[pos] and every span opened inside it.
  void closeFrom(std::vector<OpenSpan>& stack, size_t pos, double ms);
  void apply(size_t index);
  void addIteration(const IterationHealth& iteration);

  const Trace* m_trace = nullptr;
  size_t m_read = 0;
  uint64_t m_originTs = 0;
  bool m_runStarted = false;
  double m_lastMs = 0;
  std::vector<TimelineLane> m_lanes;
  int m_poolSlots = 0;
  // Open spans by recording thread: the loop thread's callbacks, each pool slot's job.
  std::array<std::vector<OpenSpan>, 256> m_stacks;
  std::vector<OpenSpan> m_gcStack;
  std::vector<OpenSpan> m_drainStack;
  std::unordered_map<int64_t, int64_t> m_jobKind;
  std::vector<SeriesPoint> m_newSpace, m_oldSpace, m_largeSpace, m_gcPause, m_utilisation, m_busy;
  std::vector<double> m_iterationEnds;
  IterationHealthTracker m_iterations;  // the same arithmetic as the Health tab and `info`
  std::vector<double> m_gcBeginMs;      // open GCs' start times, innermost last

  // Worker threads: their open phase, the asyncIds of `new Worker()` resources in creation order
  // (the k-th is taken to be worker #k: workers are numbered by their loops starting, which follows
  // creation order), which MESSAGEPORT belongs to which Worker, and each worker's last record.
  std::array<OpenSpan, 256> m_threadPhase{};
  std::array<bool, 256> m_threadPhaseOpen{};
  std::vector<int> m_workers;
  struct WorkerResource {
    int64_t asyncId = 0;
    double createdMs = 0;
    uint32_t event = 0;  // its AsyncInit
  };
  std::vector<WorkerResource> m_workerResources;
  std::unordered_map<int64_t, int> m_workerOfResource;  // WORKER/MESSAGEPORT asyncId -> worker n
  std::array<double, 256> m_threadLastMs{};
  Phase m_mainPhase = Phase::Main;
  bool m_mainPhaseOpen = false;

  std::vector<TimelineFlow> m_flows;
  double m_maxFlowSpanMs = 0;
  void addFlow(const TimelineFlow& flow);
  std::vector<ChildProcessInfo> m_children;
  std::unordered_map<int64_t, OpenSpan> m_openChildren;  // pid -> its open span
};

}  // namespace loopscope
