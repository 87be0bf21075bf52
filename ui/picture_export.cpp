#include "picture_export.h"

#include <QFileInfo>
#include <QPainter>
#include <QPdfWriter>
#include <QPixmap>
#include <QSvgGenerator>
#include <QWidget>

namespace loopscope::ui {

bool saveWidgetPicture(QWidget* widget, const QString& path, QString* error) {
  const QString suffix = QFileInfo(path).suffix().toLower();
  const QSize size = widget->size();
  auto fail = [&](const QString& why) {
    if (error) *error = why;
    return false;
  };
  if (suffix == QLatin1String("svg")) {
    QSvgGenerator svg;
    svg.setFileName(path);
    svg.setSize(size);
    svg.setViewBox(QRect(QPoint(0, 0), size));
    svg.setTitle(QStringLiteral("Loopscope"));
    QPainter painter;
    if (!painter.begin(&svg)) return fail(QStringLiteral("Cannot write '%1'.").arg(path));
    widget->render(&painter);
    painter.end();
    return true;
  }
  if (suffix == QLatin1String("pdf")) {
    QPdfWriter pdf(path);
    // One page the size of the widget, at screen resolution, so nothing is scaled or cut.
    pdf.setResolution(96);
    pdf.setPageSize(QPageSize(QSizeF(size.width() * 72.0 / 96, size.height() * 72.0 / 96), QPageSize::Point));
    pdf.setPageMargins(QMarginsF(0, 0, 0, 0));
    QPainter painter;
    if (!painter.begin(&pdf)) return fail(QStringLiteral("Cannot write '%1'.").arg(path));
    widget->render(&painter);
    painter.end();
    return true;
  }
  if (suffix != QLatin1String("png") && suffix != QLatin1String("jpg") && suffix != QLatin1String("jpeg"))
    return fail(QStringLiteral("Cannot save a picture as '.%1': choose .png, .jpg, .svg or .pdf.").arg(suffix));
  if (!widget->grab().save(path))
    return fail(QStringLiteral("Cannot write '%1': check that the folder exists and is writable.").arg(path));
  return true;
}

}  // namespace loopscope::ui
