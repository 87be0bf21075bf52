// Copy picture: a PNG of one view (or of the whole window) on the clipboard, to paste straight
// into slides, a handout or a chat. Each registered view's context menu offers it; Edit ▸ Copy
// picture (Ctrl+Shift+C) copies the view under the mouse pointer, else the one holding the
// keyboard focus, else the whole window. GUI thread only.
#pragma once

#include <QObject>
#include <QPointer>
#include <QSize>
#include <QString>

#include <vector>

class QWidget;

namespace loopscope::ui {

class PictureCopier : public QObject {
  Q_OBJECT
 public:
  struct View {
    QWidget* widget;
    QString name;  // "the loop wheel": what the menu and the status bar call it
    // Text views (the code, the console) keep their own context menu (Copy, Select all); they are
    // copied as pictures with Ctrl+Shift+C only.
    bool ownContextMenu = false;
  };
  // `window` owns the copier; its status bar (if it is a QMainWindow) says what was copied.
  PictureCopier(QWidget* window, const std::vector<View>& views);

  // The registered view that `widget` is part of, or nullptr.
  QWidget* viewContaining(QWidget* widget) const;
  // What Ctrl+Shift+C copies now: the view under the mouse pointer, else the view holding the
  // keyboard focus, else the whole window.
  QWidget* currentView() const;
  // Puts `widget`'s picture on the clipboard (PNG, and as an image for programs that take no
  // PNG) and returns its size in pixels.
  QSize copy(QWidget* widget);
  void copyCurrentView();

 protected:
  bool eventFilter(QObject* watched, QEvent* event) override;

 private:
  QString nameOf(QWidget* widget) const;

  QWidget* m_window;
  std::vector<View> m_views;
};

}  // namespace loopscope::ui
