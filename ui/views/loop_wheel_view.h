// The event loop as a wheel: libuv's phases as a ring in the order uv_run visits them, the active
// one lit, the iteration count in the middle, and the two "gates" every callback passes on its
// way out (Node drains the nextTick queue, then the microtask queue, after each callback).
//
// Painted with QPainter so it scales from a 300 px dock to a projector. GUI thread only.
#pragma once

#include <QRectF>
#include <QWidget>

#include <vector>

#include "recording_view.h"

namespace loopscope::ui {

class LoopWheelView : public QWidget, public StateView {
  Q_OBJECT
 public:
  explicit LoopWheelView(QWidget* parent = nullptr);

  void showState(const LoopState& state) override;

  // The lit phase; Phase::Main when no segment is lit (main script, before start, finished).
  Phase highlightedPhase() const;
  // Which gate is lit: the running callback is a nextTick / a promise reaction or microtask.
  bool nextTickGateLit() const;
  bool microtaskGateLit() const;
  // The text in the middle of the wheel, line by line (for tests and for screen readers).
  QStringList centerLines() const;
  // The phase names on the ring as the last paint drew them, and where (whole, never elided:
  // a test checks that each lies inside the widget).
  struct RingLabel {
    QString text;
    QRectF rect;
  };
  const std::vector<RingLabel>& ringLabels() const { return m_ringLabels; }

  QSize sizeHint() const override { return {300, 300}; }
  QSize minimumSizeHint() const override { return {180, 180}; }

 protected:
  void paintEvent(QPaintEvent* event) override;
  bool event(QEvent* event) override;

 private:
  struct Geometry;
  Geometry geometry() const;
  QString toolTipAt(const QPointF& pos) const;
  QString statusLine() const;

  LoopState m_state;
  std::vector<RingLabel> m_ringLabels;
};

}  // namespace loopscope::ui
