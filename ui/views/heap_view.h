// V8's heap by generation: the new space (young objects, emptied by frequent cheap scavenges) and
// the old space (survivors, collected by rarer mark-sweep-compacts), with the small spaces, GC
// counts, and a flash while a collection runs. GUI thread only.
#pragma once

#include <QRectF>
#include <QStringList>
#include <QWidget>

#include <vector>

#include "recording_view.h"

namespace loopscope::ui {

class HeapView : public QWidget, public StateView {
  Q_OBJECT
 public:
  explicit HeapView(QWidget* parent = nullptr);
  void showState(const LoopState& state) override;

  // "scavenge running" while a GC runs, "" otherwise.
  QString collectingText() const;
  // "3 scavenges · 1 mark-sweep-compact"
  QString countsText() const;
  // The upper end of a gauge for `bytes`: a power-of-two number of MB with headroom, so the gauge
  // neither looks always full nor jumps scale on every small change.
  static int64_t gaugeScale(int64_t bytes, int64_t minimum);
  // The labels the last paint drew (space names and the legend of the small spaces; elided only
  // if a single one is wider than the view), so a test can see what a class would
  // read, and where each one's text lies.
  const QStringList& drawnLabels() const { return m_drawnLabels; }
  const std::vector<QRectF>& drawnLabelRects() const { return m_drawnLabelRects; }

  QSize sizeHint() const override { return {300, 200}; }
  QSize minimumSizeHint() const override { return {160, 130}; }  // a third of a dashboard squeezed by a lesson dock

 protected:
  void paintEvent(QPaintEvent* event) override;

 private:
  LoopState m_state;
  QStringList m_drawnLabels;
  std::vector<QRectF> m_drawnLabelRects;
};

}  // namespace loopscope::ui
