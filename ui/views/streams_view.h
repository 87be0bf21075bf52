// Streams and backpressure: one gauge per stream side, buffered bytes against highWaterMark.
// A writable whose write() returned false is lit in the warning colour until 'drain': the moment
// well-behaved code stops writing. GUI thread only.
#pragma once

#include <QStringList>
#include <QWidget>

#include "recording_view.h"

namespace loopscope::ui {

class StreamsView : public QWidget, public StateView {
  Q_OBJECT
 public:
  explicit StreamsView(QWidget* parent = nullptr);
  void showState(const LoopState& state) override;

  // One line per stream: "Writable #3 · writable 20 KB / 16 KB · write() returned false";
  // {"No streams yet"} when there are none.
  QStringList streamTexts() const;

  QSize sizeHint() const override { return {300, 200}; }
  QSize minimumSizeHint() const override { return {160, 100}; }  // a third of a dashboard squeezed by a lesson dock

 protected:
  void paintEvent(QPaintEvent* event) override;
  bool event(QEvent* event) override;

 private:
  QString streamToolTip(const StreamState& s) const;
  double rowHeight(const StreamState& s) const;

  LoopState m_state;
};

}  // namespace loopscope::ui
