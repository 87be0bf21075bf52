// Is the loop healthy? The warnings of model/trace/health.h — a callback (or the main script)
// that ran longer than the threshold and blocked the loop; a nextTick/microtask chain that kept it
// from reaching its next phase — with when, how long, and the offending callback and line; and the
// loop's utilisation and busy time per iteration (mean, percentiles, the worst iteration), the
// numbers an engineer chasing a p99 latency looks at first.
//
// Clicking a warning selects its first event everywhere (eventActivated). The threshold box and
// TimelineView::setBlockedThresholdMs should be kept in step by the window (blockedThresholdChanged).
// GUI thread only; the Trace must outlive the panel and only grow between calls.
#pragma once

#include <QElapsedTimer>
#include <QStringList>
#include <QWidget>
#include <vector>

#include "trace/health.h"

class QLabel;
class QSpinBox;
class QTableWidget;

namespace loopscope::ui {

class HealthPanel : public QWidget {
  Q_OBJECT
 public:
  explicit HealthPanel(QWidget* parent = nullptr);

  void setTrace(const Trace* trace);
  // Shows the warnings that started within the first `position` events and the iterations that
  // finished by then. During a live run the analysis (a pass over the whole trace) is refreshed
  // about once a second, and when the run ends.
  void showUpTo(size_t position);
  // Re-analyses the whole trace now.
  void refresh();
  void setBlockedThresholdMs(int ms);
  int blockedThresholdMs() const;

  const std::vector<HealthWarning>& warnings() const { return m_warnings; }
  // The rows shown: "kind \t when \t duration \t callback \t line".
  QStringList warningRows() const;
  // The utilisation summary as plain text.
  QString summaryText() const;

  QSize sizeHint() const override { return {560, 320}; }

 Q_SIGNALS:
  void eventActivated(size_t eventIndex);
  void blockedThresholdChanged(int ms);

 private:
  void rebuild(size_t position);

  const Trace* m_trace = nullptr;
  size_t m_analysedSize = 0;
  size_t m_position = 0;
  size_t m_shownWarnings = size_t(-1);
  size_t m_shownIterations = size_t(-1);
  std::vector<HealthWarning> m_warnings;
  std::vector<IterationHealth> m_iterations;
  QElapsedTimer m_sinceAnalysis;
  QSpinBox* m_threshold;
  QLabel* m_summary;
  QTableWidget* m_table;
};

}  // namespace loopscope::ui
