#include "theme.h"

#include <QApplication>
#include <QFile>
#include <QFont>
#include <QFontDatabase>
#include <QGuiApplication>
#include <QScreen>
#include <QPainter>
#include <QPainterPath>
#include <QPalette>
#include <QPixmap>
#include <QStyle>
#include <QStyleFactory>

#include <algorithm>
#include <cmath>
#include <memory>

namespace loopscope::ui {

namespace {

QPalette lightPalette() {
  const std::unique_ptr<QStyle> fusion(QStyleFactory::create(QStringLiteral("Fusion")));
  QPalette p = fusion->standardPalette();
  p.setColor(QPalette::Window, QColor(0xf4, 0xf5, 0xf7));
  p.setColor(QPalette::Base, Qt::white);
  p.setColor(QPalette::AlternateBase, QColor(0xee, 0xf0, 0xf3));
  p.setColor(QPalette::Highlight, QColor(0x25, 0x63, 0xeb));
  p.setColor(QPalette::HighlightedText, Qt::white);
  return p;
}

QPalette darkPalette() {
  QPalette p;
  const QColor window(0x1e, 0x21, 0x27), base(0x16, 0x18, 0x1d), text(0xe6, 0xe8, 0xeb);
  p.setColor(QPalette::Window, window);
  p.setColor(QPalette::WindowText, text);
  p.setColor(QPalette::Base, base);
  p.setColor(QPalette::AlternateBase, QColor(0x23, 0x26, 0x2d));
  p.setColor(QPalette::ToolTipBase, QColor(0x2b, 0x2f, 0x37));
  p.setColor(QPalette::ToolTipText, text);
  p.setColor(QPalette::PlaceholderText, QColor(0x8b, 0x91, 0x9c));
  p.setColor(QPalette::Text, text);
  p.setColor(QPalette::Button, QColor(0x2b, 0x2f, 0x37));
  p.setColor(QPalette::ButtonText, text);
  p.setColor(QPalette::BrightText, QColor(0xff, 0x6b, 0x6b));
  p.setColor(QPalette::Light, QColor(0x3a, 0x3f, 0x4a));
  p.setColor(QPalette::Midlight, QColor(0x33, 0x37, 0x41));
  p.setColor(QPalette::Mid, QColor(0x4a, 0x50, 0x5c));
  p.setColor(QPalette::Dark, QColor(0x11, 0x13, 0x17));
  p.setColor(QPalette::Shadow, Qt::black);
  p.setColor(QPalette::Highlight, QColor(0x4c, 0x8d, 0xff));
  p.setColor(QPalette::HighlightedText, Qt::white);
  p.setColor(QPalette::Link, QColor(0x7a, 0xb4, 0xff));
  for (auto role : {QPalette::WindowText, QPalette::Text, QPalette::ButtonText})
    p.setColor(QPalette::Disabled, role, QColor(0x6b, 0x71, 0x7c));
  return p;
}

// Projectors wash out mid-greys: pure black on white, thick dark frames, a saturated highlight.
QPalette presentationPalette(Theme theme) {
  QPalette p = theme == Theme::Dark ? darkPalette() : lightPalette();
  const QColor ink = theme == Theme::Dark ? Qt::white : Qt::black;
  const QColor paper = theme == Theme::Dark ? Qt::black : Qt::white;
  for (auto role : {QPalette::WindowText, QPalette::Text, QPalette::ButtonText, QPalette::ToolTipText})
    p.setColor(role, ink);
  for (auto role : {QPalette::Window, QPalette::Base, QPalette::ToolTipBase}) p.setColor(role, paper);
  p.setColor(QPalette::AlternateBase, theme == Theme::Dark ? QColor(0x20, 0x20, 0x20) : QColor(0xee, 0xee, 0xee));
  p.setColor(QPalette::Button, theme == Theme::Dark ? QColor(0x28, 0x28, 0x28) : QColor(0xe8, 0xe8, 0xe8));
  p.setColor(QPalette::Mid, theme == Theme::Dark ? QColor(0xb0, 0xb0, 0xb0) : QColor(0x40, 0x40, 0x40));
  p.setColor(QPalette::PlaceholderText, theme == Theme::Dark ? QColor(0xc0, 0xc0, 0xc0) : QColor(0x40, 0x40, 0x40));
  p.setColor(QPalette::Highlight, theme == Theme::Dark ? QColor(0xff, 0xd4, 0x00) : QColor(0x00, 0x3c, 0xc8));
  p.setColor(QPalette::HighlightedText, theme == Theme::Dark ? Qt::black : Qt::white);
  // setColor(role, …) above painted the disabled group in full ink too: Stop would look as
  // pressable as Run. Disabled stays grey, dark enough to read, clearly not "on".
  const QColor disabledInk = theme == Theme::Dark ? QColor(0x8a, 0x8a, 0x8a) : QColor(0x70, 0x70, 0x70);
  for (auto role : {QPalette::WindowText, QPalette::Text, QPalette::ButtonText})
    p.setColor(QPalette::Disabled, role, disabledInk);
  return p;
}

bool g_presentationAppearance = false;
int g_zoomSteps = 0;

// `font` scaled by `factor`, whichever unit it was given in.
QFont scaled(QFont font, double factor) {
  if (font.pointSizeF() > 0)
    font.setPointSizeF(font.pointSizeF() * factor);
  else
    font.setPixelSize(std::max(1, int(std::lround(font.pixelSize() * factor))));
  return font;
}

// The font's height in pixels on the primary screen (point sizes depend on its resolution).
double pixelSizeOf(const QFont& font) {
  if (font.pixelSize() > 0) return font.pixelSize();
  const double dpi = QGuiApplication::primaryScreen() ? QGuiApplication::primaryScreen()->logicalDotsPerInchY() : 96.0;
  return font.pointSizeF() * dpi / 72.0;
}

// One glyph in a square of side `s`, in `ink`. Simple filled shapes: they stay legible at 16 px
// and from the back of a classroom at 32 px.
void drawGlyph(QPainter& p, ToolbarGlyph glyph, double s, const QColor& ink) {
  p.setPen(Qt::NoPen);
  p.setBrush(ink);
  auto triangle = [&](double left, double right) {
    p.drawPolygon(QPolygonF{QPointF(left, s * 0.18), QPointF(right, s * 0.5), QPointF(left, s * 0.82)});
  };
  switch (glyph) {
    case ToolbarGlyph::Run: triangle(s * 0.22, s * 0.84); break;
    case ToolbarGlyph::Stop:
      p.drawRoundedRect(QRectF(s * 0.22, s * 0.22, s * 0.56, s * 0.56), s * 0.06, s * 0.06);
      break;
    case ToolbarGlyph::Step:
      triangle(s * 0.16, s * 0.66);
      p.drawRect(QRectF(s * 0.7, s * 0.18, s * 0.13, s * 0.64));
      break;
    case ToolbarGlyph::Continue:
      triangle(s * 0.1, s * 0.5);
      triangle(s * 0.48, s * 0.88);
      break;
    case ToolbarGlyph::StepMode:  // a pause sign: the engine waits at every gate
      p.drawRect(QRectF(s * 0.26, s * 0.2, s * 0.16, s * 0.6));
      p.drawRect(QRectF(s * 0.58, s * 0.2, s * 0.16, s * 0.6));
      break;
    case ToolbarGlyph::HeapSnapshot: {  // a camera
      QPainterPath body;
      body.addRoundedRect(QRectF(s * 0.1, s * 0.3, s * 0.8, s * 0.5), s * 0.08, s * 0.08);
      body.addRect(QRectF(s * 0.34, s * 0.2, s * 0.32, s * 0.12));
      QPainterPath lens;
      lens.addEllipse(QPointF(s * 0.5, s * 0.55), s * 0.15, s * 0.15);
      p.drawPath(body.subtracted(lens));
      break;
    }
    case ToolbarGlyph::Lessons:  // a list
      for (int i = 0; i < 3; ++i) {
        const double y = s * (0.24 + 0.22 * i);
        p.drawEllipse(QPointF(s * 0.2, y + s * 0.05), s * 0.07, s * 0.07);
        p.drawRect(QRectF(s * 0.34, y, s * 0.54, s * 0.1));
      }
      break;
    case ToolbarGlyph::LessonText: {  // an open book
      QPen pen(ink, std::max(1.0, s * 0.08));
      pen.setJoinStyle(Qt::RoundJoin);
      p.setPen(pen);
      p.setBrush(Qt::NoBrush);
      QPainterPath book;
      book.moveTo(s * 0.5, s * 0.3);
      book.quadTo(s * 0.3, s * 0.18, s * 0.1, s * 0.24);
      book.lineTo(s * 0.1, s * 0.8);
      book.quadTo(s * 0.3, s * 0.74, s * 0.5, s * 0.86);
      book.quadTo(s * 0.7, s * 0.74, s * 0.9, s * 0.8);
      book.lineTo(s * 0.9, s * 0.24);
      book.quadTo(s * 0.7, s * 0.18, s * 0.5, s * 0.3);
      book.lineTo(s * 0.5, s * 0.86);
      p.drawPath(book);
      break;
    }
  }
}

QPixmap glyphPixmap(ToolbarGlyph glyph, int side, const QColor& ink) {
  QPixmap pixmap(side, side);
  pixmap.fill(Qt::transparent);
  QPainter p(&pixmap);
  p.setRenderHint(QPainter::Antialiasing);
  drawGlyph(p, glyph, side, ink);
  return pixmap;
}

QString readStyleSheet(const QString& name) {
  QFile file(QStringLiteral(":/themes/%1.qss").arg(name));
  return file.open(QIODevice::ReadOnly) ? QString::fromUtf8(file.readAll()) : QString();
}

}  // namespace

QString themeName(Theme theme) { return theme == Theme::Dark ? QStringLiteral("dark") : QStringLiteral("light"); }

Theme themeFromName(const QString& name) { return name == QLatin1String("dark") ? Theme::Dark : Theme::Light; }

bool isPresentationAppearance() { return g_presentationAppearance; }

int appearanceZoomSteps() { return g_zoomSteps; }

QFont codeFont() {
  QFont code = QFontDatabase::systemFont(QFontDatabase::FixedFont);
  code.setStyleHint(QFont::Monospace);
  // From the application font, not from the platform's own fixed font: that one is a separate
  // setting which neither presentation mode nor the zoom would ever reach.
  double pixels = pixelSizeOf(QApplication::font()) * 1.05;
  if (g_presentationAppearance)
    pixels = std::max<double>(pixels, kPresentationCodePixels * std::pow(kZoomStepFactor, g_zoomSteps));
  code.setPixelSize(std::max(6, int(std::lround(pixels))));
  return code;
}

QIcon toolbarIcon(ToolbarGlyph glyph, const QPalette& palette) {
  QIcon icon;
  // The disabled colour is the palette's own, not Fusion's generated grey, which is nearly the
  // dark theme's background.
  const QColor ink = palette.color(QPalette::Active, QPalette::ButtonText);
  const QColor disabled = palette.color(QPalette::Disabled, QPalette::ButtonText);
  for (int side : {16, 20, 24, 32, 48}) {
    icon.addPixmap(glyphPixmap(glyph, side, ink), QIcon::Normal);
    icon.addPixmap(glyphPixmap(glyph, side, ink), QIcon::Active);
    icon.addPixmap(glyphPixmap(glyph, side, disabled), QIcon::Disabled);
  }
  return icon;
}

void applyAppearance(QApplication& app, Theme theme, bool presentation, int zoomSteps) {
  g_presentationAppearance = presentation;
  g_zoomSteps = std::clamp(zoomSteps, kMinZoomSteps, kMaxZoomSteps);
  // The first call remembers the platform's font so presentation mode can scale it back down.
  static const QFont normalFont = app.font();
  app.setStyle(QStyleFactory::create(QStringLiteral("Fusion")));
  app.setPalette(presentation ? presentationPalette(theme) : theme == Theme::Dark ? darkPalette() : lightPalette());
  QFont font =
      scaled(normalFont, (presentation ? kPresentationFontScale : 1.0) * std::pow(kZoomStepFactor, g_zoomSteps));
  // Every widget hears ApplicationFontChange; the code views then ask codeFont() again.
  app.setFont(font);
  QString sheet = readStyleSheet(themeName(theme));
  if (presentation) sheet += readStyleSheet(QStringLiteral("presentation"));
  app.setStyleSheet(sheet);
}

}  // namespace loopscope::ui
