#include "theme.h"

#include <QApplication>
#include <QFile>
#include <QFont>
#include <QPalette>
#include <QStyle>
#include <QStyleFactory>

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
  return p;
}

QString readStyleSheet(const QString& name) {
  QFile file(QStringLiteral(":/themes/%1.qss").arg(name));
  return file.open(QIODevice::ReadOnly) ? QString::fromUtf8(file.readAll()) : QString();
}

}  // namespace

QString themeName(Theme theme) { return theme == Theme::Dark ? QStringLiteral("dark") : QStringLiteral("light"); }

Theme themeFromName(const QString& name) { return name == QLatin1String("dark") ? Theme::Dark : Theme::Light; }

void applyAppearance(QApplication& app, Theme theme, bool presentation) {
  // The first call remembers the platform's font so presentation mode can scale it back down.
  static const QFont normalFont = app.font();
  app.setStyle(QStyleFactory::create(QStringLiteral("Fusion")));
  app.setPalette(presentation ? presentationPalette(theme) : theme == Theme::Dark ? darkPalette() : lightPalette());
  QFont font = normalFont;
  if (presentation) {
    if (font.pointSizeF() > 0) font.setPointSizeF(font.pointSizeF() * kPresentationFontScale);
    else font.setPixelSize(int(font.pixelSize() * kPresentationFontScale));
  }
  app.setFont(font);
  QString sheet = readStyleSheet(themeName(theme));
  if (presentation) sheet += readStyleSheet(QStringLiteral("presentation"));
  app.setStyleSheet(sheet);
}

}  // namespace loopscope::ui
