// The event table: an EventTableModel in a QTableView that follows the play head and lets the
// user pick an event (which the main window then selects everywhere). GUI thread only.
#pragma once

#include <QTableView>

#include "event_table_model.h"
#include "recording_view.h"

namespace loopscope::ui {

class EventTableView : public QTableView, public RecordingView {
  Q_OBJECT
 public:
  explicit EventTableView(QWidget* parent = nullptr);

  EventTableModel* eventModel() const { return m_model; }
  void setTrace(const Trace* trace) { m_model->setTrace(trace); }
  void traceGrew() { m_model->traceGrew(); }

  // Selects the row of the last event applied at `position` (the state after `position` events)
  // and scrolls to it; emits nothing.
  void setCurrentPosition(size_t position);

  void showRecording(const RecordingSource& source) override { setTrace(source.trace); }
  void recordingGrew() override { traceGrew(); }
  void showMoment(size_t position, const LoopState&) override { setCurrentPosition(position); }

 Q_SIGNALS:
  // The user clicked or activated (Enter, double-click) the row of this event.
  void eventActivated(size_t eventIndex);

 private:
  EventTableModel* m_model;
};

}  // namespace loopscope::ui
