// The choices that change what the analysis finds, not how it is drawn: the loop-health
// thresholds (model/trace/health.h's HealthOptions, whose defaults are the only place the 50 ms
// budget is written) and whether Node's own callbacks are shown beside the learner's. One object
// per window; the views that depend on a choice observe it here instead of being told by a
// neighbour, and the window keeps it in the user's settings.
//
// GUI thread only.
#pragma once

#include <QObject>

#include "trace/health.h"

namespace loopscope::ui {

class AnalysisSettings : public QObject {
  Q_OBJECT
 public:
  // The threshold a user can choose, in ms (the Health tab's box offers the same range).
  static constexpr int kMinBlockedThresholdMs = 1;
  static constexpr int kMaxBlockedThresholdMs = 60'000;

  explicit AnalysisSettings(QObject* parent = nullptr) : QObject(parent) {}

  const HealthOptions& health() const { return m_health; }
  // A callback (or a nextTick/microtask chain) at least this long blocks the loop.
  int blockedThresholdMs() const { return int(m_health.blockedThresholdNs / 1'000'000); }
  // Clamped to the range above; emits healthOptionsChanged() when the value changes.
  void setBlockedThresholdMs(int ms);

  // View ▸ Show Node internals: Node's own callbacks in the queue cards, Events tab, console tags
  // and callback stepping. The timeline and the exports always keep them.
  bool showInternals() const { return m_showInternals; }
  void setShowInternals(bool show);

 Q_SIGNALS:
  void healthOptionsChanged();
  void showInternalsChanged(bool show);

 private:
  HealthOptions m_health;
  bool m_showInternals = false;
};

}  // namespace loopscope::ui
