// The "Why" tab: two questions on one tab, so the tab bar keeps fitting a 1280 px projector at
// the presentation font — "Why did it run?" (the selected callback's origin, OriginPanel) and
// "What keeps the loop alive?" (KeepAlivePanel) — with a switch between them at the top.
// GUI thread only.
#pragma once

#include <QWidget>

class QStackedWidget;
class QToolButton;

namespace loopscope::ui {

class KeepAlivePanel;
class OriginPanel;

class WhyTab : public QWidget {
  Q_OBJECT
 public:
  enum class Page { Origin, KeepAlive };
  WhyTab(OriginPanel* origin, KeepAlivePanel* keepAlive, QWidget* parent = nullptr);

  void showPage(Page page);
  Page page() const;

 private:
  QStackedWidget* m_stack;
  QToolButton* m_originButton;
  QToolButton* m_keepAliveButton;
};

}  // namespace loopscope::ui
