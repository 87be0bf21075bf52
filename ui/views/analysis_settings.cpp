#include "analysis_settings.h"

#include <algorithm>

namespace loopscope::ui {

void AnalysisSettings::setBlockedThresholdMs(int ms) {
  ms = std::clamp(ms, kMinBlockedThresholdMs, kMaxBlockedThresholdMs);
  if (ms == blockedThresholdMs()) return;
  m_health.blockedThresholdNs = uint64_t(ms) * 1'000'000;
  Q_EMIT healthOptionsChanged();
}

void AnalysisSettings::setShowInternals(bool show) {
  if (show == m_showInternals) return;
  m_showInternals = show;
  Q_EMIT showInternalsChanged(show);
}

}  // namespace loopscope::ui
