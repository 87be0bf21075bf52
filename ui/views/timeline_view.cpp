#include "timeline_view.h"

#include <QEvent>
#include <QFileInfo>
#include <QSvgGenerator>
#include <QToolTip>
#include <QVBoxLayout>
#include <algorithm>
#include <cmath>
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

TimelineView::TimelineView(QWidget* parent) : QWidget(parent), m_plot(new QCustomPlot(this)) {
  auto* layout = new QVBoxLayout(this);
  layout->setContentsMargins(0, 0, 0, 0);
  layout->addWidget(m_plot);
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

  m_seriesRect = new QCPAxisRect(m_plot);
  m_plot->plotLayout()->addElement(1, 0, m_seriesRect);
  m_plot->plotLayout()->setRowStretchFactor(0, 2.0);
  m_plot->plotLayout()->setRowStretchFactor(1, 1.0);
  m_seriesRect->setRangeDrag(Qt::Horizontal);
  m_seriesRect->setRangeZoom(Qt::Horizontal);
  m_seriesRect->axis(QCPAxis::atRight)->setVisible(true);
  m_seriesRect->axis(QCPAxis::atRight)->setRange(0, 105);
  m_seriesRect->axis(QCPAxis::atBottom)->setLabel(tr("ms since the run started"));
  m_seriesRect->axis(QCPAxis::atLeft)->setLabel(tr("heap MB"));
  m_seriesRect->axis(QCPAxis::atRight)->setLabel(tr("loop busy %"));
  // Both rects share one time axis: the left margins line up and zoom/pan move both.
  auto* margins = new QCPMarginGroup(m_plot);
  m_lanesRect->setMarginGroup(QCP::msLeft | QCP::msRight, margins);
  m_seriesRect->setMarginGroup(QCP::msLeft | QCP::msRight, margins);
  QCPAxis* topTime = m_lanesRect->axis(QCPAxis::atBottom);
  QCPAxis* bottomTime = m_seriesRect->axis(QCPAxis::atBottom);
  connect(topTime, qOverload<const QCPRange&>(&QCPAxis::rangeChanged), bottomTime,
          qOverload<const QCPRange&>(&QCPAxis::setRange));
  connect(bottomTime, qOverload<const QCPRange&>(&QCPAxis::rangeChanged), topTime,
          qOverload<const QCPRange&>(&QCPAxis::setRange));

  m_spanPlottable = new SpanPlottable(topTime, laneAxis, this);
  auto graph = [&](QCPAxis* value, const QString& name) {
    QCPGraph* g = m_plot->addGraph(bottomTime, value);
    g->setName(name);
    g->setLineStyle(QCPGraph::lsStepLeft);
    return g;
  };
  m_newSpaceGraph = graph(m_seriesRect->axis(QCPAxis::atLeft), tr("new space"));
  m_oldSpaceGraph = graph(m_seriesRect->axis(QCPAxis::atLeft), tr("old space"));
  m_utilisationGraph = graph(m_seriesRect->axis(QCPAxis::atRight), tr("loop busy (not waiting in poll)"));
  // One legend row in the corner: the plot below the lanes is short and must stay readable.
  m_plot->legend->setVisible(true);
  m_plot->legend->setFillOrder(QCPLayoutGrid::foColumnsFirst);
  m_plot->legend->setWrap(3);
  m_plot->legend->setRowSpacing(0);
  m_plot->legend->setIconSize(14, 8);
  m_seriesRect->insetLayout()->addElement(m_plot->legend, Qt::AlignTop | Qt::AlignRight);
  m_seriesRect->axis(QCPAxis::atLeft)->ticker()->setTickCount(3);
  m_seriesRect->axis(QCPAxis::atRight)->ticker()->setTickCount(3);
  m_spanPlottable->removeFromLegend();  // the lanes are labelled on their axis instead

  auto playhead = [&](QCPAxisRect* rect) {
    auto* line = new QCPItemStraightLine(m_plot);
    line->setClipAxisRect(rect);
    for (QCPItemPosition* p : {line->point1, line->point2}) {
      p->setAxes(rect->axis(QCPAxis::atBottom), rect->axis(QCPAxis::atLeft));
      p->setAxisRect(rect);
    }
    line->setVisible(false);
    return line;
  };
  m_playheadTop = playhead(m_lanesRect);
  m_playheadBottom = playhead(m_seriesRect);

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
  for (QCPAxisRect* rect : {m_lanesRect, m_seriesRect}) {
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
  m_plot->legend->setBrush(QBrush(faded(pal.color(QPalette::Base), pal, 0.1)));
  m_plot->legend->setTextColor(text);
  m_plot->legend->setFont(font());
  m_plot->legend->setBorderPen(QPen(grid));
  m_newSpaceGraph->setPen(QPen(gcColor(GcScavenge, pal), 2));
  m_oldSpaceGraph->setPen(QPen(gcColor(GcMarkSweepCompact, pal), 2));
  m_utilisationGraph->setPen(QPen(phaseColor(Phase::Poll, pal), 1.5));
  QColor fill = phaseColor(Phase::Poll, pal);
  fill.setAlpha(40);
  m_utilisationGraph->setBrush(fill);
  QPen play(pal.color(QPalette::Highlight), 2);
  m_playheadTop->setPen(play);
  m_playheadBottom->setPen(play);
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
}

void TimelineView::setTrace(const Trace* trace) {
  m_trace = trace;
  m_spans.reset(trace);
  for (QCPGraph* g : {m_newSpaceGraph, m_oldSpaceGraph, m_utilisationGraph}) g->data()->clear();
  std::fill(std::begin(m_seriesAdded), std::end(m_seriesAdded), 0);
  m_followAll = true;
  m_playheadTop->setVisible(false);
  m_playheadBottom->setVisible(false);
  m_laneAxisLanes = -1;
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
  feed(m_newSpaceGraph, m_spans.newSpaceMb(), m_seriesAdded[0]);
  feed(m_oldSpaceGraph, m_spans.oldSpaceMb(), m_seriesAdded[1]);
  feed(m_utilisationGraph, m_spans.loopUtilisation(), m_seriesAdded[2]);
  double maxMb = 1;
  for (const auto* series : {&m_spans.newSpaceMb(), &m_spans.oldSpaceMb()})
    if (!series->empty())
      for (size_t i = series->size() > 4096 ? series->size() - 4096 : 0; i < series->size(); ++i)
        maxMb = std::max(maxMb, (*series)[i].value);
  QCPAxis* heapAxis = m_seriesRect->axis(QCPAxis::atLeft);
  if (heapAxis->range().upper < maxMb * 1.1 || heapAxis->range().lower != 0) heapAxis->setRange(0, maxMb * 1.25);
}

void TimelineView::traceGrew() {
  if (!m_spans.update() && m_trace) return;
  rebuildLaneAxis();
  appendSeries();
  if (m_followAll) fitAll();
  m_plot->replot(QCustomPlot::rpQueuedReplot);
}

void TimelineView::fitAll() {
  m_followAll = true;
  double end = std::max(1.0, m_spans.lastMs());
  m_lanesRect->axis(QCPAxis::atBottom)->setRange(-end * 0.01, end * 1.02);
  m_plot->replot(QCustomPlot::rpQueuedReplot);
}

void TimelineView::setPlayhead(size_t position) {
  if (!m_trace || position == 0 || position > m_trace->size()) {
    m_playheadTop->setVisible(false);
    m_playheadBottom->setVisible(false);
    m_plot->replot(QCustomPlot::rpQueuedReplot);
    return;
  }
  const double ms = m_spans.msOf(m_trace->events()[position - 1].ts);
  for (QCPItemStraightLine* line : {m_playheadTop, m_playheadBottom}) {
    line->point1->setCoords(ms, 0);
    line->point2->setCoords(ms, 1);
    line->setVisible(true);
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
      const double h = lane.kind == TimelineLane::Kind::Callbacks || lane.kind == TimelineLane::Kind::Drains
                           ? laneHeight - rowHeight * double(row)
                           : laneHeight;
      auto it = std::lower_bound(spans.begin(), spans.end(), visible.lower,
                                 [](const TimelineSpan& s, double v) { return s.endMs < v; });
      while (it != spans.end() && it->startMs <= visible.upper) {
        const double end = it->open() ? lastMs : it->endMs;
        double x0 = keyAxis->coordToPixel(it->startMs), x1 = keyAxis->coordToPixel(end);
        const QColor& color = colors[size_t(it->style) % colors.size()];
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
          labels.push_back({QRectF(x0 + 3, y, x1 - x0 - 6, std::min(h, rowHeight)),
                            spanText(*it, int(laneIdx), false), textColorOn(color)});
        ++it;
      }
    }
    // Drain-end ticks: a thin line at the top of the drains lane.
    if (!lane.markers.empty()) {
      auto it = std::lower_bound(lane.markers.begin(), lane.markers.end(), visible.lower,
                                 [](const TimelineSpan& s, double v) { return s.startMs < v; });
      double lastPx = -1;
      painter->setPen(QPen(colors[size_t(SpanStyle::DrainEnd)], 1));
      for (; it != lane.markers.end() && it->startMs <= visible.upper; ++it) {
        double px = std::floor(keyAxis->coordToPixel(it->startMs)) + 0.5;
        if (px == lastPx) continue;
        lastPx = px;
        painter->drawLine(QPointF(px, laneTop), QPointF(px, laneTop + laneHeight * 0.3));
      }
    }
  }
  // Labels last, so a later span's fill never covers an earlier span's text.
  painter->setAntialiasing(true);
  for (const Label& l : labels) {
    painter->setPen(l.color);
    painter->drawText(l.rect, Qt::AlignLeft | Qt::AlignVCenter, fm.elidedText(l.text, Qt::ElideRight, int(l.rect.width())));
  }
  painter->setAntialiasing(false);
}

