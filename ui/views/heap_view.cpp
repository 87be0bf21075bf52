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

  // Every space that holds memory gets a gauge: a program that keeps big arrays or buffers fills
  // the large-object space, not the old space, and a heap that looks nearly empty while the
  // process dies of a full one teaches the wrong lesson. Code and map space are small and share
  // one line below.
  struct Space {
    QString title;
    int64_t bytes;
    int64_t minimumScale;
    bool flashing;
    int64_t gcBits;
    QString hint;
  };
  const bool youngGc = h.collecting && isYoung(h.lastGcType);
  const bool oldGc = h.collecting && !isYoung(h.lastGcType);
  std::vector<Space> spaces = {
      {tr("New space (young)"), h.newSpace, kMiB, youngGc, GcScavenge, tr("scavenging…")},
      {tr("Old space"), h.oldSpace, 4 * kMiB, oldGc, GcMarkSweepCompact, tr("mark-sweep-compact…")},
  };
  const bool largeGauge = h.largeObjectSpace > 0;
  if (largeGauge)
    spaces.push_back({tr("Large objects"), h.largeObjectSpace, 4 * kMiB, oldGc, GcMarkSweepCompact, tr("collecting…")});
  // V8 reports the spaces at the end of each GC; before the first one there is no reading, which
  // is not the same as an empty heap.
  const bool measured = h.lastGcNs > 0 || h.newSpace > 0 || h.oldSpace > 0;
  m_drawnLabels.clear();

  const double spare = height() - margin - y - line * 3.6;  // the text rows below the gauges
  const double gaugeH =
      std::clamp(spare / double(spaces.size()) - line * 1.45, line * 0.9, line * (spaces.size() > 2 ? 1.6 : 2.2));
  for (const Space& space : spaces) {
    p.setFont(scaledFont(base, 0.92));
    p.setPen(pal.color(QPalette::WindowText));
    const int64_t scale = gaugeScale(space.bytes, space.minimumScale);
    // The space's name wins over the scale when both do not fit (presentation font, narrow
    // column): the scale is a detail, and the two must never overprint each other.
    const QFontMetricsF labelMetrics(p.font());
    const QString right = space.flashing ? space.hint : tr("scale %1").arg(humanBytes(scale));
    const QString title = labelMetrics.elidedText(space.title, Qt::ElideRight, w);
    const double titleWidth = labelMetrics.horizontalAdvance(title);
    p.drawText(QRectF(margin, y, w, line), Qt::AlignLeft | Qt::AlignVCenter, title);
    m_drawnLabels << title;
    if (titleWidth + 8 + labelMetrics.horizontalAdvance(right) <= w) {
      p.setPen(pal.color(QPalette::PlaceholderText));
      p.drawText(QRectF(margin, y, w, line), Qt::AlignRight | Qt::AlignVCenter, right);
    }
    y += line * 1.1;
    QRectF r(margin, y, w, gaugeH);
    QColor fill = space.flashing ? gcColor(space.gcBits, pal) : faded(gcColor(space.gcBits, pal), pal, 0.35);
    const QString value = measured ? humanBytes(space.bytes) : tr("no GC yet");
    drawGauge(p, r, double(space.bytes) / double(scale), fill, pal, scaledFont(base, 1.0, true), value);
    if (space.flashing) {
      // The flash: a thick outline in the GC's colour around the generation being collected.
      p.setPen(QPen(gcColor(space.gcBits, pal), 3));
      p.setBrush(Qt::NoBrush);
      p.drawRoundedRect(r.adjusted(-2, -2, 2, 2), 6, 6);
    }
    y += gaugeH + line * 0.35;
  }

  // The small spaces in one line, then the counts with colour keys. Each only if it fits whole:
  // half a line of text cut by the view's edge is noise on a projector.
  auto fits = [&] { return y + line <= height(); };
  if (!fits()) return;
  p.setFont(scaledFont(base, 0.85));
  p.setPen(pal.color(QPalette::PlaceholderText));
  QString small = tr("code %1 · map %2").arg(humanBytes(h.codeSpace), humanBytes(h.mapSpace));
  if (!largeGauge) small += tr(" · large objects %1").arg(humanBytes(h.largeObjectSpace));
  if (!measured) small = tr("V8 reports its heap at the end of each GC");
  // Shorter words before cut ones: the names matter more than the separators.
  const QFontMetricsF smallMetrics(p.font());
  if (smallMetrics.horizontalAdvance(small) > w && measured)
    small = tr("code %1 · map %2").arg(humanBytes(h.codeSpace), humanBytes(h.mapSpace));
  small = smallMetrics.elidedText(small, Qt::ElideRight, w);
  p.drawText(QRectF(margin, y, w, line), Qt::AlignLeft | Qt::AlignVCenter, small);
  m_drawnLabels << small;
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
