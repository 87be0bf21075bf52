// The timeline's data: the spans of a trace sorted into lanes (phases, callbacks, nextTick and
// microtask drains, one lane per pool slot, GC) plus the heap and loop-utilisation series, built
// incrementally as events are appended so a live run costs O(new events) per frame.
//
// Within a lane, spans that nest (a callback inside a callback) go to deeper tracks; inside one
// track spans never overlap, so both their starts and their ends are sorted, and the view finds
// the visible ones with two binary searches however long the trace is.
//
// No painting here: TimelineView draws it, tests check it. Not thread-safe; GUI thread.
#pragma once

#include <array>
#include <cstdint>
#include <limits>
#include <string>
#include <unordered_map>
#include <vector>

#include "trace/trace.h"

namespace loopscope::ui {

// How a span is coloured: a phase, a callback family, a pool job or a GC kind.
enum class SpanStyle : uint8_t {
  PhaseMain = 0,  // + Phase value (PhaseMain + Phase::Timers, ...)
  FamilyMainScript = 16, FamilyTimer, FamilyImmediate, FamilyNextTick, FamilyMicrotask, FamilyIo,
  FamilyClose, FamilyOther,
  PoolJob = 32,
  GcYoung = 40, GcOld, GcOther,
  DrainEnd = 48,  // a zero-length MicrotaskDrainEnd tick
};

struct TimelineSpan {
  static constexpr double kOpen = std::numeric_limits<double>::infinity();
  double startMs = 0;
  double endMs = kOpen;      // kOpen while the closing event has not arrived
  uint32_t startEvent = 0;   // index in Trace::events() of the event that opened it
  SpanStyle style = SpanStyle::PhaseMain;
  bool open() const { return endMs == kOpen; }
};

struct TimelineLane {
  enum class Kind : uint8_t { Phases, Callbacks, Drains, PoolSlot, Gc };
  Kind kind = Kind::Phases;
  int slot = 0;  // PoolSlot: 1-based slot number
  std::string name;
  std::vector<std::vector<TimelineSpan>> tracks;  // [depth] -> spans in time order
  std::vector<TimelineSpan> markers;  // zero-length moments (drains: MicrotaskDrainEnd)
};

struct SeriesPoint {
  double ms = 0;
  double value = 0;
};

class TimelineSpans {
 public:
  // Lanes in display order, top to bottom: phases, callbacks, drains, pool #1..#N, GC.
  const std::vector<TimelineLane>& lanes() const { return m_lanes; }
  int laneIndex(TimelineLane::Kind kind, int slot = 0) const;

  // Forgets everything and starts over on `trace` (nullptr = empty).
  void reset(const Trace* trace);
  // Reads the events appended since the last call. Returns whether anything new was added.
  bool update();

  double msOf(uint64_t ts) const { return double(ts >= m_originTs ? ts - m_originTs : 0) / 1e6; }
  double lastMs() const { return m_lastMs; }
  size_t eventsRead() const { return m_read; }

  // Series for the lower plot: heap space sizes after each GC (MB), and per finished iteration the
  // share of its time not spent blocked in poll (%).
  const std::vector<SeriesPoint>& newSpaceMb() const { return m_newSpace; }
  const std::vector<SeriesPoint>& oldSpaceMb() const { return m_oldSpace; }
  const std::vector<SeriesPoint>& loopUtilisation() const { return m_utilisation; }

  // The work kind string id of a pool job (-1 if unknown).
  int64_t jobKind(int64_t jobId) const;

  // The span under time `ms` in lane `lane`, innermost first, within `toleranceMs`; nullptr if none.
  const TimelineSpan* spanAt(int lane, double ms, double toleranceMs) const;

 private:
  struct OpenSpan {
    int lane = 0;
    int track = 0;
    size_t index = 0;
    int64_t key = 0;      // asyncId, job id
    bool poolDone = false;
    int drainTrack = -1;  // the same callback's span in the drains lane, if it is a tick/microtask
    size_t drainIndex = 0;
  };
  void ensurePoolLanes(int slots);
  size_t open(int lane, int track, double ms, uint32_t event, SpanStyle style);
  void close(const OpenSpan& span, double ms);
  // Closes stack[pos] and every span opened inside it.
  void closeFrom(std::vector<OpenSpan>& stack, size_t pos, double ms);
  void apply(size_t index);
  void finishIteration(double endMs);

  const Trace* m_trace = nullptr;
  size_t m_read = 0;
  uint64_t m_originTs = 0;
  double m_lastMs = 0;
  std::vector<TimelineLane> m_lanes;
  int m_poolSlots = 0;
  // Open spans by recording thread: the loop thread's callbacks, each pool slot's job.
  std::array<std::vector<OpenSpan>, 256> m_stacks;
  std::vector<OpenSpan> m_gcStack;
  std::vector<OpenSpan> m_drainStack;
  OpenSpan m_phase;
  bool m_phaseOpen = false;
  std::unordered_map<int64_t, int64_t> m_jobKind;
  std::vector<SeriesPoint> m_newSpace, m_oldSpace, m_utilisation;
  double m_iterationStartMs = -1;
  double m_iterationBlockedMs = 0;
};

}  // namespace loopscope::ui
