// What the lesson panel's parts (reader, quiz, exercise) share, so that a verdict looks the same
// wherever it appears.
#pragma once

#include <QColor>
#include <QString>

#include <string>

class QLabel;
class QWidget;

namespace loopscope::ui {

inline QString fromStd(const std::string& text) { return QString::fromStdString(text); }

QColor rightColor();
QColor wrongColor();

// A grade box: tinted background in the verdict's colour, readable on light and dark palettes.
QString gradeStyle(bool correct);

// A word-wrapped, selectable label for a teacher's Markdown (questions, options, the hint).
QLabel* markdownLabel(const QString& markdown, QWidget* parent);

}  // namespace loopscope::ui
