#include "timeline_view.h"

#include "analysis_settings.h"
#include "health_analysis.h"

#include "interpret/records.h"
#include "interpret/units.h"

#include <QEvent>
#include <QResizeEvent>
#include <QScrollArea>
#include <QScrollBar>
#include <QFileInfo>
#include <QPainterPath>
#include <QSvgGenerator>
#include <QToolTip>
#include <QVBoxLayout>
#include <algorithm>
#include <cmath>
#include <limits>
#include "qcustomplot_include.h"

#include "event_table_model.h"
#include "human_units.h"
#include "phase_colors.h"

namespace loopscope::ui {

// Draws the lanes' spans straight from TimelineSpans: a QCPItem or a bar per span would not
// survive a million callbacks.
class SpanPlottable : public QCPAbstractPlottable {
 public:
  SpanPlottable(QCPAxis* key, QCPAxis* value, const TimelineView* view)
      : QCPAbstractPlottable(key, value), m_view(view) {
    setAntialiased(false);  // crisp pixel-aligned blocks
    setSelectable(QCP::stNone);
  }
  double selectTest(const QPointF&, bool, QVariant*) const override { return -1; }
  QCPRange getKeyRange(bool& found, QCP::SignDomain) const override {
    found = true;
    return {0, std::max(1.0, m_view->m_spans.lastMs())};
  }
  QCPRange getValueRange(bool& found, QCP::SignDomain, const QCPRange&) const override {
    found = true;
    return {-0.5, double(m_view->m_spans.lanes().size()) - 0.5};
  }

 protected:
  void draw(QCPPainter* painter) override { m_view->drawSpans(painter, keyAxis(), valueAxis()); }
  void drawLegendIcon(QCPPainter*, const QRectF&) const override {}

