// The run on a time axis (QCustomPlot): lanes for phases, callbacks, nextTick/microtask drains,
// each pool slot, each worker thread's loop, child processes, V8's JIT and GC, with arrows between
// threads; loop-health warnings (blocked loop, starvation) as red bands over the main loop's lanes.
// Below them two plots: heap spaces with GC pauses, and per iteration the loop's busy time and
// utilisation. Zoom with the wheel, pan by dragging, double-click to see everything; hover a span,
// marker or warning for what it was, click it to select its event everywhere. A play head follows
// the other views.
//
// Built for long runs: spans are collected once, incrementally (TimelineSpans), and drawing
// visits only what is on screen, merging spans thinner than a pixel into one-pixel columns.
// GUI thread only; the Trace must outlive the view and only grow between calls.
#pragma once

#include <QColor>
#include <QPoint>
#include <QStringList>
#include <QWidget>
#include <array>
#include <memory>
#include <vector>

#include "interpret/timeline_spans.h"
#include "recording_view.h"
#include "trace/health.h"

class QCustomPlot;
class QCPAxisRect;
class QCPGraph;
class QCPItemStraightLine;
class QCPLegend;
class QCPPainter;
class QCPAxis;
class QMouseEvent;
class QScrollArea;

namespace loopscope::ui {

class HealthAnalysis;
class SpanPlottable;

class TimelineView : public QWidget, public RecordingView {
  Q_OBJECT
 public:
  // `analysis` (the loop-health warnings drawn as red bands) is shared with the other views of
  // the window; without one the view has its own.
  explicit TimelineView(HealthAnalysis* analysis = nullptr, QWidget* parent = nullptr);
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
  // A callback (or a nextTick/microtask chain) at least this long is a blocked-loop warning
  // (starvation too, for a chain). Default 50 ms.
  // (The window's AnalysisSettings: the Health tab shows the same value.)
  void setBlockedThresholdMs(int ms);
  int blockedThresholdMs() const;
  // The loop-health warnings drawn on the lanes (the HealthAnalysis, with the threshold above).
  const std::vector<HealthWarning>& healthWarnings() const;

  void showRecording(const RecordingSource& source) override { setTrace(source.trace); }
  void recordingGrew() override { traceGrew(); }
  void showMoment(size_t position, const LoopState&) override { setPlayhead(position); }

  const TimelineSpans& spans() const { return m_spans; }
  QStringList laneNames() const;
  // The text of the tooltip for the span under a widget position ("" if none).
  QString describeAt(const QPoint& pos) const;
  // The start event of the span under a widget position, or size_t(-1).
  size_t eventAt(const QPoint& pos) const;
  QCustomPlot* plot() const { return m_plot; }

  // "Why did this run?": arrows from the moment each callback of a chain was created to the
  // moment it ran (pairs of event indexes), drawn over the callbacks lanes; {} removes them.
  struct OriginArrow {
    size_t createdAt = 0;
    size_t ranAt = 0;
  };
  void setOriginArrows(std::vector<OriginArrow> arrows);
  const std::vector<OriginArrow>& originArrows() const { return m_originArrows; }

  QSize sizeHint() const override { return {900, 320}; }

 Q_SIGNALS:
  void eventClicked(size_t eventIndex);

 protected:
  void changeEvent(QEvent* event) override;
  void resizeEvent(QResizeEvent* event) override;

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
  QScrollArea* m_scroll;  // holds m_plot: scrolls vertically when the lanes need more height
  QCPAxisRect* m_lanesRect;
  QCPAxisRect* m_seriesRect;
  SpanPlottable* m_spanPlottable;
  QCPAxisRect* m_loopRect;
  QCPGraph* m_newSpaceGraph;
  QCPGraph* m_oldSpaceGraph;
  QCPGraph* m_largeSpaceGraph;
  QCPGraph* m_gcPauseGraph;
  QCPGraph* m_busyGraph;
  QCPGraph* m_utilisationGraph;
  QCPLegend* m_loopLegend;
  QCPItemStraightLine* m_thresholdLine;
  std::vector<QCPItemStraightLine*> m_playheads;  // one per axis rect
  static constexpr size_t kSeries = 6;
  size_t m_seriesAdded[kSeries] = {};     // points already handed to each graph
  double m_heapTailMs[3] = {-1, -1, -1};  // the trailing point of each heap line (-1 = none)
  HealthAnalysis* m_health;
  bool m_ownsHealth;
  void placeThresholdLine();
  void drawMarkers(QCPPainter* painter, QCPAxis* keyAxis, const TimelineLane& lane, double laneTop, double laneHeight,
                   const std::array<QColor, 64>& colors) const;
  void drawFlows(QCPPainter* painter, QCPAxis* keyAxis, QCPAxis* valueAxis) const;
  void drawWarnings(QCPPainter* painter, QCPAxis* keyAxis, QCPAxis* valueAxis) const;
  void drawOriginArrows(QCPPainter* painter, QCPAxis* keyAxis, QCPAxis* valueAxis) const;
  std::vector<OriginArrow> m_originArrows;
  QString markerText(const TimelineSpan& marker) const;
  QString warningText(const HealthWarning& warning) const;
  const HealthWarning* warningAt(int lane, double ms, double toleranceMs) const;
  int m_laneAxisLanes = -1;
  // Shares `height` pixels between the lanes and the two plots below them (see the .cpp).
  void fitToHeight(int height);
  void setPlotsShown(bool shown);
  bool m_plotsShown = true;  // the heap and loop plots under the lanes
  bool m_followAll = true;   // no zoom/pan by the user yet: keep the whole run in view
  QPoint m_pressPos;
  bool m_pressed = false;
};

}  // namespace loopscope::ui
