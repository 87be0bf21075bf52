#include "heap_view.h"

#include <QFontMetricsF>
#include <QPainter>

#include <vector>

#include "human_units.h"
#include "paint_primitives.h"
#include "phase_colors.h"

namespace loopscope::ui {
namespace {
constexpr int64_t kMiB = 1024 * 1024;
bool isYoung(int64_t bits) { return bits & (GcScavenge | GcMinorMarkCompact); }
}  // namespace

HeapView::HeapView(QWidget* parent) : QWidget(parent) {
  setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Expanding);
  setToolTip(
      tr("New objects are born in the new space; a scavenge copies the survivors and "
         "promotes old-enough ones to the old space, which only a mark-sweep-compact "
         "cleans. Long GC pauses block the event loop."));
}

void HeapView::showState(const LoopState& state) {
  m_state = state;
  update();
}

int64_t HeapView::gaugeScale(int64_t bytes, int64_t minimum) {
  int64_t scale = std::max<int64_t>(minimum, kMiB);
  while (scale < bytes + bytes / 8) scale *= 2;
  return scale;
}

QString HeapView::collectingText() const {
  if (!m_state.heap.collecting) return {};
  return tr("%1 running").arg(qstr(gcTypeName(m_state.heap.lastGcType)));
}

QString HeapView::countsText() const {
  return tr("%1 scavenges · %2 mark-sweep-compact").arg(m_state.heap.scavenges).arg(m_state.heap.markSweeps);
}

namespace {

// `items` in rows no wider than `width`, joined by `separator`: an item is never split between
// rows, and is elided only when it alone is wider than a row.
QStringList flowRows(const QStringList& items, const QFontMetricsF& fm, double width, const QString& separator) {
  QStringList rows;
  QString row;
  for (const QString& item : items) {
    const QString joined = row.isEmpty() ? item : row + separator + item;
    if (row.isEmpty() || fm.horizontalAdvance(joined) <= width) {
      row = joined;
    } else {
      rows << row;
      row = item;
    }
  }
  if (!row.isEmpty()) rows << row;
  for (QString& r : rows)
    if (fm.horizontalAdvance(r) > width) r = fm.elidedText(r, Qt::ElideRight, width);
  return rows;
}

}  // namespace

