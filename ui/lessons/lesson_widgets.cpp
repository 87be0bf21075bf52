#include "lessons/lesson_widgets.h"

#include <QLabel>

namespace loopscope::ui {

QColor rightColor() { return QColor(46, 160, 67); }
QColor wrongColor() { return QColor(207, 34, 46); }

QString gradeStyle(bool correct) {
  QColor c = correct ? rightColor() : wrongColor();
  return QStringLiteral(
             "QLabel { background: rgba(%1,%2,%3,40); border: 1px solid rgba(%1,%2,%3,160);"
             " border-radius: 4px; padding: 6px; }")
      .arg(c.red())
      .arg(c.green())
      .arg(c.blue());
}

QLabel* markdownLabel(const QString& markdown, QWidget* parent) {
  auto* label = new QLabel(parent);
  label->setTextFormat(Qt::MarkdownText);
  label->setText(markdown.trimmed());
  label->setWordWrap(true);
  label->setTextInteractionFlags(Qt::TextSelectableByMouse | Qt::LinksAccessibleByMouse);
  label->setOpenExternalLinks(true);
  return label;
}

}  // namespace loopscope::ui
