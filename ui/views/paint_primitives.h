// Small drawing pieces the painted views share (cards, gauges, badges), so a queue card, a pool
// slot and a stream gauge look like parts of one application. GUI thread only.
#pragma once

#include <QColor>
#include <QFont>
#include <QPalette>
#include <QRectF>
#include <QString>

class QPainter;
class QWidget;

namespace loopscope::ui {

// `base` scaled by `factor`, never below 7 pt: presentation mode enlarges the application font,
// and every painted text follows it.
QFont scaledFont(const QFont& base, double factor, bool bold = false);

// A rounded card with a coloured accent bar on the left, a title and an optional second line,
// both elided to fit. `emphasis` draws it filled in the accent colour (the running callback).
void drawCard(QPainter& p, const QRectF& r, const QColor& accent, const QPalette& palette, const QFont& font,
              const QString& title, const QString& detail, bool emphasis = false);

// A horizontal gauge: `fraction` of it filled with `fill`; an optional marker line at
// `markerFraction` (a highWaterMark, say); `text` centred on it.
void drawGauge(QPainter& p, const QRectF& r, double fraction, const QColor& fill, const QPalette& palette,
               const QFont& font, const QString& text, double markerFraction = -1.0);

// A pill-shaped label; returns its width so callers can lay badges out in a row.
qreal drawBadge(QPainter& p, const QPointF& topLeft, const QColor& fill, const QFont& font, const QString& text);
qreal badgeWidth(const QFont& font, const QString& text);

}  // namespace loopscope::ui
