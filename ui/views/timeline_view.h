// The run on a time axis (QCustomPlot): lanes for phases, callbacks, nextTick/microtask drains,
// each pool slot and GC; below them heap spaces and loop utilisation. Zoom with the wheel, pan by
// dragging, double-click to see everything; hover a span for what it was, click it to select its
// event everywhere. A play head follows the other views.
//
// Built for long runs: spans are collected once, incrementally (TimelineSpans), and drawing
// visits only what is on screen, merging spans thinner than a pixel into one-pixel columns.
// GUI thread only; the Trace must outlive the view and only grow between calls.
#pragma once

#include <QColor>
#include <QPoint>
#include <QStringList>
#include <QWidget>
#include <memory>

#include "timeline_spans.h"

class QCustomPlot;
class QCPAxisRect;
class QCPGraph;
class QCPItemStraightLine;
class QCPPainter;
class QCPAxis;
class QMouseEvent;

namespace loopscope::ui {

class SpanPlottable;

class TimelineView : public QWidget {
  Q_OBJECT
 public:
  explicit TimelineView(QWidget* parent = nullptr);
  ~TimelineView() override;

  void setTrace(const Trace* trace);
  // New events were appended (live run). Cheap: reads only the new events and queues a redraw.
  void traceGrew();
  // A vertical line at the time of events()[position - 1] (none at 0). If it leaves the visible
  // range, the view scrolls to keep it in sight.
  void setPlayhead(size_t position);
  // Writes the timeline as .png, .svg or .pdf (by extension). Returns false on failure or an
  // unknown extension.
  bool saveImage(const QString& path, int width = 0, int height = 0);
  // Shows the whole run.
  void fitAll();

  const TimelineSpans& spans() const { return m_spans; }
  QStringList laneNames() const;
  // The text of the tooltip for the span under a widget position ("" if none).
  QString describeAt(const QPoint& pos) const;
  // The start event of the span under a widget position, or size_t(-1).
  size_t eventAt(const QPoint& pos) const;
  QCustomPlot* plot() const { return m_plot; }

  QSize sizeHint() const override { return {900, 320}; }

 Q_SIGNALS:
  void eventClicked(size_t eventIndex);

 protected:
  void changeEvent(QEvent* event) override;

 private:
  friend class SpanPlottable;
  void drawSpans(QCPPainter* painter, QCPAxis* keyAxis, QCPAxis* valueAxis) const;
  void rebuildLaneAxis();
  void appendSeries();
  void applyTheme();
  const TimelineSpan* spanAt(const QPoint& pos, int* laneOut) const;
  QString spanText(const TimelineSpan& span, int lane, bool longForm) const;
  QColor styleColor(SpanStyle style) const;
  void onMousePress(QMouseEvent* event);
  void onMouseMove(QMouseEvent* event);
  void onMouseRelease(QMouseEvent* event);

  const Trace* m_trace = nullptr;
  TimelineSpans m_spans;
  QCustomPlot* m_plot;
  QCPAxisRect* m_lanesRect;
  QCPAxisRect* m_seriesRect;
  SpanPlottable* m_spanPlottable;
  QCPGraph* m_newSpaceGraph;
  QCPGraph* m_oldSpaceGraph;
  QCPGraph* m_utilisationGraph;
  QCPItemStraightLine* m_playheadTop;
  QCPItemStraightLine* m_playheadBottom;
  size_t m_seriesAdded[3] = {0, 0, 0};  // points already handed to each graph
  int m_laneAxisLanes = -1;
  bool m_followAll = true;  // no zoom/pan by the user yet: keep the whole run in view
  QPoint m_pressPos;
  bool m_pressed = false;
};

}  // namespace loopscope::ui
