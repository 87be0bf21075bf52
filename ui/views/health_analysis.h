// The loop-health findings for the recording on screen — the warnings and each iteration's
// health (model/trace/health.h) — computed once for every view that shows them (the Health tab,
// the timeline's red bands, a video's timeline) with the window's AnalysisSettings.
//
// Finding them reads the whole trace, so while a live run grows they are found again at most
// once a second, and once more when the run has ended; a changed threshold finds them at once.
// GUI thread only; the Trace must outlive the analysis and only grow between calls.
#pragma once

#include <QElapsedTimer>
#include <QObject>
#include <QPointer>

#include <vector>

#include "trace/health.h"

namespace loopscope::ui {

class AnalysisSettings;

class HealthAnalysis : public QObject {
  Q_OBJECT
 public:
  explicit HealthAnalysis(AnalysisSettings& settings, QObject* parent = nullptr);
  // For a view used on its own (a test, a tool): an analysis with settings of its own, both
  // children of `owner`.
  static HealthAnalysis* createOwnedBy(QObject* owner);

  // The settings it follows; the Health tab's threshold box writes them.
  AnalysisSettings& settings() const { return *m_settings; }
  // Another trace (nullptr: none): found at once.
  void setTrace(const Trace* trace);
  const Trace* trace() const { return m_trace; }
  // The trace grew (a live run): found again if a second has passed or the run has ended.
  void traceGrew();

  const std::vector<HealthWarning>& warnings() const { return m_warnings; }
  const std::vector<IterationHealth>& iterations() const { return m_iterations; }

 Q_SIGNALS:
  // The findings were replaced (new trace, more of it, another threshold).
  void changed();

 private:
  void analyse();

  QPointer<AnalysisSettings> m_settings;
  const Trace* m_trace = nullptr;
  size_t m_analysedSize = 0;
  QElapsedTimer m_sinceAnalysis;
  std::vector<HealthWarning> m_warnings;
  std::vector<IterationHealth> m_iterations;
};

}  // namespace loopscope::ui
