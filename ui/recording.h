// One recorded run held by the app: the Trace and the LoopTimeline built over it, filled live as
// batches arrive from an EngineProcess or read whole from a trace file.
//
// Thread rules: GUI thread only (the reader thread hands decoded batches over; it never touches
// a Recording). Not copyable or movable: the LoopTimeline keeps a reference to the Trace.
#pragma once

#include <QString>

#include <memory>
#include <string>

#include "interpret/keep_alive.h"
#include "trace/loop_state.h"
#include "trace/trace.h"

namespace loopscope::ui {

struct TraceBatch;

struct EngineVersions {
  QString loopscope, node, v8, uv;
  bool known() const { return !node.isEmpty(); }
};

class Recording {
 public:
  // An empty recording that a live run fills with append().
  Recording();
  Recording(const Recording&) = delete;
  Recording& operator=(const Recording&) = delete;

  // Reads a native trace file. Returns nullptr with `problem` set when nothing usable is in it;
  // a cut or partly corrupt file opens with `problem` saying what was lost.
  static std::unique_ptr<Recording> open(const QString& path, QString* problem);

  // Live: appends a batch and extends the timeline's checkpoints.
  void append(const TraceBatch& batch);
  // Live: the run ended. Puts records that arrived out of time order in place (and rebuilds the
  // checkpoints over them) so replay sees the same trace a file read would. Returns whether it
  // did: then positions indexed before are stale and timeline() is a new object, so every view
  // must take the recording again.
  bool finishLive();

  const Trace& trace() const { return *m_trace; }
  const LoopTimeline& timeline() const { return *m_timeline; }
  // What keeps the loop alive at any position, indexed as the recording grows.
  const KeepAliveIndex& keepAlive() const { return m_keepAlive; }
  size_t size() const { return m_trace->size(); }
  bool isLive() const { return m_live; }
  // A decoding problem met on the way ("" if none).
  const QString& problem() const { return m_problem; }
  // The snippet file the trace names (RunStart), or "" for none.
  QString snippetFile() const;
  EngineVersions versions() const;
  // Duration of the recorded run in ns (timestamp of the last event).
  uint64_t durationNs() const;

  // Writes the trace exactly as the engine produced it. Returns false with one sentence in `error`.
  bool saveTrace(const QString& path, QString* error) const;
  bool exportChrome(const QString& path, QString* error) const;
  bool exportCsv(const QString& path, QString* error) const;

 private:
  std::unique_ptr<Trace> m_trace;
  std::unique_ptr<LoopTimeline> m_timeline;
  KeepAliveIndex m_keepAlive;
  void indexNewEvents();
  std::string m_raw;     // bytes received live (header included)
  QString m_sourcePath;  // file it was opened from
  QString m_problem;
  bool m_live = false;
  bool m_outOfOrder = false;
};

}  // namespace loopscope::ui
