#include "copy_picture.h"

#include <QApplication>
#include <QBuffer>
#include <QClipboard>
#include <QContextMenuEvent>
#include <QCursor>
#include <QGuiApplication>
#include <QImage>
#include <QMainWindow>
#include <QMenu>
#include <QMimeData>
#include <QPixmap>
#include <QStatusBar>
#include <QWidget>

namespace loopscope::ui {

PictureCopier::PictureCopier(QWidget* window, const std::vector<View>& views)
    : QObject(window), m_window(window), m_views(views) {
  for (const View& view : m_views)
    if (!view.ownContextMenu) view.widget->installEventFilter(this);
}

QWidget* PictureCopier::viewContaining(QWidget* widget) const {
  for (QWidget* w = widget; w; w = w->parentWidget()) {
    for (const View& view : m_views)
      if (view.widget == w) return w;
    if (w == m_window) break;
  }
  return nullptr;
}

QWidget* PictureCopier::currentView() const {
  // The pointer says which view the user means more surely than the focus, which the dashboard
  // keeps for the transport keys whichever view was clicked.
  if (QWidget* under = QApplication::widgetAt(QCursor::pos()); under && under->window() == m_window)
    if (QWidget* view = viewContaining(under); view && view->isVisible()) return view;
  if (QWidget* focused = QApplication::focusWidget(); focused && focused->window() == m_window)
    if (QWidget* view = viewContaining(focused); view && view->isVisible()) return view;
  return m_window;
}

QString PictureCopier::nameOf(QWidget* widget) const {
  for (const View& view : m_views)
    if (view.widget == widget) return view.name;
  return tr("the window");
}

QSize PictureCopier::copy(QWidget* widget) {
  const QImage image = widget->grab().toImage();
  QByteArray png;
  QBuffer buffer(&png);
  buffer.open(QIODevice::WriteOnly);
  image.save(&buffer, "PNG");
  auto* data = new QMimeData;
  data->setImageData(image);
  data->setData(QStringLiteral("image/png"), png);
  QGuiApplication::clipboard()->setMimeData(data);
  if (auto* main = qobject_cast<QMainWindow*>(m_window))
    main->statusBar()->showMessage(tr("Copied a picture of %1 (%2×%3) to the clipboard")
                                       .arg(nameOf(widget))
                                       .arg(image.width())
                                       .arg(image.height()),
                                   5000);
  return image.size();
}

void PictureCopier::copyCurrentView() { copy(currentView()); }

bool PictureCopier::eventFilter(QObject* watched, QEvent* event) {
  if (event->type() != QEvent::ContextMenu) return false;
  auto* view = qobject_cast<QWidget*>(watched);
  if (!view) return false;
  auto* menuEvent = static_cast<QContextMenuEvent*>(event);
  QMenu menu(view);
  menu.addAction(tr("Copy picture of %1").arg(nameOf(view)), this, [this, view] { copy(view); });
  menu.addAction(tr("Copy picture of the window"), this, [this] { copy(m_window); });
  menu.exec(menuEvent->globalPos());
  return true;
}

}  // namespace loopscope::ui
