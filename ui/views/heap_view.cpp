#include "heap_view.h"

#include <QFontMetricsF>
#include <QPainter>

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
  setToolTip(tr("New objects are born in the new space; a scavenge copies the survivors and "
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
  return tr("%1 scavenges · %2 mark-sweep-compact")
      .arg(m_state.heap.scavenges)
      .arg(m_state.heap.markSweeps);
}

void HeapView::paintEvent(QPaintEvent*) {
  QPainter p(this);
  p.setRenderHint(QPainter::Antialiasing);
  const QPalette pal = palette();
  p.fillRect(rect(), pal.color(QPalette::Window));
  const HeapState& h = m_state.heap;
  const QFont base = font();
  QFontMetricsF fm(base);
  const double margin = 6, line = fm.height();
  const double w = width() - 2 * margin;
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

  const double spare = height() - margin - y - line * 3.6;  // the text rows below the gauges
  const double gaugeH = std::clamp(spare / 2 - line * 1.2, line * 1.1, line * 2.2);
  auto gauge = [&](const QString& title, int64_t bytes, int64_t minimumScale, bool flashing,
                   int64_t gcBits, const QString& hint) {
    p.setFont(scaledFont(base, 0.92));
    p.setPen(pal.color(QPalette::WindowText));
    int64_t scale = gaugeScale(bytes, minimumScale);
    // The space's name wins over the scale when both do not fit (presentation font, narrow
    // column): the scale is a detail, and the two must never overprint each other.
    const QFontMetricsF labelMetrics(p.font());
    const QString right = flashing ? hint : tr("scale %1").arg(humanBytes(scale));
    const double titleWidth = labelMetrics.horizontalAdvance(title);
    p.drawText(QRectF(margin, y, w, line), Qt::AlignLeft | Qt::AlignVCenter,
               labelMetrics.elidedText(title, Qt::ElideRight, w));
    if (titleWidth + 8 + labelMetrics.horizontalAdvance(right) <= w) {
      p.setPen(pal.color(QPalette::PlaceholderText));
      p.drawText(QRectF(margin, y, w, line), Qt::AlignRight | Qt::AlignVCenter, right);
    }
    y += line * 1.1;
    QRectF r(margin, y, w, gaugeH);
    QColor fill = flashing ? gcColor(gcBits, pal) : faded(gcColor(gcBits, pal), pal, 0.35);
    drawGauge(p, r, double(bytes) / double(scale), fill, pal, scaledFont(base, 1.0, true), humanBytes(bytes));
    if (flashing) {
      // The flash: a thick outline in the GC's colour around the generation being collected.
      p.setPen(QPen(gcColor(gcBits, pal), 3));
      p.setBrush(Qt::NoBrush);
      p.drawRoundedRect(r.adjusted(-2, -2, 2, 2), 6, 6);
    }
    y += gaugeH + line * 0.35;
  };
  const bool youngGc = h.collecting && isYoung(h.lastGcType);
  const bool oldGc = h.collecting && !isYoung(h.lastGcType);
  gauge(tr("New space (young)"), h.newSpace, kMiB, youngGc, GcScavenge, tr("scavenging…"));
  gauge(tr("Old space"), h.oldSpace, 4 * kMiB, oldGc, GcMarkSweepCompact, tr("mark-sweep-compact…"));

  // The small spaces in one line, then the counts with colour keys. Each only if it fits whole:
  // half a line of text cut by the view's edge is noise on a projector.
  auto fits = [&] { return y + line <= height(); };
  if (!fits()) return;
  p.setFont(scaledFont(base, 0.85));
  p.setPen(pal.color(QPalette::PlaceholderText));
  p.drawText(QRectF(margin, y, w, line), Qt::AlignLeft | Qt::AlignVCenter,
             tr("code %1 · map %2 · large objects %3")
                 .arg(humanBytes(h.codeSpace), humanBytes(h.mapSpace), humanBytes(h.largeObjectSpace)));
  y += line * 1.15;
  if (!fits()) return;
  QFont countFont = scaledFont(base, 0.92);
  double x = margin;
  auto count = [&](int n, const QString& what, int64_t bits) {
    double d = line * 0.55;
    p.setPen(Qt::NoPen);
    p.setBrush(gcColor(bits, pal));
    p.drawEllipse(QRectF(x, y + (line - d) / 2, d, d));
    x += d + 4;
    p.setFont(countFont);
    p.setPen(pal.color(QPalette::WindowText));
    QString text = QStringLiteral("%1 %2").arg(n).arg(what);
    p.drawText(QRectF(x, y, w, line), Qt::AlignLeft | Qt::AlignVCenter, text);
    x += QFontMetricsF(countFont).horizontalAdvance(text) + 12;
  };
  count(h.scavenges, h.scavenges == 1 ? tr("scavenge") : tr("scavenges"), GcScavenge);
  count(h.markSweeps, tr("mark-sweep-compact"), GcMarkSweepCompact);
  y += line * 1.15;
  if (h.lastGcNs > 0 && !h.collecting && fits()) {
    p.setFont(scaledFont(base, 0.85));
    p.setPen(pal.color(QPalette::PlaceholderText));
    uint64_t ago = m_state.timeNs > h.lastGcNs ? m_state.timeNs - h.lastGcNs : 0;
    p.drawText(QRectF(margin, y, w, line), Qt::AlignLeft | Qt::AlignVCenter,
               tr("last GC: %1, %2 ago").arg(qstr(gcTypeName(h.lastGcType)), humanDuration(int64_t(ago))));
  }
}

}  // namespace loopscope::ui