QString TimelineView::spanText(const TimelineSpan& span, int lane, bool longForm) const {
  if (!m_trace || span.startEvent >= m_trace->size()) return {};
  const Event& ev = m_trace->events()[span.startEvent];
  const TimelineLane& l = m_spans.lanes()[size_t(lane)];
  const double end = span.open() ? m_spans.lastMs() : span.endMs;
  const QString duration = humanDuration(int64_t((end - span.startMs) * 1e6));
  QString text;
  switch (ev.kind) {
    case EventKind::PhaseEnter:
      text = phaseTitle(Phase(ev.a()));
      if (longForm) {
        text = tr("<b>%1 phase</b>").arg(text);
        if (Phase(ev.a()) == Phase::Poll)
          text += ev.b() < 0 ? tr("<br>timeout: none") : tr("<br>timeout: %1 ms").arg(ev.b());
        text += QStringLiteral("<br>") + phaseExplanation(Phase(ev.a())).toHtmlEscaped();
      }
      break;
    case EventKind::CallbackEnter: {
      QString type = qstr(m_trace->asyncType(ev.a()));
      QString label = ev.a() == 1 ? tr("main script") : qstr(m_trace->callbackLabel(ev.a()));
      if (label.isEmpty()) label = type;
      text = longForm ? tr("<b>%1</b><br>%2 · async id %3").arg(label.toHtmlEscaped(), type).arg(ev.a()) : label;
      break;
    }
    case EventKind::PoolDone:
    case EventKind::PoolStart: {
      QString kind = qstr(m_trace->str(m_spans.jobKind(ev.a())));
      if (kind.isEmpty()) kind = tr("work");
      text = ev.kind == EventKind::PoolDone ? tr("%1 done").arg(kind) : kind;
      if (longForm)
        text = ev.kind == EventKind::PoolDone
                   ? tr("<b>%1</b><br>completion of job %2 on the loop thread").arg(text).arg(ev.a())
                   : tr("<b>%1</b><br>job %2 on pool thread #%3").arg(kind).arg(ev.a()).arg(l.slot);
      break;
    }
    case EventKind::GcBegin: {
      int64_t bits = span.style == SpanStyle::GcYoung ? int64_t(GcScavenge)
                     : span.style == SpanStyle::GcOld ? int64_t(GcMarkSweepCompact)
                                                      : ev.a();
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
  int lane = -1;
  const TimelineSpan* span = spanAt(pos, &lane);
  return span ? spanText(*span, lane, true) : QString();
}

size_t TimelineView::eventAt(const QPoint& pos) const {
  const TimelineSpan* span = spanAt(pos, nullptr);
  return span ? span->startEvent : size_t(-1);
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