void HeapView::paintEvent(QPaintEvent*) {
  QPainter p(this);
  p.setRenderHint(QPainter::Antialiasing);
  const QPalette pal = palette();
  p.fillRect(rect(), pal.color(QPalette::Window));
  const HeapState& h = m_state.heap;
  const double margin = 6;
  const double w = width() - 2 * margin;
  m_drawnLabels.clear();
  m_drawnLabelRects.clear();
  auto drawLabel = [&](const QRectF& r, int flags, const QString& text) {
    p.drawText(r, flags, text);
    m_drawnLabels << text;
    // Where the text itself lies, not the room it was given: a test checks it is inside the view.
    const QFontMetricsF metrics(p.font());
    const double advance = metrics.horizontalAdvance(text);
    const double left = (flags & Qt::AlignRight) ? r.right() - advance : r.left();
    m_drawnLabelRects.push_back(QRectF(left, r.center().y() - metrics.height() / 2, advance, metrics.height()));
  };

  // Every space that holds memory gets a gauge: a program that keeps big arrays or buffers fills
  // the large-object space, not the old space, and a heap that looks nearly empty while the
  // process dies of a full one teaches the wrong lesson. Code and map space are small and share
  // the legend below the gauges.
  struct Space {
    QString title, shortTitle;
    int64_t bytes;
    int64_t minimumScale;
    bool flashing;
    int64_t gcBits;
    QString hint;
  };
  const bool youngGc = h.collecting && isYoung(h.lastGcType);
  const bool oldGc = h.collecting && !isYoung(h.lastGcType);
  std::vector<Space> spaces = {
      {tr("New space (young)"), tr("New space"), h.newSpace, kMiB, youngGc, GcScavenge, tr("scavenging…")},
      {tr("Old space"), tr("Old space"), h.oldSpace, 4 * kMiB, oldGc, GcMarkSweepCompact, tr("mark-sweep-compact…")},
  };
  const bool largeGauge = h.largeObjectSpace > 0;
  if (largeGauge)
    spaces.push_back({tr("Large objects"), tr("Large objects"), h.largeObjectSpace, 4 * kMiB, oldGc, GcMarkSweepCompact,
                      tr("collecting…")});
  // V8 reports the spaces at the end of each GC; before the first one there is no reading, which
  // is not the same as an empty heap.
  const bool measured = h.lastGcNs > 0 || h.newSpace > 0 || h.oldSpace > 0;

  // The legend: each small space that holds memory, whole ("code 424 KB"), wrapping to a second
  // row rather than losing its end to an ellipsis. Before the first GC, the reason for no numbers.
  QStringList legendItems;
  if (!measured) {
    legendItems = tr("V8 reports its heap at the end of each GC").split(QLatin1Char(' '));
  } else {
    if (h.codeSpace > 0) legendItems << tr("code %1").arg(humanBytes(h.codeSpace));
    if (h.mapSpace > 0) legendItems << tr("map %1").arg(humanBytes(h.mapSpace));
  }
  const QString legendSeparator = measured ? QStringLiteral(" · ") : QStringLiteral(" ");

  // The first layout that shows the title, every gauge with its name and the whole legend: the
  // names above their gauges when there is height for it, else beside them; then a smaller
  // legend; then, in a view squeezed by the presentation font, everything a little smaller
  // rather than a space left out or a name cut.
  struct Fit {
    bool inlineTitles;
    double legendScale;
    double scale;
  };
  const Fit layouts[] = {{false, 0.85, 1.0}, {true, 0.85, 1.0}, {true, 0.75, 1.0}, {true, 0.75, 0.9},
                         {true, 0.75, 0.8},  {true, 0.75, 0.7}, {true, 0.75, 0.6}};
  const double n = double(spaces.size());
  Fit chosen = layouts[std::size(layouts) - 1];
  for (const Fit& fit : layouts) {
    const QFont scaled = scaledFont(font(), fit.scale);
    const double fitLine = QFontMetricsF(scaled).height();
    const QFontMetricsF legendMetrics(scaledFont(scaled, fit.legendScale));
    const QStringList rows = flowRows(legendItems, legendMetrics, w, legendSeparator);
    bool fits = true;
    for (const QString& row : rows) fits = fits && !row.contains(QChar(0x2026));
    const QFontMetricsF labelMetrics(scaledFont(scaled, 0.92));
    double column = 0;
    for (const Space& space : spaces) column = std::max(column, labelMetrics.horizontalAdvance(space.shortTitle));
    if (fit.inlineTitles) fits = fits && column <= w * 0.6;
    const double pitch = fitLine * (fit.inlineTitles ? 1.45 : 1.1 + 0.9 + 0.35);
    const double needed = margin + fitLine * 1.5 + n * pitch + rows.size() * legendMetrics.height() * 1.1;
    chosen = fit;
    if (fits && needed <= height()) break;
  }
  const QFont base = scaledFont(font(), chosen.scale);
  const double line = QFontMetricsF(base).height();
  const QFont legendFont = scaledFont(base, chosen.legendScale);
  const QFontMetricsF legendMetrics(legendFont);
  const QStringList legendRows = flowRows(legendItems, legendMetrics, w, legendSeparator);
  const double legendLine = legendMetrics.height();
  const double legendHeight = legendRows.size() * legendLine * 1.1;
  double y = margin;

  // Title, and the GC banner while a collection runs.
  p.setFont(scaledFont(base, 1.0, true));
  p.setPen(pal.color(QPalette::WindowText));
  p.drawText(QRectF(margin, y, w, line * 1.3), Qt::AlignLeft | Qt::AlignVCenter, tr("V8 heap"));
  if (h.collecting) {
    QFont bf = scaledFont(base, 0.9, true);
    QString text = tr("GC: %1").arg(collectingText());
    double bw = badgeWidth(bf, text);
    drawBadge(p, QPointF(margin + w - bw, y), gcColor(h.lastGcType, pal), bf, text);
  }
  y += line * 1.5;

  const QFont labelFont = scaledFont(base, 0.92);
  const QFontMetricsF labelMetrics(labelFont);
  // Beside the gauges the names share one column, as wide as the widest.
  double titleColumn = 0;
  if (chosen.inlineTitles)
    for (const Space& space : spaces)
      titleColumn = std::max(titleColumn, labelMetrics.horizontalAdvance(space.shortTitle));
  // Counts and the last GC come after the legend, if there is room for them.
  const double spare = height() - margin - y - legendHeight - line * 2.3;
  const double gaugeH = chosen.inlineTitles
                            ? line * 1.15
                            : std::clamp(spare / n - line * 1.45, line * 0.9, line * (spaces.size() > 2 ? 1.6 : 2.2));
  for (const Space& space : spaces) {
    p.setFont(labelFont);
    p.setPen(pal.color(QPalette::WindowText));
    const int64_t scale = gaugeScale(space.bytes, space.minimumScale);
    QRectF r;
    if (chosen.inlineTitles) {
      const QString title = labelMetrics.elidedText(space.shortTitle, Qt::ElideRight, std::min(titleColumn, w * 0.6));
      drawLabel(QRectF(margin, y, titleColumn, gaugeH), Qt::AlignLeft | Qt::AlignVCenter, title);
      const double gap = labelMetrics.horizontalAdvance(QStringLiteral("  "));
      r = QRectF(margin + titleColumn + gap, y, std::max(20.0, w - titleColumn - gap), gaugeH);
    } else {
      // The space's name wins over the scale when both do not fit (presentation font, narrow
      // column): the scale is a detail, and the two must never overprint each other.
      const QString right = space.flashing ? space.hint : tr("scale %1").arg(humanBytes(scale));
      const QString title = labelMetrics.elidedText(space.title, Qt::ElideRight, w);
      const double titleWidth = labelMetrics.horizontalAdvance(title);
      drawLabel(QRectF(margin, y, w, line), Qt::AlignLeft | Qt::AlignVCenter, title);
      if (titleWidth + 8 + labelMetrics.horizontalAdvance(right) <= w) {
        p.setPen(pal.color(QPalette::PlaceholderText));
        p.drawText(QRectF(margin, y, w, line), Qt::AlignRight | Qt::AlignVCenter, right);
      }
      y += line * 1.1;
      r = QRectF(margin, y, w, gaugeH);
    }
    QColor fill = space.flashing ? gcColor(space.gcBits, pal) : faded(gcColor(space.gcBits, pal), pal, 0.35);
    const QString value = measured ? humanBytes(space.bytes) : tr("no GC yet");
    // Beside its name the gauge is short: its value a little smaller, so it fits whole.
    drawGauge(p, r, double(space.bytes) / double(scale), fill, pal,
              scaledFont(base, chosen.inlineTitles ? 0.9 : 1.0, true), value);
    if (space.flashing) {
      // The flash: a thick outline in the GC's colour around the generation being collected.
      p.setPen(QPen(gcColor(space.gcBits, pal), 3));
      p.setBrush(Qt::NoBrush);
      p.drawRoundedRect(r.adjusted(-2, -2, 2, 2), 6, 6);
    }
    y += gaugeH + line * (chosen.inlineTitles ? 0.3 : 0.35);
  }

  // The legend, then the counts with colour keys and the last GC. The counts and the last GC only
  // where they fit whole: half a line of text cut by the view's edge is noise on a projector.
  p.setFont(legendFont);
  p.setPen(pal.color(QPalette::PlaceholderText));
  for (const QString& row : legendRows) {
    drawLabel(QRectF(margin, y, w, legendLine), Qt::AlignLeft | Qt::AlignVCenter, row);
    y += legendLine * 1.1;
  }
  y += line * 0.05;
  auto fits = [&] { return y + line <= height(); };
  const QFont countFont = scaledFont(base, 0.92);
  const QFontMetricsF countMetrics(countFont);
  struct Count {
    QString text;
    int64_t bits;
  };
  const Count counts[] = {
      {QStringLiteral("%1 %2").arg(h.scavenges).arg(h.scavenges == 1 ? tr("scavenge") : tr("scavenges")), GcScavenge},
      {QStringLiteral("%1 %2").arg(h.markSweeps).arg(tr("mark-sweep-compact")), GcMarkSweepCompact}};
  double x = margin;
  const double dot = line * 0.55;
  for (const Count& count : counts) {
    const double itemWidth = dot + 4 + countMetrics.horizontalAdvance(count.text);
    if (x > margin && x + itemWidth > margin + w) {  // to the next row
      x = margin;
      y += line * 1.15;
    }
    if (!fits() || itemWidth > w) break;
    p.setPen(Qt::NoPen);
    p.setBrush(gcColor(count.bits, pal));
    p.drawEllipse(QRectF(x, y + (line - dot) / 2, dot, dot));
    p.setFont(countFont);
    p.setPen(pal.color(QPalette::WindowText));
    p.drawText(QRectF(x + dot + 4, y, itemWidth, line), Qt::AlignLeft | Qt::AlignVCenter, count.text);
    x += itemWidth + 12;
  }
  y += line * 1.15;
  if (h.lastGcNs > 0 && !h.collecting && fits()) {
    p.setFont(scaledFont(base, 0.85));
    p.setPen(pal.color(QPalette::PlaceholderText));
    uint64_t ago = m_state.timeNs > h.lastGcNs ? m_state.timeNs - h.lastGcNs : 0;
    const QString last = tr("last GC: %1, %2 ago").arg(qstr(gcTypeName(h.lastGcType)), humanDuration(int64_t(ago)));
    if (QFontMetricsF(p.font()).horizontalAdvance(last) <= w)
      p.drawText(QRectF(margin, y, w, line), Qt::AlignLeft | Qt::AlignVCenter, last);
  }
}

}  // namespace loopscope::ui
