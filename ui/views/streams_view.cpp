#include "streams_view.h"

#include <QFontMetricsF>
#include <QHelpEvent>
#include <QPainter>
#include <QToolTip>
#include <algorithm>
#include <vector>

#include "human_units.h"
#include "paint_primitives.h"
#include "phase_colors.h"

namespace loopscope::ui {
namespace {

bool hasWritable(const StreamState& s) { return s.writableHighWaterMark > 0 || s.writableBuffered > 0; }
bool hasReadable(const StreamState& s) { return s.readableHighWaterMark > 0 || s.readableBuffered > 0; }

// Object-mode streams count objects, not bytes; a highWaterMark of 16 is their default.
QString amount(int64_t n, int64_t hwm) { return hwm > 0 && hwm <= 64 ? QString::number(n) : humanBytes(n); }

}  // namespace

StreamsView::StreamsView(QWidget* parent) : QWidget(parent) {
  setMouseTracking(true);
  setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Expanding);
}

void StreamsView::showState(const LoopState& state) {
  m_state = state;
  update();
}

QStringList StreamsView::streamTexts() const {
  QStringList out;
  for (const StreamState& s : m_state.streams) {
    QStringList parts{QStringLiteral("%1 #%2").arg(qstr(s.name)).arg(s.id)};
    if (hasWritable(s))
      parts << tr("writable %1 / %2")
                   .arg(amount(s.writableBuffered, s.writableHighWaterMark),
                        amount(s.writableHighWaterMark, s.writableHighWaterMark));
    if (hasReadable(s))
      parts << tr("readable %1 / %2")
                   .arg(amount(s.readableBuffered, s.readableHighWaterMark),
                        amount(s.readableHighWaterMark, s.readableHighWaterMark));
    if (s.writeReturnedFalse) parts << tr("write() returned false");
    if (s.paused) parts << tr("paused");
    if (s.ended) parts << tr("ended");
    out << parts.join(QStringLiteral(" · "));
  }
  if (out.isEmpty()) out << tr("No streams yet");
  return out;
}

QString StreamsView::streamToolTip(const StreamState& s) const {
  QString tip = QStringLiteral("<b>%1 #%2</b>").arg(qstr(s.name).toHtmlEscaped()).arg(s.id);
  if (hasWritable(s))
    tip += tr("<br>writable side: %1 buffered, highWaterMark %2")
               .arg(amount(s.writableBuffered, s.writableHighWaterMark),
                    amount(s.writableHighWaterMark, s.writableHighWaterMark));
  if (hasReadable(s))
    tip += tr("<br>readable side: %1 buffered, highWaterMark %2")
               .arg(amount(s.readableBuffered, s.readableHighWaterMark),
                    amount(s.readableHighWaterMark, s.readableHighWaterMark));
  if (s.writeReturnedFalse)
    tip +=
        tr("<br><b>write() returned false</b>: the buffer is past highWaterMark. Stop writing "
           "and wait for 'drain' — that is backpressure.");
  tip += tr("<br>last event: %1").arg(qstr(streamEventName(s.lastEvent)));
  return tip;
}

double StreamsView::rowHeight(const StreamState& s) const {
  const double line = QFontMetricsF(font()).height();
  int gauges = int(hasWritable(s)) + int(hasReadable(s));
  return line * 1.2 + std::max(1, gauges) * line * 1.35 + 6;
}

