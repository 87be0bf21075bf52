// Finding a leak: the heap snapshots the run took (loopscope.heapSnapshot(label) in a snippet, or
// the "Take heap snapshot" button during a live run), two of them compared by constructor —
// objects and bytes gained or lost, biggest growth first — the event emitters whose listener count
// kept growing, and the GCs so far. The two classic leaks of the seed, an unbounded cache and
// listeners never removed, show up here as a constructor whose count grows between snapshots and
// an emitter whose listener count climbs past Node's warning threshold of 10.
//
// Sizes are V8's self sizes (the object itself, not what it keeps alive): the engine records them
// per constructor. GUI thread only; the Trace must outlive the panel and only grow between calls.
#pragma once

#include <QStringList>
#include <QWidget>
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "interpret/memory_index.h"
#include "recording_view.h"
#include "trace/trace.h"

class QComboBox;
class QLabel;
class QPushButton;
class QTableWidget;

namespace loopscope::ui {

class MemoryPanel : public QWidget, public RecordingView {
  Q_OBJECT
 public:
  using Snapshot = HeapSnapshotInfo;
  using ClassDelta = loopscope::ClassDelta;
  using ListenerGrowth = loopscope::ListenerGrowth;
  // Above this many listeners for one event Node prints MaxListenersExceededWarning: usually a leak.
  static constexpr int64_t kListenerWarning = 10;

  explicit MemoryPanel(QWidget* parent = nullptr);

  void setTrace(const Trace* trace);
  // Shows what the first `position` events hold. Reads events appended since the last call.
  void showUpTo(size_t position);

  void showRecording(const RecordingSource& source) override { setTrace(source.trace); }
  void showMoment(size_t position, const LoopState&) override { showUpTo(position); }
  // Live runs can take a snapshot on demand; replays cannot.
  void setLive(bool live);

  // The snapshots taken up to the position, in order.
  const std::vector<Snapshot>& snapshots() const { return m_visibleSnapshots; }
  // Compare snapshot `before` with snapshot `after` (snapshot numbers). By default the first and
  // the newest are compared.
  void compareSnapshots(int64_t before, int64_t after);
  // The comparison shown, sorted by bytes gained (largest first).
  const std::vector<ClassDelta>& comparison() const { return m_comparison; }
  // "constructor \t objects before \t after \t Δ objects \t Δ bytes \t Δ retained" per row shown.
  QStringList comparisonRows() const;
  // Highest listener count per (emitter, event) up to the position, highest first.
  const std::vector<ListenerGrowth>& listeners() const { return m_visibleListeners; }
  QStringList listenerRows() const;
  // "GC so far: ..." as shown.
  QString gcText() const;
  // The one-line diagnosis shown above the tables ("" when nothing stands out).
  QString findingText() const;

  QSize sizeHint() const override { return {560, 420}; }

 Q_SIGNALS:
  // The user asked for a heap snapshot now (live runs): the main window sends the engine
  // `snapshot LABEL`.
  void snapshotRequested();
  // A row was clicked: select that event everywhere.
  void eventActivated(size_t eventIndex);

 private:
  void refreshSnapshots();
  void rebuildComparison();
  void rebuildListeners(size_t position);
  void rebuildGc(size_t position);
  void updateFinding();

  const Trace* m_trace = nullptr;
  size_t m_position = 0;
  MemoryIndex m_index;  // snapshots, collections and listener counts, read once as the trace grows
  std::vector<Snapshot> m_visibleSnapshots;
  int64_t m_before = -1, m_after = -1;  // chosen snapshot numbers (-1 = default)
  bool m_userChose = false;
  std::vector<ClassDelta> m_comparison;
  std::vector<ListenerGrowth> m_visibleListeners;
  size_t m_listenersShown = size_t(-1);
  size_t m_gcShown = size_t(-1);

  QPushButton* m_takeSnapshot;
  QLabel* m_finding;
  QComboBox* m_beforeBox;
  QComboBox* m_afterBox;
  QTableWidget* m_comparisonTable;
  QTableWidget* m_listenerTable;
  QLabel* m_gc;
};

}  // namespace loopscope::ui
