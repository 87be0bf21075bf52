// Pictures of widgets for handouts and slides: PNG/JPEG (pixels), SVG and PDF (vector, as far as
// the widget paints vectors).
#pragma once

#include <QString>

class QWidget;

namespace loopscope::ui {

// Renders `widget` into `path`; the format follows the file suffix (.png, .jpg, .svg, .pdf).
// Returns false with one sentence in `error`. GUI thread only.
bool saveWidgetPicture(QWidget* widget, const QString& path, QString* error);

}  // namespace loopscope::ui
