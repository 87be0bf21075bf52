// Is the loop healthy? The warnings of model/trace/health.h — a callback (or the main script)
// that ran longer than the threshold and blocked the loop; a nextTick/microtask chain that kept it
// from reaching its next phase — with when, how long, and the offending callback and line; and the
// loop's utilisation and busy time per iteration (mean, percentiles, the worst iteration), the
// numbers an engineer chasing a p99 latency looks at first.
//
// Clicking a warning selects its first event everywhere (eventActivated). The findings come from
// the window's HealthAnalysis, shared with the timeline, and the threshold box edits its
// AnalysisSettings, so the two always agree. GUI thread only; the Trace must outlive the panel
// and only grow between calls.
#pragma once

#include <QStringList>
#include <QWidget>
#include <vector>

#include "recording_view.h"
#include "trace/health.h"

class QLabel;
class QSpinBox;
class QTableWidget;

namespace loopscope::ui {

class HealthAnalysis;

class HealthPanel : public QWidget, public RecordingView {
  Q_OBJECT
 public:
  // `analysis` is shared with the other views of the window; without one the panel has its own.
  explicit HealthPanel(HealthAnalysis* analysis = nullptr, QWidget* parent = nullptr);

  // With an analysis of its own, the panel also keeps it on `trace`; a shared one is the
  // window's to keep.
  void setTrace(const Trace* trace);
  // Shows the warnings that started within the first `position` events and the iterations that
  // finished by then.
  void showUpTo(size_t position);
  // The threshold (the window's AnalysisSettings).
  void setBlockedThresholdMs(int ms);
  int blockedThresholdMs() const;

  void showRecording(const RecordingSource& source) override { setTrace(source.trace); }
  void recordingGrew() override;
  void showMoment(size_t position, const LoopState&) override { showUpTo(position); }

  const std::vector<HealthWarning>& warnings() const;
  // The rows shown: "kind \t when \t duration \t callback \t line".
  QStringList warningRows() const;
  // The utilisation summary as plain text.
  QString summaryText() const;

  QSize sizeHint() const override { return {560, 320}; }

 Q_SIGNALS:
  void eventActivated(size_t eventIndex);

 private:
  void rebuild(size_t position);

  HealthAnalysis* m_analysis;
  bool m_ownsAnalysis;
  const Trace* m_trace = nullptr;
  size_t m_position = 0;
  size_t m_shownWarnings = size_t(-1);
  size_t m_shownIterations = size_t(-1);
  QSpinBox* m_threshold;
  QLabel* m_summary;
  QTableWidget* m_table;
};

}  // namespace loopscope::ui
