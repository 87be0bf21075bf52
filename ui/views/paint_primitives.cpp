#include "paint_primitives.h"

#include <QFontMetricsF>
#include <QPainter>
#include <QPainterPath>
#include <algorithm>

#include "phase_colors.h"

namespace loopscope::ui {

QFont scaledFont(const QFont& base, double factor, bool bold) {
  QFont f = base;
  if (base.pointSizeF() > 0)
    f.setPointSizeF(std::max(7.0, base.pointSizeF() * factor));
  else
    f.setPixelSize(std::max(9, int(base.pixelSize() * factor)));
  f.setBold(bold);
  return f;
}

void drawCard(QPainter& p, const QRectF& r, const QColor& accent, const QPalette& palette, const QFont& font,
              const QString& title, const QString& detail, bool emphasis) {
  p.save();
  const qreal radius = std::min<qreal>(6.0, r.height() / 4);
  QPainterPath path;
  path.addRoundedRect(r, radius, radius);
  QColor fill = emphasis ? accent : palette.color(QPalette::Base);
  p.fillPath(path, fill);
  p.setPen(QPen(emphasis ? accent.darker(130) : faded(accent, palette, 0.35), 1.2));
  p.drawPath(path);
  if (!emphasis) {
    QRectF bar(r.left(), r.top(), std::min<qreal>(5.0, r.width() / 6), r.height());
    QPainterPath barPath;
    barPath.addRoundedRect(bar, radius, radius);
    p.fillPath(barPath.intersected(path), accent);
  }
  QColor text = emphasis ? textColorOn(accent) : palette.color(QPalette::Text);
  QRectF inner = r.adjusted(emphasis ? 6 : 9, 2, -4, -2);
  QFont titleFont = font;
  titleFont.setBold(true);
  QFontMetricsF titleMetrics(titleFont);
  QFont detailFont = scaledFont(font, 0.88);
  QFontMetricsF detailMetrics(detailFont);
  const bool twoLines = !detail.isEmpty() && inner.height() >= titleMetrics.height() + detailMetrics.height() - 2;
  p.setPen(text);
  p.setFont(titleFont);
  if (twoLines) {
    QRectF top(inner.left(), inner.top(), inner.width(), inner.height() / 2);
    p.drawText(top, Qt::AlignLeft | Qt::AlignBottom, titleMetrics.elidedText(title, Qt::ElideRight, inner.width()));
    p.setFont(detailFont);
    p.setPen(emphasis ? text : palette.color(QPalette::PlaceholderText));
    QRectF bottom(inner.left(), inner.center().y(), inner.width(), inner.height() / 2);
    p.drawText(bottom, Qt::AlignLeft | Qt::AlignTop, detailMetrics.elidedText(detail, Qt::ElideRight, inner.width()));
  } else {
    QString line = detail.isEmpty() ? title : title + QStringLiteral("  ") + detail;
    p.drawText(inner, Qt::AlignLeft | Qt::AlignVCenter, titleMetrics.elidedText(line, Qt::ElideRight, inner.width()));
  }
  p.restore();
}

void drawGauge(QPainter& p, const QRectF& r, double fraction, const QColor& fill, const QPalette& palette,
               const QFont& font, const QString& text, double markerFraction) {
  p.save();
  const qreal radius = std::min<qreal>(5.0, r.height() / 3);
  QPainterPath frame;
  frame.addRoundedRect(r, radius, radius);
  p.fillPath(frame, palette.color(QPalette::Base));
  fraction = std::clamp(fraction, 0.0, 1.0);
  if (fraction > 0) {
    QRectF filled(r.left(), r.top(), std::max<qreal>(2.0, r.width() * fraction), r.height());
    QPainterPath fillPath;
    fillPath.addRect(filled);
    p.fillPath(fillPath.intersected(frame), fill);
  }
  p.setPen(QPen(palette.color(QPalette::Mid), 1));
  p.drawPath(frame);
  if (markerFraction >= 0 && markerFraction <= 1) {
    qreal x = r.left() + r.width() * markerFraction;
    p.setPen(QPen(palette.color(QPalette::Text), 2, Qt::DashLine));
    p.drawLine(QPointF(x, r.top() - 3), QPointF(x, r.bottom() + 3));
  }
  if (!text.isEmpty()) {
    p.setFont(font);
    QFontMetricsF fm(font);
    QString shown = fm.elidedText(text, Qt::ElideRight, r.width() - 8);
    // Text over the filled part takes the fill's contrast colour, so it reads at any level.
    QRectF textRect = r.adjusted(6, 0, -6, 0);
    p.setPen(palette.color(QPalette::Text));
    p.drawText(textRect, Qt::AlignLeft | Qt::AlignVCenter, shown);
    if (fraction > 0) {
      p.setClipRect(QRectF(r.left(), r.top(), r.width() * fraction, r.height()));
      p.setPen(textColorOn(fill));
      p.drawText(textRect, Qt::AlignLeft | Qt::AlignVCenter, shown);
    }
  }
  p.restore();
}

qreal badgeWidth(const QFont& font, const QString& text) {
  QFontMetricsF fm(font);
  return fm.horizontalAdvance(text) + fm.height() * 0.8;
}

qreal drawBadge(QPainter& p, const QPointF& topLeft, const QColor& fill, const QFont& font, const QString& text) {
  QFontMetricsF fm(font);
  QRectF r(topLeft, QSizeF(badgeWidth(font, text), fm.height() + 4));
  p.save();
  p.setPen(Qt::NoPen);
  p.setBrush(fill);
  p.drawRoundedRect(r, r.height() / 2, r.height() / 2);
  p.setFont(font);
  p.setPen(textColorOn(fill));
  p.drawText(r, Qt::AlignCenter, text);
  p.restore();
  return r.width();
}

}  // namespace loopscope::ui
