#include "health_analysis.h"

#include "analysis_settings.h"
#include "trace/trace.h"

namespace loopscope::ui {

HealthAnalysis::HealthAnalysis(AnalysisSettings& settings, QObject* parent) : QObject(parent), m_settings(&settings) {
  connect(&settings, &AnalysisSettings::healthOptionsChanged, this, &HealthAnalysis::analyse);
}

HealthAnalysis* HealthAnalysis::createOwnedBy(QObject* owner) {
  return new HealthAnalysis(*new AnalysisSettings(owner), owner);
}

void HealthAnalysis::setTrace(const Trace* trace) {
  m_trace = trace;
  analyse();
}

void HealthAnalysis::traceGrew() {
  if (!m_trace || m_trace->size() == m_analysedSize) return;
  if (m_trace->runEnd() || !m_sinceAnalysis.isValid() || m_sinceAnalysis.elapsed() > 1000) analyse();
}

void HealthAnalysis::analyse() {
  m_sinceAnalysis.start();
  m_warnings.clear();
  m_iterations.clear();
  m_analysedSize = m_trace ? m_trace->size() : 0;
  if (m_trace && m_settings) {
    m_warnings = findHealthWarnings(*m_trace, m_settings->health());
    m_iterations = iterationHealth(*m_trace);
  }
  Q_EMIT changed();
}

}  // namespace loopscope::ui