void StreamsView::paintEvent(QPaintEvent*) {
  QPainter p(this);
  p.setRenderHint(QPainter::Antialiasing);
  const QPalette pal = palette();
  p.fillRect(rect(), pal.color(QPalette::Window));
  const QFont base = font();
  const double margin = 6, line = QFontMetricsF(base).height();
  const double w = width() - 2 * margin;
  double y = margin;
  p.setFont(scaledFont(base, 1.0, true));
  p.setPen(pal.color(QPalette::WindowText));
  p.drawText(QRectF(margin, y, w, line * 1.3), Qt::AlignLeft | Qt::AlignVCenter, tr("Streams"));
  y += line * 1.5;
  if (m_state.streams.empty()) {
    QFont italic = base;
    italic.setItalic(true);
    p.setFont(italic);
    p.setPen(pal.color(QPalette::PlaceholderText));
    p.drawText(QRectF(margin, y, w, height() - y - margin), Qt::AlignCenter | Qt::TextWordWrap, tr("No streams yet"));
    return;
  }
  const QColor normal = phaseColor(Phase::Poll, pal);
  const QColor warn = warningColor(pal);
  const QFont nameFont = scaledFont(base, 0.92, true);
  const QFont gaugeFont = scaledFont(base, 0.85);
  const QFont badgeFont = scaledFont(base, 0.78, true);
  for (size_t i = 0; i < m_state.streams.size(); ++i) {
    const StreamState& s = m_state.streams[i];
    // Keep one line for "+ N more" when the next row would not fit.
    const bool last = i + 1 == m_state.streams.size();
    if (y + rowHeight(s) + (last ? 0 : line) > height() - margin && i > 0) {
      p.setFont(scaledFont(base, 0.9, true));
      p.setPen(pal.color(QPalette::WindowText));
      p.drawText(QRectF(margin, y, w, line), Qt::AlignLeft | Qt::AlignVCenter,
                 tr("+ %1 more").arg(m_state.streams.size() - i));
      break;
    }
    // The badges say what the stream is doing (paused, backpressure) and matter more than the
    // tail of a long class name such as "ReadableWorkerStdio": the name gives way to them.
    struct Badge {
      QString text;
      QColor fill;
    };
    std::vector<Badge> badges;
    if (s.writeReturnedFalse) badges.push_back({tr("write() → false"), warn});
    if (s.paused) badges.push_back({tr("paused"), pal.color(QPalette::Mid)});
    if (s.ended) badges.push_back({tr("ended"), pal.color(QPalette::Dark)});
    double badgesWidth = 0;
    for (const Badge& b : badges) badgesWidth += badgeWidth(badgeFont, b.text) + 4;
    const QFontMetricsF nameMetrics(nameFont);
    const QString number = QStringLiteral(" #%1").arg(s.id);
    const double nameRoom = std::max(w * 0.45, w - badgesWidth - 8);
    // The start of a class name says what it is ("ReadableW…"); the number tells two apart.
    const QString shownName =
        nameMetrics.elidedText(qstr(s.name), Qt::ElideRight, nameRoom - nameMetrics.horizontalAdvance(number)) + number;
    p.setFont(nameFont);
    p.setPen(s.writeReturnedFalse ? warn : pal.color(QPalette::WindowText));
    p.drawText(QRectF(margin, y, nameRoom, line * 1.2), Qt::AlignLeft | Qt::AlignVCenter, shownName);
    double bx = margin + nameMetrics.horizontalAdvance(shownName) + 8;
    const double by = y + (line * 1.2 - (QFontMetricsF(badgeFont).height() + 4)) / 2;
    for (const Badge& b : badges) bx += drawBadge(p, QPointF(bx, by), b.fill, badgeFont, b.text) + 4;
    y += line * 1.2;
    auto side = [&](const QString& which, int64_t buffered, int64_t hwm, bool lit) {
      // The scale leaves room past the highWaterMark: overshooting it is what backpressure is
      // about, so the gauge must be able to show it.
      double scale = double(std::max<int64_t>({hwm + hwm / 4, buffered, 1}));
      QRectF r(margin, y + 1, w, line * 1.15);
      QString text = tr("%1 %2 / %3").arg(which, amount(buffered, hwm), amount(hwm, hwm));
      drawGauge(p, r, double(buffered) / scale, lit || buffered > hwm ? warn : normal, pal, gaugeFont, text,
                hwm > 0 ? double(hwm) / scale : -1.0);
      if (lit) {
        p.setPen(QPen(warn, 2.5));
        p.setBrush(Qt::NoBrush);
        p.drawRoundedRect(r.adjusted(-2, -2, 2, 2), 5, 5);
      }
      y += line * 1.35;
    };
    if (hasWritable(s)) side(tr("writable"), s.writableBuffered, s.writableHighWaterMark, s.writeReturnedFalse);
    if (hasReadable(s)) side(tr("readable"), s.readableBuffered, s.readableHighWaterMark, false);
    if (!hasWritable(s) && !hasReadable(s)) y += line * 1.35;
    y += 6;
  }
}

bool StreamsView::event(QEvent* e) {
  if (e->type() == QEvent::ToolTip) {
    auto* help = static_cast<QHelpEvent*>(e);
    const double line = QFontMetricsF(font()).height();
    double y = 6 + line * 1.5;
    QString tip;
    for (const StreamState& s : m_state.streams) {
      double h = rowHeight(s);
      if (help->pos().y() >= y && help->pos().y() < y + h) tip = streamToolTip(s);
      y += h;
    }
    if (tip.isEmpty())
      tip =
          tr("Each gauge shows what a stream holds in its buffer against its highWaterMark "
             "(the dashed line).");
    QToolTip::showText(help->globalPos(), tip, this);
    return true;
  }
  return QWidget::event(e);
}

}  // namespace loopscope::ui
