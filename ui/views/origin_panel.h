// "Why did this run?": the origin chain of the selected callback — the callback, what scheduled
// it (and when, on which line), what scheduled that, back to the main script — from each async
// resource's triggerAsyncId and creation record (model/interpret/origins.h).
//
// The window selects a callback when the user clicks a queue card, a timeline span, an event row
// or a console line (selectAtEvent / selectCallback). Clicking a row here moves the play head to
// where that step was created (the "ran" column: to where it ran); jumpTarget() gives the
// window's jump key (Ctrl+J) its target: the selected callback's creation, and back again.
// GUI thread only; the Trace must outlive the panel's use of it.
#pragma once

#include <QJsonObject>
#include <QWidget>
#include <optional>
#include <vector>

#include "interpret/origins.h"
#include "recording_view.h"
#include "trace/loop_state.h"

class QLabel;
class QTableWidget;

namespace loopscope::ui {

class OriginPanel : public QWidget, public RecordingView {
  Q_OBJECT
 public:
  explicit OriginPanel(QWidget* parent = nullptr);

  // A new recording (or none): forgets the selection.
  void setTrace(const Trace* trace);
  void showRecording(const RecordingSource& source) override { setTrace(source.trace); }
  // The chain does not depend on the play head (the jump key asks for it with jumpTarget()).
  void showMoment(size_t, const LoopState&) override {}
  // Selects the callback of an async resource (0 = none) and shows its chain.
  void selectCallback(int64_t asyncId);
  // Selects the callback an event is about — the one it runs, schedules or creates — or else the
  // callback that was running when it happened (`timeline` is the trace's). Returns whether one
  // was found; if not, the selection stays.
  bool selectAtEvent(size_t eventIndex, const LoopTimeline& timeline);
  int64_t selectedCallback() const { return m_selected; }
  // The selected callback first, then what scheduled it, back to the main script.
  const std::vector<OriginStep>& chain() const { return m_chain; }
  // "onTimer (setTimeout, line 3)"; "" when nothing is selected.
  QString selectionText() const;

  // Where the jump key takes the play head from `position`: just after the selected callback's
  // creation record; pressed again there, back to where it was. nullopt when nothing is selected
  // or its creation was not recorded.
  std::optional<size_t> jumpTarget(size_t position);

  // {"asyncId", "label", "chain": [{asyncId, type, kind, label, function, file, line, createdAt,
  // ranAt}]} for --dump-state; createdAt/ranAt are null when not recorded.
  QJsonObject toJson() const;

  // The rows shown, "kind · callback · created · ran" (tests).
  QStringList rowTexts() const;

  QSize sizeHint() const override { return {560, 260}; }

 Q_SIGNALS:
  // The selection (and so the chain) changed.
  void chainChanged();
  // The user clicked a step: move the play head just after this event.
  void eventActivated(size_t eventIndex);

 private:
  void rebuild();
  QString stepKind(const OriginStep& step) const;
  QString stepName(const OriginStep& step) const;
  QString timeOf(size_t eventIndex) const;

  const Trace* m_trace = nullptr;
  int64_t m_selected = 0;
  std::vector<OriginStep> m_chain;
  std::optional<size_t> m_jumpedFrom;  // where the jump key was pressed, to go back
  QLabel* m_summary;
  QTableWidget* m_table;
};

}  // namespace loopscope::ui