 private:
  const TimelineView* m_view;
};

TimelineView::TimelineView(HealthAnalysis* analysis, QWidget* parent)
    : QWidget(parent),
      m_plot(new QCustomPlot(this)),
      m_health(analysis ? analysis : HealthAnalysis::createOwnedBy(this)),
      m_ownsHealth(!analysis) {
  auto* layout = new QVBoxLayout(this);
  layout->setContentsMargins(0, 0, 0, 0);
  // Many lanes (pool slots, workers) in a short tab scroll vertically rather than shrink their
  // labels past reading (see fitToHeight()). Time is never scrolled here: it zooms and pans.
  m_scroll = new QScrollArea(this);
  m_scroll->setFrameShape(QFrame::NoFrame);
  m_scroll->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
  m_scroll->setWidgetResizable(true);
  m_scroll->setWidget(m_plot);
  layout->addWidget(m_scroll);
  m_plot->setNoAntialiasingOnDrag(true);
  m_plot->setInteractions(QCP::iRangeDrag | QCP::iRangeZoom);

  m_lanesRect = m_plot->axisRect();
  m_lanesRect->setRangeDrag(Qt::Horizontal);
  m_lanesRect->setRangeZoom(Qt::Horizontal);
  QCPAxis* laneAxis = m_lanesRect->axis(QCPAxis::atLeft);
  laneAxis->setRangeReversed(true);  // first lane on top
  laneAxis->grid()->setVisible(false);
  laneAxis->setTickLength(0, 0);
  laneAxis->setSubTicks(false);
  m_lanesRect->axis(QCPAxis::atBottom)->setTickLabels(false);

  // Below the lanes: heap spaces with GC pauses, then the loop's health per iteration.
  m_seriesRect = new QCPAxisRect(m_plot);
  m_loopRect = new QCPAxisRect(m_plot);
  m_plot->plotLayout()->addElement(1, 0, m_seriesRect);
  m_plot->plotLayout()->addElement(2, 0, m_loopRect);
  m_plot->plotLayout()->setRowStretchFactor(0, 2.6);
  m_plot->plotLayout()->setRowStretchFactor(1, 0.8);
  m_plot->plotLayout()->setRowStretchFactor(2, 0.8);
  m_plot->plotLayout()->setRowSpacing(0);
  for (QCPAxisRect* rect : {m_seriesRect, m_loopRect}) {
    rect->setRangeDrag(Qt::Horizontal);
    rect->setRangeZoom(Qt::Horizontal);
    rect->axis(QCPAxis::atRight)->setVisible(true);
    rect->axis(QCPAxis::atLeft)->ticker()->setTickCount(3);
    rect->axis(QCPAxis::atRight)->ticker()->setTickCount(3);
  }
  m_seriesRect->axis(QCPAxis::atBottom)->setTickLabels(false);
  m_seriesRect->axis(QCPAxis::atLeft)->setLabel(tr("heap MB"));
  m_seriesRect->axis(QCPAxis::atRight)->setLabel(tr("GC pause ms"));
  m_loopRect->axis(QCPAxis::atBottom)->setLabel(tr("ms since the run started"));
  m_loopRect->axis(QCPAxis::atLeft)->setLabel(tr("busy ms"));
  m_loopRect->axis(QCPAxis::atRight)->setLabel(tr("loop busy %"));
  m_loopRect->axis(QCPAxis::atRight)->setRange(0, 105);
  // All rects share one time axis: the left margins line up and zoom/pan move them together.
  auto* margins = new QCPMarginGroup(m_plot);
  QCPAxis* topTime = m_lanesRect->axis(QCPAxis::atBottom);
  for (QCPAxisRect* rect : {m_lanesRect, m_seriesRect, m_loopRect}) {
    rect->setMarginGroup(QCP::msLeft | QCP::msRight, margins);
    QCPAxis* time = rect->axis(QCPAxis::atBottom);
    if (time == topTime) continue;
    connect(topTime, qOverload<const QCPRange&>(&QCPAxis::rangeChanged), time,
            qOverload<const QCPRange&>(&QCPAxis::setRange));
    connect(time, qOverload<const QCPRange&>(&QCPAxis::rangeChanged), topTime,
            qOverload<const QCPRange&>(&QCPAxis::setRange));
  }

  m_spanPlottable = new SpanPlottable(topTime, laneAxis, this);
  auto graph = [&](QCPAxisRect* rect, QCPAxis::AxisType value, const QString& name, QCPGraph::LineStyle style) {
    QCPGraph* g = m_plot->addGraph(rect->axis(QCPAxis::atBottom), rect->axis(value));
    g->setName(name);
    g->setLineStyle(style);
    return g;
  };
  m_newSpaceGraph = graph(m_seriesRect, QCPAxis::atLeft, tr("new space"), QCPGraph::lsStepLeft);
  m_oldSpaceGraph = graph(m_seriesRect, QCPAxis::atLeft, tr("old space"), QCPGraph::lsStepLeft);
  m_largeSpaceGraph = graph(m_seriesRect, QCPAxis::atLeft, tr("large objects"), QCPGraph::lsStepLeft);
  m_gcPauseGraph = graph(m_seriesRect, QCPAxis::atRight, tr("GC pause"), QCPGraph::lsImpulse);
  m_busyGraph = graph(m_loopRect, QCPAxis::atLeft, tr("busy ms per iteration"), QCPGraph::lsLine);
  m_utilisationGraph = graph(m_loopRect, QCPAxis::atRight, tr("utilisation % (not waiting in poll)"), QCPGraph::lsLine);
  // One legend row in the corner of each plot: they are short and must stay readable.
  m_loopLegend = new QCPLegend;
  m_loopRect->insetLayout()->addElement(m_loopLegend, Qt::AlignTop | Qt::AlignRight);
  m_loopLegend->setLayer(QStringLiteral("legend"));
  for (QCPLegend* legend : {m_plot->legend, m_loopLegend}) {
    legend->setVisible(true);
    legend->setFillOrder(QCPLayoutGrid::foColumnsFirst);
    legend->setWrap(4);
    legend->setRowSpacing(0);
    legend->setIconSize(14, 8);
  }
  m_seriesRect->insetLayout()->addElement(m_plot->legend, Qt::AlignTop | Qt::AlignRight);
  for (QCPGraph* g : {m_busyGraph, m_utilisationGraph}) {
    g->removeFromLegend();
    g->addToLegend(m_loopLegend);
  }
  m_spanPlottable->removeFromLegend();  // the lanes are labelled on their axis instead

  m_thresholdLine = new QCPItemStraightLine(m_plot);
  m_thresholdLine->setClipAxisRect(m_loopRect);
  for (QCPItemPosition* p : {m_thresholdLine->point1, m_thresholdLine->point2}) {
    p->setAxes(m_loopRect->axis(QCPAxis::atBottom), m_loopRect->axis(QCPAxis::atLeft));
    p->setAxisRect(m_loopRect);
  }
  placeThresholdLine();
  connect(m_health, &HealthAnalysis::changed, this, [this] {
    placeThresholdLine();
    m_plot->replot(QCustomPlot::rpQueuedReplot);
  });

  for (QCPAxisRect* rect : {m_lanesRect, m_seriesRect, m_loopRect}) {
    auto* line = new QCPItemStraightLine(m_plot);
    line->setClipAxisRect(rect);
    for (QCPItemPosition* p : {line->point1, line->point2}) {
      p->setAxes(rect->axis(QCPAxis::atBottom), rect->axis(QCPAxis::atLeft));
      p->setAxisRect(rect);
    }
    line->setVisible(false);
    m_playheads.push_back(line);
  }

  connect(m_plot, &QCustomPlot::mousePress, this, &TimelineView::onMousePress);
  connect(m_plot, &QCustomPlot::mouseMove, this, &TimelineView::onMouseMove);
  connect(m_plot, &QCustomPlot::mouseRelease, this, &TimelineView::onMouseRelease);
  connect(m_plot, &QCustomPlot::mouseDoubleClick, this, [this] { fitAll(); });
  connect(m_plot, &QCustomPlot::mouseWheel, this, [this] { m_followAll = false; });
  m_plot->setMouseTracking(true);
  applyTheme();
  setTrace(nullptr);
}

TimelineView::~TimelineView() = default;

QStringList TimelineView::laneNames() const {
  QStringList names;
  for (const TimelineLane& lane : m_spans.lanes()) names << qstr(lane.name);
  return names;
}

void TimelineView::applyTheme() {
  const QPalette pal = palette();
  const QColor text = pal.color(QPalette::WindowText);
  const QColor grid = faded(text, pal, 0.85);
  m_plot->setBackground(pal.brush(QPalette::Window));
  QFont axisFont = font();
  QFont labelFont = font();
  for (QCPAxisRect* rect : {m_lanesRect, m_seriesRect, m_loopRect}) {
    rect->setBackground(pal.brush(QPalette::Base));
    for (QCPAxis* axis : rect->axes()) {
      axis->setBasePen(QPen(text));
      axis->setTickPen(QPen(text));
      axis->setSubTickPen(QPen(text));
      axis->setTickLabelColor(text);
      axis->setLabelColor(text);
      axis->setTickLabelFont(axisFont);
      axis->setLabelFont(labelFont);
      axis->grid()->setPen(QPen(grid, 1, Qt::DotLine));
    }
  }
  for (QCPLegend* legend : {m_plot->legend, m_loopLegend}) {
    legend->setBrush(QBrush(faded(pal.color(QPalette::Base), pal, 0.1)));
    legend->setTextColor(text);
    legend->setFont(font());
    legend->setBorderPen(QPen(grid));
  }
  m_newSpaceGraph->setPen(QPen(gcColor(GcScavenge, pal), 2));
  m_oldSpaceGraph->setPen(QPen(gcColor(GcMarkSweepCompact, pal), 2));
  m_largeSpaceGraph->setPen(QPen(phaseColor(Phase::Pending, pal), 2));
  m_gcPauseGraph->setPen(QPen(faded(gcColor(0, pal), pal, 0.2), 2));
  // Busy time is the headline (how long an event could wait): filled; utilisation is a thin line.
  m_busyGraph->setPen(QPen(phaseColor(Phase::Main, pal), 1.5));
  QColor busyFill = phaseColor(Phase::Main, pal);
  busyFill.setAlpha(70);
  m_busyGraph->setBrush(busyFill);
  m_utilisationGraph->setPen(QPen(phaseColor(Phase::Poll, pal), 1.5));
  m_thresholdLine->setPen(QPen(errorColor(pal), 1.5, Qt::DashLine));
  QPen play(pal.color(QPalette::Highlight), 2);
  for (QCPItemStraightLine* line : m_playheads) line->setPen(play);
  m_laneAxisLanes = -1;
  rebuildLaneAxis();
  m_plot->replot(QCustomPlot::rpQueuedReplot);
}

void TimelineView::changeEvent(QEvent* event) {
  QWidget::changeEvent(event);
  if (event->type() == QEvent::PaletteChange || event->type() == QEvent::FontChange) applyTheme();
}

void TimelineView::rebuildLaneAxis() {
  const auto& lanes = m_spans.lanes();
  if (int(lanes.size()) == m_laneAxisLanes) return;
  m_laneAxisLanes = int(lanes.size());
  auto ticker = QSharedPointer<QCPAxisTickerText>::create();
  for (size_t i = 0; i < lanes.size(); ++i) ticker->addTick(double(i), qstr(lanes[i].name));
  QCPAxis* laneAxis = m_lanesRect->axis(QCPAxis::atLeft);
  laneAxis->setTicker(ticker);
  laneAxis->setRange(-0.5, std::max<double>(1, double(lanes.size())) - 0.5);
  fitToHeight(height());
}

void TimelineView::resizeEvent(QResizeEvent* event) {
  QWidget::resizeEvent(event);
  fitToHeight(height());
}

// Every lane needs a line of its own for its label, and the heap and loop plots need about 70 px
// each to be read at all. A 1280×720 window gives the timeline tab about 200 px, which is not
// enough for both: the plots go first (the dashboard's heap view and the Health tab show the same
// numbers), then the lane labels shrink to fit, so labels never overlap. They stop shrinking at
// 70 % of the widget's font (9 pt with the presentation font, read from the back of a
// classroom); lanes that still do not fit make the plot taller than `height` and the view scrolls.
void TimelineView::fitToHeight(int height) {
  if (height <= 0) return;
  const int lanes = std::max(1, int(m_spans.lanes().size()));
  const double basePoints = font().pointSizeF() > 0 ? font().pointSizeF() : 9.0;
  const double smallestLabel = std::max(7.0, basePoints * 0.7);
  QFont laneFont = font();
  laneFont.setPointSizeF(std::max(smallestLabel, basePoints * 0.85));
  // The time axis (ticks, numbers and its title) and the plot's own margins.
  const double timeAxis = QFontMetricsF(font()).height() * 2.4 + 12;
  constexpr double kPlotsNeed = 2 * 70;
  const double lanesNeed = lanes * QFontMetricsF(laneFont).height();
  const bool plots = height >= lanesNeed + timeAxis + kPlotsNeed;
  setPlotsShown(plots);
  double laneSpace = height - timeAxis;
  if (plots) {
    // The lanes get their share, or more when they need it (many pool slots and workers).
    const double share = std::max(2.6 / 4.2, std::min(0.8, (lanesNeed + 8) / laneSpace));
    m_plot->plotLayout()->setRowStretchFactor(0, share);
    m_plot->plotLayout()->setRowStretchFactor(1, (1 - share) / 2);
    m_plot->plotLayout()->setRowStretchFactor(2, (1 - share) / 2);
    laneSpace *= share;
  }
  while (QFontMetricsF(laneFont).height() * lanes > laneSpace && laneFont.pointSizeF() - 0.5 >= smallestLabel)
    laneFont.setPointSizeF(laneFont.pointSizeF() - 0.5);
  const double lanesAtSmallest = QFontMetricsF(laneFont).height() * lanes;
  m_plot->setMinimumHeight(lanesAtSmallest > laneSpace ? int(std::ceil(lanesAtSmallest + timeAxis)) : 0);
  m_lanesRect->axis(QCPAxis::atLeft)->setTickLabelFont(laneFont);
  m_plot->replot(QCustomPlot::rpQueuedReplot);
}

void TimelineView::setPlotsShown(bool shown) {
  if (shown == m_plotsShown) return;
  m_plotsShown = shown;
  QCPLayoutGrid* grid = m_plot->plotLayout();
  QCPAxis* laneTime = m_lanesRect->axis(QCPAxis::atBottom);
  if (!shown) {
    grid->take(m_seriesRect);
    grid->take(m_loopRect);
    grid->simplify();
  } else {
    grid->addElement(1, 0, m_seriesRect);
    grid->addElement(2, 0, m_loopRect);
  }
  for (QCPAxisRect* rect : {m_seriesRect, m_loopRect}) {
    rect->setVisible(shown);
    // A hidden rect would still widen the shared margins with its axis titles.
    rect->setMarginGroup(QCP::msLeft | QCP::msRight, shown ? m_lanesRect->marginGroup(QCP::msLeft) : nullptr);
  }
  m_thresholdLine->setVisible(shown);
  for (QCPItemStraightLine* line : m_playheads)
    if (line->clipAxisRect() != m_lanesRect) line->setVisible(shown && line->visible());
  // Without the plots the lanes carry the time axis themselves.
  laneTime->setTickLabels(!shown);
  laneTime->setLabel(shown ? QString() : tr("ms since the run started"));
}

void TimelineView::setTrace(const Trace* trace) {
  m_trace = trace;
  m_spans.reset(trace);
  for (QCPGraph* g :
       {m_newSpaceGraph, m_oldSpaceGraph, m_largeSpaceGraph, m_gcPauseGraph, m_busyGraph, m_utilisationGraph})
    g->data()->clear();
  std::fill(std::begin(m_seriesAdded), std::end(m_seriesAdded), 0);
  std::fill(std::begin(m_heapTailMs), std::end(m_heapTailMs), -1.0);
  m_followAll = true;
  for (QCPItemStraightLine* line : m_playheads) line->setVisible(false);
  m_laneAxisLanes = -1;
  m_originArrows.clear();
  // The value axes only grow while a run streams in; a new trace starts them small again, or a
  // 3 MB run would be drawn on the 0–4,000 MB scale of the run before it.
  for (QCPAxis* axis :
       {m_seriesRect->axis(QCPAxis::atLeft), m_seriesRect->axis(QCPAxis::atRight), m_loopRect->axis(QCPAxis::atLeft)})
    axis->setRange(0, 1.25);
  if (m_ownsHealth) m_health->setTrace(trace);
  traceGrew();
  fitAll();
}

void TimelineView::appendSeries() {
  auto feed = [](QCPGraph* g, const std::vector<SeriesPoint>& points, size_t& added) {
    if (added >= points.size()) return;
    QVector<double> keys, values;
    keys.reserve(qsizetype(points.size() - added));
    values.reserve(qsizetype(points.size() - added));
    for (size_t i = added; i < points.size(); ++i) {
      keys << points[i].ms;
      values << points[i].value;
    }
    g->addData(keys, values, true);
    added = points.size();
  };
  // Heap sizes are known at each GC's end and hold until the next: the step line is carried on
  // to the end of the recording by one trailing point, moved as the run grows.
  auto feedHeap = [&](QCPGraph* g, const std::vector<SeriesPoint>& points, size_t& added, double& tail) {
    if (tail >= 0) g->data()->remove(tail);
    tail = -1;
    feed(g, points, added);
    if (!points.empty() && m_spans.lastMs() > points.back().ms) {
      tail = m_spans.lastMs();
      g->addData(tail, points.back().value);
    }
  };
  feedHeap(m_newSpaceGraph, m_spans.newSpaceMb(), m_seriesAdded[0], m_heapTailMs[0]);
  feedHeap(m_oldSpaceGraph, m_spans.oldSpaceMb(), m_seriesAdded[1], m_heapTailMs[1]);
  feedHeap(m_largeSpaceGraph, m_spans.largeObjectSpaceMb(), m_seriesAdded[2], m_heapTailMs[2]);
  feed(m_gcPauseGraph, m_spans.gcPauseMs(), m_seriesAdded[3]);
  // Each iteration is a plateau as wide as the iteration: one long blocked iteration must look
  // long, not like a spike at its start.
  auto feedIterations = [&](QCPGraph* g, const std::vector<SeriesPoint>& points, size_t& added) {
    const auto& ends = m_spans.loopIterationEndMs();
    if (added >= points.size()) return;
    QVector<double> keys, values;
    for (size_t i = added; i < points.size() && i < ends.size(); ++i) {
      keys << points[i].ms << ends[i];
      values << points[i].value << points[i].value;
    }
    g->addData(keys, values, true);
    added = points.size();
  };
  feedIterations(m_busyGraph, m_spans.loopBusyMs(), m_seriesAdded[4]);
  feedIterations(m_utilisationGraph, m_spans.loopUtilisation(), m_seriesAdded[5]);
  // Value axes grow with the data and never shrink while a run streams in, so the picture does
  // not jump; only the newest points are scanned (the earlier ones set the range already).
  auto fit = [](QCPAxis* axis, std::initializer_list<const std::vector<SeriesPoint>*> series, double minimum) {
    double top = minimum;
    for (const auto* points : series)
      for (size_t i = points->size() > 4096 ? points->size() - 4096 : 0; i < points->size(); ++i)
        top = std::max(top, (*points)[i].value);
    if (axis->range().upper < top * 1.1 || axis->range().lower != 0) axis->setRange(0, top * 1.25);
  };
  fit(m_seriesRect->axis(QCPAxis::atLeft),
      {&m_spans.newSpaceMb(), &m_spans.oldSpaceMb(), &m_spans.largeObjectSpaceMb()}, 1);
  fit(m_seriesRect->axis(QCPAxis::atRight), {&m_spans.gcPauseMs()}, 1);
  fit(m_loopRect->axis(QCPAxis::atLeft), {&m_spans.loopBusyMs()}, 1);
}

void TimelineView::traceGrew() {
  if (!m_spans.update() && m_trace) return;
  rebuildLaneAxis();
  appendSeries();
  if (m_ownsHealth) m_health->traceGrew();
  if (m_followAll) fitAll();
  m_plot->replot(QCustomPlot::rpQueuedReplot);
}

const std::vector<HealthWarning>& TimelineView::healthWarnings() const {
  // While the window swaps recordings the shared analysis may be on the other one for a moment.
  static const std::vector<HealthWarning> kNone;
  return m_health->trace() == m_trace ? m_health->warnings() : kNone;
}

int TimelineView::blockedThresholdMs() const { return m_health->settings().blockedThresholdMs(); }

void TimelineView::setBlockedThresholdMs(int ms) { m_health->settings().setBlockedThresholdMs(ms); }

void TimelineView::placeThresholdLine() {
  const double ms = blockedThresholdMs();
  m_thresholdLine->point1->setCoords(0, ms);
  m_thresholdLine->point2->setCoords(1, ms);
}

void TimelineView::fitAll() {
  m_followAll = true;
  double end = std::max(1.0, m_spans.lastMs());
  m_lanesRect->axis(QCPAxis::atBottom)->setRange(-end * 0.01, end * 1.02);
  m_plot->replot(QCustomPlot::rpQueuedReplot);
}

void TimelineView::setPlayhead(size_t position) {
  if (!m_trace || position == 0 || position > m_trace->size()) {
    for (QCPItemStraightLine* line : m_playheads) line->setVisible(false);
    m_plot->replot(QCustomPlot::rpQueuedReplot);
    return;
  }
  const double ms = m_spans.msOf(m_trace->events()[position - 1].ts);
  for (QCPItemStraightLine* line : m_playheads) {
    line->point1->setCoords(ms, 0);
    line->point2->setCoords(ms, 1);
    line->setVisible(line->clipAxisRect()->visible());
  }
  QCPAxis* time = m_lanesRect->axis(QCPAxis::atBottom);
  if (!time->range().contains(ms)) {
    // Keep the zoom, move the window so the play head sits at a third from the left.
    double w = time->range().size();
    time->setRange(ms - w / 3, ms + 2 * w / 3);
  }
  m_plot->replot(QCustomPlot::rpQueuedReplot);
}

QColor TimelineView::styleColor(SpanStyle style) const {
  const QPalette pal = palette();
  auto v = uint8_t(style);
  if (v < uint8_t(Phase::Count)) return phaseColor(Phase(v), pal);
  if (v >= uint8_t(SpanStyle::FamilyMainScript) && v <= uint8_t(SpanStyle::FamilyOther))
    return callbackColor(CallbackFamily(v - uint8_t(SpanStyle::FamilyMainScript)), pal);
  switch (style) {
    case SpanStyle::PoolJob: return phaseColor(Phase::Poll, pal).darker(115);
    case SpanStyle::GcYoung: return gcColor(GcScavenge, pal);
    case SpanStyle::GcOld: return gcColor(GcMarkSweepCompact, pal);
    case SpanStyle::GcOther: return gcColor(0, pal);
    case SpanStyle::DrainEnd: return pal.color(QPalette::WindowText);
    case SpanStyle::WorkerStartup: return faded(threadFlowColor(pal), pal, 0.55);
    case SpanStyle::ChildRunning: return childProcessColor(pal);
    case SpanStyle::ChildFailed: return errorColor(pal);
    case SpanStyle::IpcToChild:
    case SpanStyle::IpcFromChild: return threadFlowColor(pal);
    case SpanStyle::JitSparkplug: return jitTierColor(JitTier::Sparkplug, pal);
    case SpanStyle::JitTurboFan: return jitTierColor(JitTier::TurboFan, pal);
    case SpanStyle::JitDeopt: return warningColor(pal);
    default: return pal.color(QPalette::Mid);
  }
}

void TimelineView::drawSpans(QCPPainter* painter, QCPAxis* keyAxis, QCPAxis* valueAxis) const {
  const auto& lanes = m_spans.lanes();
  const QCPRange visible = keyAxis->range();
  const double lastMs = m_spans.lastMs();
  // Colours once per frame, not per span.
  std::array<QColor, 64> colors;
  for (size_t i = 0; i < colors.size(); ++i) colors[i] = styleColor(SpanStyle(i));
  // Node's own callbacks in the same hue, washed out: present, but not competing for attention.
  std::array<QColor, 64> mutedColors;
  for (size_t i = 0; i < colors.size(); ++i) mutedColors[i] = faded(colors[i], palette(), 0.6);
  const QColor outline = palette().color(QPalette::Base);
  QFont labelFont = font();
  labelFont.setPointSizeF(std::max(7.0, font().pointSizeF() * 0.85));
  painter->setFont(labelFont);
  const QFontMetrics fm(labelFont);
  struct Label {
    QRectF rect;
    QString text;
    QColor color;
  };
  std::vector<Label> labels;

  for (size_t laneIdx = 0; laneIdx < lanes.size(); ++laneIdx) {
    const TimelineLane& lane = lanes[laneIdx];
    const double top = valueAxis->coordToPixel(double(laneIdx) - 0.42);
    const double bottom = valueAxis->coordToPixel(double(laneIdx) + 0.42);
    const double laneTop = std::min(top, bottom), laneHeight = std::abs(bottom - top);
    // Nested tracks share the lane: depth 0 fills it, deeper ones step down in flame-graph style.
    const size_t depthRows = std::clamp<size_t>(lane.tracks.size(), 1, 4);
    const double rowHeight = laneHeight / double(depthRows);
    for (size_t t = 0; t < lane.tracks.size(); ++t) {
      const auto& spans = lane.tracks[t];
      const size_t row = std::min(t, depthRows - 1);
      const double y = laneTop + rowHeight * double(row);
      const bool flame = lane.kind == TimelineLane::Kind::Callbacks || lane.kind == TimelineLane::Kind::Drains ||
                         lane.kind == TimelineLane::Kind::WorkerCallbacks;
      // Child processes that overlap share the lane in rows; nested callbacks step down.
      const double h = flame                                       ? laneHeight - rowHeight * double(row)
                       : lane.kind == TimelineLane::Kind::Children ? rowHeight
                                                                   : laneHeight;
      auto it = std::lower_bound(spans.begin(), spans.end(), visible.lower,
                                 [](const TimelineSpan& s, double v) { return s.endMs < v; });
      while (it != spans.end() && it->startMs <= visible.upper) {
        const double end = it->open() ? lastMs : it->endMs;
        double x0 = keyAxis->coordToPixel(it->startMs), x1 = keyAxis->coordToPixel(end);
        const QColor& color = (it->internal ? mutedColors : colors)[size_t(it->style) % colors.size()];
        if (x1 - x0 < 1.0) {
          // Thinner than a pixel: paint this pixel column once and jump past every other span
          // that would land in it. Zoomed out over millions of spans, this bounds the work by
          // the width of the plot, not the length of the trace.
          double px = std::floor(x0);
          painter->fillRect(QRectF(px, y, 1.0, h), color);
          double nextMs = keyAxis->pixelToCoord(px + 1.0);
          auto next = std::upper_bound(it + 1, spans.end(), nextMs,
                                       [](double v, const TimelineSpan& s) { return v < s.startMs; });
          // Spans never overlap within a track, so of those starting in this column only the
          // last can reach beyond it; that one is still drawn (unless it is this very span).
          it = (next - 1 != it && (next - 1)->endMs > nextMs) ? next - 1 : next;
          continue;
        }
        QRectF r(x0, y, x1 - x0, h);
        painter->fillRect(r, color);
        if (r.width() > 3) {
          painter->setPen(QPen(outline, 1));
          painter->drawLine(QPointF(x1, y), QPointF(x1, y + h));  // separates back-to-back spans
        }
        if (r.width() > fm.height() * 2.5 && h >= fm.height())
          labels.push_back({QRectF(x0 + 3, y, x1 - x0 - 6, std::min(h, rowHeight)), spanText(*it, int(laneIdx), false),
                            textColorOn(color)});
        ++it;
      }
    }
    if (!lane.markers.empty()) drawMarkers(painter, keyAxis, lane, laneTop, laneHeight, colors);
  }
  drawWarnings(painter, keyAxis, valueAxis);
  drawFlows(painter, keyAxis, valueAxis);
  drawOriginArrows(painter, keyAxis, valueAxis);
  // Labels last, so a later span's fill never covers an earlier span's text.
  painter->setAntialiasing(true);
  for (const Label& l : labels) {
    painter->setPen(l.color);
    painter->drawText(l.rect, Qt::AlignLeft | Qt::AlignVCenter,
                      fm.elidedText(l.text, Qt::ElideRight, int(l.rect.width())));
  }
  painter->setAntialiasing(false);
}

void TimelineView::drawMarkers(QCPPainter* painter, QCPAxis* keyAxis, const TimelineLane& lane, double laneTop,
                               double laneHeight, const std::array<QColor, 64>& colors) const {
  const QCPRange visible = keyAxis->range();
  auto it = std::lower_bound(lane.markers.begin(), lane.markers.end(), visible.lower,
                             [](const TimelineSpan& s, double v) { return s.startMs < v; });
  // One mark per pixel column: of the markers landing in it, the most telling (a deopt over a
  // TurboFan compile over a Sparkplug one), so a burst of baseline compiles never hides a deopt.
  auto drawOne = [&](double px, SpanStyle style) {
    const QColor& color = colors[size_t(style) % colors.size()];
    switch (style) {
      case SpanStyle::DrainEnd:
        painter->setPen(QPen(color, 1));
        painter->drawLine(QPointF(px, laneTop), QPointF(px, laneTop + laneHeight * 0.3));
        break;
      case SpanStyle::JitSparkplug:
        painter->setPen(QPen(color, 1));
        painter->drawLine(QPointF(px, laneTop + laneHeight * 0.6), QPointF(px, laneTop + laneHeight));
        break;
      case SpanStyle::JitTurboFan:
      case SpanStyle::JitDeopt:
      case SpanStyle::IpcToChild:
      case SpanStyle::IpcFromChild: {
        painter->setPen(QPen(color, 2));
        painter->drawLine(QPointF(px, laneTop), QPointF(px, laneTop + laneHeight));
        // A small triangle on top: pointing down for a deopt and a message into the child,
        // up for an optimization and a message out of it.
        const bool down = style == SpanStyle::JitDeopt || style == SpanStyle::IpcToChild;
        const double s = std::max(3.0, laneHeight * 0.18);
        const double y =
            style == SpanStyle::IpcToChild || style == SpanStyle::IpcFromChild ? laneTop + laneHeight / 2 : laneTop + s;
        QPolygonF tri;
        if (down)
          tri << QPointF(px - s, y - s) << QPointF(px + s, y - s) << QPointF(px, y + s * 0.4);
        else
          tri << QPointF(px - s, y + s * 0.4) << QPointF(px + s, y + s * 0.4) << QPointF(px, y - s);
        painter->setPen(Qt::NoPen);
        painter->setBrush(color);
        painter->setAntialiasing(true);
        painter->drawPolygon(tri);
        painter->setAntialiasing(false);
        painter->setBrush(Qt::NoBrush);
        break;
      }
      default: break;
    }
  };
  double columnPx = -1;
  SpanStyle columnStyle = SpanStyle::DrainEnd;
  for (; it != lane.markers.end() && it->startMs <= visible.upper; ++it) {
    const double px = std::floor(keyAxis->coordToPixel(it->startMs)) + 0.5;
    if (px != columnPx) {
      if (columnPx >= 0) drawOne(columnPx, columnStyle);
      columnPx = px;
      columnStyle = it->style;
    } else if (uint8_t(it->style) > uint8_t(columnStyle)) {
      columnStyle = it->style;
    }
  }
  if (columnPx >= 0) drawOne(columnPx, columnStyle);
}

void TimelineView::drawWarnings(QCPPainter* painter, QCPAxis* keyAxis, QCPAxis* valueAxis) const {
  if (healthWarnings().empty()) return;
  const int first = m_spans.laneIndex(TimelineLane::Kind::Phases);
  const int last = m_spans.laneIndex(TimelineLane::Kind::Drains);
  if (first < 0 || last < 0) return;
  const double top = valueAxis->coordToPixel(double(first) - 0.5);
  const double bottom = valueAxis->coordToPixel(double(last) + 0.5);
  const QCPRange visible = keyAxis->range();
  const QPalette pal = palette();
  const QColor red = errorColor(pal);
  QColor band = red;
  band.setAlpha(55);
  QFont bold = font();
  bold.setBold(true);
  bold.setPointSizeF(std::max(7.0, font().pointSizeF() * 0.85));
  const QFontMetrics fm(bold);
  painter->setFont(bold);
  for (const HealthWarning& w : healthWarnings()) {
    const double startMs = m_spans.msOf(w.startNs);
    const double endMs = startMs + double(w.durationNs) / 1e6;
    if (endMs < visible.lower || startMs > visible.upper) continue;
    double x0 = keyAxis->coordToPixel(startMs), x1 = keyAxis->coordToPixel(endMs);
    if (x1 - x0 < 3) x1 = x0 + 3;  // a warning must stay visible when zoomed far out
    const QRectF r(x0, std::min(top, bottom), x1 - x0, std::abs(bottom - top));
    painter->fillRect(r, band);
    painter->setPen(QPen(red, 1.5));
    painter->drawLine(QPointF(x0, r.top()), QPointF(x0, r.bottom()));
    painter->drawLine(QPointF(x1, r.top()), QPointF(x1, r.bottom()));
    // A short caption in the band's top corner: what and where, the tooltip has the sentence.
    const QString caption = QStringLiteral("⚠ %1 %2%3")
                                .arg(w.kind == HealthWarning::Kind::BlockedLoop ? tr("blocked") : tr("starved"),
                                     humanDuration(int64_t(w.durationNs)),
                                     w.line > 0        ? tr(" · line %1").arg(w.line)
                                     : w.label.empty() ? QString()
                                                       : QStringLiteral(" · ") + qstr(w.label));
    const QRectF textRect(x0 + 3, r.top() + 1, std::max(fm.horizontalAdvance(caption) + 6.0, x1 - x0 - 6),
                          fm.height() + 2);
    QColor plate = pal.color(QPalette::Base);
    plate.setAlpha(200);
    painter->fillRect(QRectF(textRect.left() - 2, textRect.top(), fm.horizontalAdvance(caption) + 4, textRect.height()),
                      plate);
    painter->setPen(red);
    painter->drawText(textRect, Qt::AlignLeft | Qt::AlignVCenter, caption);
  }
}

void TimelineView::drawFlows(QCPPainter* painter, QCPAxis* keyAxis, QCPAxis* valueAxis) const {
  const auto& flows = m_spans.flows();
  if (flows.empty()) return;
  const QCPRange visible = keyAxis->range();
  const QPalette pal = palette();
  painter->setAntialiasing(true);
  double lastX0 = -1e9, lastX1 = -1e9;
  int lastFrom = -1;
  auto first = std::lower_bound(flows.begin(), flows.end(), visible.lower,
                                [](const TimelineFlow& f, double v) { return f.toMs < v; });
  const double lastTo = visible.upper + m_spans.maxFlowSpanMs();
  for (auto it = first; it != flows.end() && it->toMs <= lastTo; ++it) {
    const TimelineFlow& f = *it;
    if (f.fromMs > visible.upper) continue;
    const int fromLane = m_spans.laneIndex(f.fromLane, f.fromSlot);
    const int toLane = m_spans.laneIndex(f.toLane, f.toSlot);
    if (fromLane < 0 || toLane < 0) continue;
    const double x0 = keyAxis->coordToPixel(f.fromMs), x1 = keyAxis->coordToPixel(f.toMs);
    // Many messages in one pixel column read as one arrow.
    if (std::abs(x0 - lastX0) < 2 && std::abs(x1 - lastX1) < 2 && fromLane == lastFrom) continue;
    lastX0 = x0;
    lastX1 = x1;
    lastFrom = fromLane;
    const double down = toLane > fromLane ? 1.0 : -1.0;
    const double y0 = valueAxis->coordToPixel(double(fromLane) + 0.3 * down);
    const double y1 = valueAxis->coordToPixel(double(toLane) - 0.3 * down);
    const bool ipc = f.kind == TimelineFlow::Kind::IpcToChild || f.kind == TimelineFlow::Kind::IpcFromChild;
    QColor color = ipc ? childProcessColor(pal) : threadFlowColor(pal);
    if (f.kind == TimelineFlow::Kind::WorkerMessage) color = microtaskColor(pal);
    painter->setPen(QPen(color, 1.5, f.kind == TimelineFlow::Kind::WorkerStart ? Qt::DashLine : Qt::SolidLine));
    const QPointF from(x0, y0), to(x1, y1);
    painter->drawLine(from, to);
    const QLineF line(to, from);
    const double len = line.length();
    if (len < 1) continue;
    const QPointF unit = (from - to) / len;
    const QPointF normal(-unit.y(), unit.x());
    const double head = 7;
    QPolygonF arrow;
    arrow << to << to + unit * head + normal * head * 0.45 << to + unit * head - normal * head * 0.45;
    painter->setPen(Qt::NoPen);
    painter->setBrush(color);
    painter->drawPolygon(arrow);
    painter->setBrush(Qt::NoBrush);
  }
  painter->setAntialiasing(false);
}

void TimelineView::setOriginArrows(std::vector<OriginArrow> arrows) {
  m_originArrows = std::move(arrows);
  // Arrows squeezed into a few pixels (or out of view) are no answer: the view then frames them.
  if (m_trace && !m_originArrows.empty()) {
    double first = std::numeric_limits<double>::max(), last = 0;
    for (const OriginArrow& a : m_originArrows)
      for (size_t index : {a.createdAt, a.ranAt})
        if (index < m_trace->size()) {
          const double ms = m_spans.msOf(m_trace->events()[index].ts);
          first = std::min(first, ms);
          last = std::max(last, ms);
        }
    QCPAxis* time = m_lanesRect->axis(QCPAxis::atBottom);
    const double pixels = std::abs(time->coordToPixel(last) - time->coordToPixel(first));
    if (first <= last && (pixels < 80 || !time->range().contains(first) || !time->range().contains(last))) {
      const double margin = std::max((last - first) * 0.25, 0.05);
      m_followAll = false;
      time->setRange(first - margin, last + margin);
    }
  }
  m_plot->replot(QCustomPlot::rpQueuedReplot);
}

// Each arrow arcs over the callbacks lane from the creation (a dot: the moment the scheduling
// call ran, inside its caller's span) to the start of the callback it created (the arrow head).
void TimelineView::drawOriginArrows(QCPPainter* painter, QCPAxis* keyAxis, QCPAxis* valueAxis) const {
  if (!m_trace || m_originArrows.empty()) return;
  const auto& events = m_trace->events();
  auto laneOf = [this](uint8_t thread) {
    return isWorkerThread(thread)
               ? m_spans.laneIndex(TimelineLane::Kind::WorkerCallbacks, thread - kFirstWorkerThread + 1)
               : m_spans.laneIndex(TimelineLane::Kind::Callbacks);
  };
  const QColor color = palette().color(QPalette::Highlight);
  const QColor halo = palette().color(QPalette::Base);
  painter->setAntialiasing(true);
  for (const OriginArrow& a : m_originArrows) {
    if (a.createdAt >= events.size() || a.ranAt >= events.size()) continue;
    const Event& from = events[a.createdAt];
    const Event& to = events[a.ranAt];
    const int fromLane = laneOf(from.thread), toLane = laneOf(to.thread);
    if (fromLane < 0 || toLane < 0) continue;
    const QPointF p0(keyAxis->coordToPixel(m_spans.msOf(from.ts)), valueAxis->coordToPixel(double(fromLane) - 0.2));
    const QPointF p1(keyAxis->coordToPixel(m_spans.msOf(to.ts)), valueAxis->coordToPixel(double(toLane) - 0.2));
    const double rise = std::clamp(std::abs(p1.x() - p0.x()) / 3, 14.0, 40.0);
    const QPointF control((p0.x() + p1.x()) / 2, std::min(p0.y(), p1.y()) - rise);
    QPainterPath path(p0);
    path.quadTo(control, p1);
    painter->setBrush(Qt::NoBrush);
    painter->setPen(QPen(halo, 5, Qt::SolidLine, Qt::RoundCap));  // readable over any span colour
    painter->drawPath(path);
    painter->setPen(QPen(color, 2.2, Qt::SolidLine, Qt::RoundCap));
    painter->drawPath(path);
    painter->setPen(QPen(halo, 1.5));
    painter->setBrush(color);
    painter->drawEllipse(p0, 4, 4);
    // The head points along the curve's last stretch, from the control point to the end.
    const QLineF last(control, p1);
    if (last.length() >= 1) {
      const QPointF unit = (p1 - control) / last.length();
      const QPointF normal(-unit.y(), unit.x());
      const double head = 9;
      QPolygonF arrow;
      arrow << p1 << p1 - unit * head + normal * head * 0.45 << p1 - unit * head - normal * head * 0.45;
      painter->drawPolygon(arrow);
    }
    painter->setBrush(Qt::NoBrush);
  }
  painter->setAntialiasing(false);
}

QString TimelineView::warningText(const HealthWarning& w) const {
  QString text = w.kind == HealthWarning::Kind::BlockedLoop ? tr("<b>⚠ Blocked loop</b>") : tr("<b>⚠ Starvation</b>");
  text += tr("<br>%1").arg(qstr(w.message).toHtmlEscaped());
  if (w.line > 0) text += tr("<br>offending code: line %1").arg(w.line);
  if (!w.label.empty()) text += tr(" (%1)").arg(qstr(w.label).toHtmlEscaped());
  text += tr("<br>%1 → %2 ms (%3)")
              .arg(m_spans.msOf(w.startNs), 0, 'f', 3)
              .arg(m_spans.msOf(w.startNs) + double(w.durationNs) / 1e6, 0, 'f', 3)
              .arg(humanDuration(int64_t(w.durationNs)));
  return text;
}

const HealthWarning* TimelineView::warningAt(int lane, double ms, double tolerance) const {
  const int first = m_spans.laneIndex(TimelineLane::Kind::Phases);
  const int last = m_spans.laneIndex(TimelineLane::Kind::Drains);
  if (lane < first || lane > last) return nullptr;
  for (const HealthWarning& w : healthWarnings()) {
    const double start = m_spans.msOf(w.startNs);
    if (ms + tolerance >= start && ms - tolerance <= start + double(w.durationNs) / 1e6) return &w;
  }
  return nullptr;
}

QString TimelineView::markerText(const TimelineSpan& marker) const {
  if (!m_trace || marker.startEvent >= m_trace->size()) return {};
  const Event& ev = m_trace->events()[marker.startEvent];
  const QString at = tr("<br>at %1 ms").arg(marker.startMs, 0, 'f', 3);
  switch (ev.kind) {
    case EventKind::JitOptimized: {
      const auto jit = as<record::JitOptimized>(ev);
      const bool turbofan = jit.tier == JitTier::TurboFan;
      QString text = tr("<b>optimized: %1</b><br>tier: %2")
                         .arg(qstr(m_trace->str(jit.functionString)).toHtmlEscaped(),
                              turbofan ? tr("TurboFan (optimizing compiler)") : tr("Sparkplug (baseline compiler)"));
      if (!m_trace->str(jit.reasonString).empty())
        text += tr("<br>V8's reason: %1").arg(qstr(m_trace->str(jit.reasonString)).toHtmlEscaped());
      if (jit.compileMicros > 0)
        text += tr("<br>compile time: %1").arg(humanDuration(saturatingMul(jit.compileMicros, 1000)));
      return text + at;
    }
    case EventKind::JitDeoptimized: {
      const auto deopt = as<record::JitDeoptimized>(ev);
      QString text = tr("<b>deoptimized: %1</b><br>V8's reason: %2")
                         .arg(qstr(m_trace->str(deopt.functionString)).toHtmlEscaped(),
                              qstr(m_trace->str(deopt.reasonString)).toHtmlEscaped());
      if (!m_trace->str(deopt.bailoutKindString).empty())
        text += tr(" (%1)").arg(qstr(m_trace->str(deopt.bailoutKindString)).toHtmlEscaped());
      text += tr("<br>its optimized code is thrown away; it runs in the interpreter until V8 optimizes it again");
      return text + at;
    }
    case EventKind::IpcMessage: {
      const auto ipc = as<record::IpcMessage>(ev);
      const bool toChild = ipc.direction == IpcDirection::ToChild;
      return (toChild ? tr("<b>IPC message to child %1</b>") : tr("<b>IPC message from child %1</b>"))
                 .arg(ipc.childPid) +
             tr("<br>%1 of JSON").arg(humanBytes(ipc.bytes)) + at;
    }
    case EventKind::MicrotaskDrainEnd: return tr("<b>microtask queue drained</b>") + at;
    default: return qstr(kindName(ev.kind)) + at;
  }
}

QString TimelineView::spanText(const TimelineSpan& span, int lane, bool longForm) const {
  if (!m_trace || span.startEvent >= m_trace->size()) return {};
  const Event& ev = m_trace->events()[span.startEvent];
  const TimelineLane& l = m_spans.lanes()[size_t(lane)];
  const double end = span.open() ? m_spans.lastMs() : span.endMs;
  const QString duration = humanDuration(int64_t((end - span.startMs) * 1e6));
  QString text;
  switch (ev.kind) {
    case EventKind::PhaseEnter: {
      const auto enter = as<record::PhaseEnter>(ev);
      text = phaseTitle(enter.phase);
      if (longForm) {
        text = isWorkerThread(ev.thread)
                   ? tr("<b>%1 phase</b> of worker #%2's loop").arg(text).arg(int(ev.thread) - kFirstWorkerThread + 1)
                   : tr("<b>%1 phase</b>").arg(text);
        if (enter.phase == Phase::Poll)
          text += enter.pollTimeoutMs < 0 ? tr("<br>timeout: none") : tr("<br>timeout: %1 ms").arg(enter.pollTimeoutMs);
        text += QStringLiteral("<br>") + phaseExplanation(enter.phase).toHtmlEscaped();
      }
      break;
    }
    case EventKind::CallbackEnter: {
      const int64_t id = as<record::CallbackEnter>(ev).asyncId;
      QString type = qstr(m_trace->asyncType(id));
      QString label = id == 1 ? tr("main script") : qstr(m_trace->callbackLabel(id));
      if (label.isEmpty()) label = type;
      text = longForm ? tr("<b>%1</b><br>%2 · async id %3").arg(label.toHtmlEscaped(), type).arg(id) : label;
      break;
    }
    case EventKind::AsyncInit: {  // a worker's start-up, from `new Worker()`
      text = tr("starting");
      if (longForm) {
        const AsyncInfo* info = m_trace->async(as<record::AsyncInit>(ev).asyncId);
        const FunctionSiteInfo* site = info ? m_trace->site(info->site) : nullptr;
        text = tr("<b>worker #%1 starting</b><br>from <code>new Worker()</code>%2 until its event loop starts; "
                  "the worker's script then runs inside its first poll phase")
                   .arg(l.slot)
                   .arg(site && site->line > 0 ? tr(" (line %1)").arg(site->line) : QString());
      }
      break;
    }
    case EventKind::ChildSpawn: {
      const auto spawn = as<record::ChildSpawn>(ev);
      const ChildProcessInfo* child = m_spans.child(spawn.pid);
      QString command = qstr(m_trace->str(spawn.commandString));
      QString exit;
      if (child && child->exited)
        exit = !m_trace->str(child->signalString).empty()
                   ? tr("killed by %1").arg(qstr(m_trace->str(child->signalString)))
                   : tr("exit %1").arg(child->exitCode);
      text = tr("pid %1%2").arg(spawn.pid).arg(exit.isEmpty() ? QString() : QStringLiteral(" → ") + exit);
      if (!command.isEmpty()) {
        // "/usr/bin/node /home/me/app/worker.js --x" reads as "node worker.js --x" in a lane.
        QStringList words = command.split(QLatin1Char(' '), Qt::SkipEmptyParts);
        for (QString& w : words) w = w.section(QLatin1Char('/'), -1);
        text = words.join(QLatin1Char(' ')) + QStringLiteral(" · ") + text;
      }
      if (longForm) {
        text = tr("<b>child process %1</b><br>%2").arg(spawn.pid).arg(command.toHtmlEscaped());
        text += child && child->exited ? tr("<br>%1").arg(exit) : tr("<br>still running");
        if (child && (child->ipcToChild || child->ipcFromChild))
          text += tr("<br>IPC messages: %1 to it, %2 from it").arg(child->ipcToChild).arg(child->ipcFromChild);
      }
      break;
    }
    case EventKind::PoolDone:
    case EventKind::PoolStart: {
      const bool done = ev.kind == EventKind::PoolDone;
      const int64_t job = done ? as<record::PoolDone>(ev).jobId : as<record::PoolStart>(ev).jobId;
      QString kind = qstr(m_trace->str(m_spans.jobKind(job)));
      if (kind.isEmpty()) kind = tr("work");
      text = done ? tr("%1 done").arg(kind) : kind;
      if (longForm)
        text = done ? tr("<b>%1</b><br>completion of job %2 on the loop thread").arg(text).arg(job)
                    : tr("<b>%1</b><br>job %2 on pool thread #%3").arg(kind).arg(job).arg(l.slot);
      break;
    }
    case EventKind::GcBegin: {
      int64_t bits = span.style == SpanStyle::GcYoung ? int64_t(GcScavenge)
                     : span.style == SpanStyle::GcOld ? int64_t(GcMarkSweepCompact)
                                                      : as<record::GcBegin>(ev).typeBits;
      text = qstr(gcTypeName(bits));
      if (longForm) text = tr("<b>GC: %1</b>").arg(text);
      break;
    }
    default: text = qstr(kindName(ev.kind));
  }
  if (!longForm) return text;
  text += tr("<br>%1 → %2 ms (%3)%4")
              .arg(span.startMs, 0, 'f', 3)
              .arg(end, 0, 'f', 3)
              .arg(duration)
              .arg(span.open() ? tr(", still running") : QString());
  if (ev.kind == EventKind::PhaseEnter && as<record::PhaseEnter>(ev).phase == Phase::Poll && !span.open()) {
    // How much of poll was waiting: the rest ran callbacks (for a worker, its script too). The
    // exit record follows soon after on the same thread; the search is bounded for safety.
    const auto& events = m_trace->events();
    for (size_t i = span.startEvent + 1; i < events.size() && i < size_t(span.startEvent) + 200000; ++i)
      if (events[i].thread == ev.thread && events[i].kind == EventKind::PhaseExit) {
        const int64_t blocked = std::max<int64_t>(0, as<record::PhaseExit>(events[i]).blockedNs);
        const int64_t total = int64_t((end - span.startMs) * 1e6);
        text += tr("<br>waiting for I/O: %1 · running: %2")
                    .arg(humanDuration(blocked), humanDuration(std::max<int64_t>(0, total - blocked)));
        break;
      }
  }
  // Messages from a worker arrive as callbacks of its ports on the main thread.
  if (ev.kind == EventKind::CallbackEnter)
    for (const TimelineFlow& f : m_spans.flows())
      if (f.event == span.startEvent) {
        if (f.kind == TimelineFlow::Kind::WorkerMessage)
          text += tr("<br>a message from worker #%1 is delivered (the engine records the delivery, not the send)")
                      .arg(f.fromSlot);
        else if (f.kind == TimelineFlow::Kind::WorkerExit)
          text += tr("<br>worker #%1 has exited: its 'exit' event runs here").arg(f.fromSlot);
        break;
      }
  // The phase it ran in, for everything on the loop thread.
  if (l.kind == TimelineLane::Kind::Callbacks || l.kind == TimelineLane::Kind::Drains ||
      l.kind == TimelineLane::Kind::Gc) {
    int phases = m_spans.laneIndex(TimelineLane::Kind::Phases);
    if (const TimelineSpan* phase = m_spans.spanAt(phases, span.startMs, 0))
      text += tr("<br>in the %1 phase").arg(phaseTitle(Phase(uint8_t(phase->style))));
    else if (l.kind != TimelineLane::Kind::Gc)
      text += tr("<br>outside the loop's phases (main script or between phases)");
  }
  return text;
}

const TimelineSpan* TimelineView::spanAt(const QPoint& pos, int* laneOut) const {
  QPoint local = m_plot->mapFrom(this, pos);
  if (!m_lanesRect->rect().contains(local)) return nullptr;
  QCPAxis* time = m_lanesRect->axis(QCPAxis::atBottom);
  QCPAxis* laneAxis = m_lanesRect->axis(QCPAxis::atLeft);
  int lane = int(std::lround(laneAxis->pixelToCoord(local.y())));
  if (lane < 0 || lane >= int(m_spans.lanes().size())) return nullptr;
  double ms = time->pixelToCoord(local.x());
  double tolerance = std::abs(time->pixelToCoord(local.x() + 2) - ms);
  if (laneOut) *laneOut = lane;
  return m_spans.spanAt(lane, ms, tolerance);
}

QString TimelineView::describeAt(const QPoint& pos) const {
  QPoint local = m_plot->mapFrom(this, pos);
  if (!m_lanesRect->rect().contains(local)) return {};
  QCPAxis* time = m_lanesRect->axis(QCPAxis::atBottom);
  const int lane = int(std::lround(m_lanesRect->axis(QCPAxis::atLeft)->pixelToCoord(local.y())));
  if (lane < 0 || lane >= int(m_spans.lanes().size())) return {};
  const double ms = time->pixelToCoord(local.x());
  const double tolerance = std::abs(time->pixelToCoord(local.x() + 3) - ms);
  QStringList parts;
  if (const HealthWarning* w = warningAt(lane, ms, tolerance)) parts << warningText(*w);
  if (const TimelineSpan* marker = m_spans.markerAt(lane, ms, tolerance))
    parts << markerText(*marker);
  else if (const TimelineSpan* span = m_spans.spanAt(lane, ms, tolerance * 2 / 3))
    parts << spanText(*span, lane, true);
  return parts.join(QStringLiteral("<hr>"));
}

size_t TimelineView::eventAt(const QPoint& pos) const {
  QPoint local = m_plot->mapFrom(this, pos);
  if (!m_lanesRect->rect().contains(local)) return size_t(-1);
  QCPAxis* time = m_lanesRect->axis(QCPAxis::atBottom);
  const int lane = int(std::lround(m_lanesRect->axis(QCPAxis::atLeft)->pixelToCoord(local.y())));
  if (lane < 0 || lane >= int(m_spans.lanes().size())) return size_t(-1);
  const double ms = time->pixelToCoord(local.x());
  const double tolerance = std::abs(time->pixelToCoord(local.x() + 3) - ms);
  if (const TimelineSpan* marker = m_spans.markerAt(lane, ms, tolerance)) return marker->startEvent;
  if (const TimelineSpan* span = m_spans.spanAt(lane, ms, tolerance * 2 / 3)) return span->startEvent;
  if (const HealthWarning* w = warningAt(lane, ms, tolerance)) return w->eventIndex;
  return size_t(-1);
}

void TimelineView::onMousePress(QMouseEvent* event) {
  m_pressPos = event->pos();
  m_pressed = true;
}

void TimelineView::onMouseMove(QMouseEvent* event) {
  if (m_pressed && (event->pos() - m_pressPos).manhattanLength() > 3) m_followAll = false;
  if (event->buttons() != Qt::NoButton) return;
  QPoint pos = m_plot->mapTo(this, event->pos());
  QString tip = describeAt(pos);
  if (tip.isEmpty())
    QToolTip::hideText();
  else
    QToolTip::showText(event->globalPosition().toPoint(), tip, m_plot);
}

void TimelineView::onMouseRelease(QMouseEvent* event) {
  const bool click = m_pressed && (event->pos() - m_pressPos).manhattanLength() <= 3;
  m_pressed = false;
  if (!click || event->button() != Qt::LeftButton) return;
  size_t index = eventAt(m_plot->mapTo(this, event->pos()));
  if (index != size_t(-1)) Q_EMIT eventClicked(index);
}

bool TimelineView::saveImage(const QString& path, int width, int height) {
  const QString ext = QFileInfo(path).suffix().toLower();
  if (width <= 0) width = std::max(m_plot->width(), 1200);
  if (height <= 0) height = std::max(m_plot->height(), 500);
  // A picture is read on its own: it gets the layout its own height allows, not the widget's.
  fitToHeight(height);
  struct RestoreLayout {
    TimelineView* view;
    ~RestoreLayout() { view->fitToHeight(view->height()); }
  } restore{this};
  bool ok = false;
  if (ext == QLatin1String("png")) {
    ok = m_plot->savePng(path, width, height);
  } else if (ext == QLatin1String("pdf")) {
    ok = m_plot->savePdf(path, width, height);
  } else if (ext == QLatin1String("svg")) {
    QSvgGenerator svg;
    svg.setFileName(path);
    svg.setSize(QSize(width, height));
    svg.setViewBox(QRect(0, 0, width, height));
    svg.setTitle(tr("Loopscope timeline"));
    QCPPainter painter;
    if (painter.begin(&svg)) {
      m_plot->toPainter(&painter, width, height);
      ok = painter.end();
    }
  } else {
    return false;
  }
  return ok && QFileInfo(path).size() > 0;
}

}  // namespace loopscope::ui
