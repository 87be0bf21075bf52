#include "why_tab.h"

#include <QButtonGroup>
#include <QHBoxLayout>
#include <QStackedWidget>
#include <QToolButton>
#include <QVBoxLayout>

#include "keep_alive_panel.h"
#include "origin_panel.h"

namespace loopscope::ui {

WhyTab::WhyTab(OriginPanel* origin, KeepAlivePanel* keepAlive, QWidget* parent) : QWidget(parent) {
  auto* layout = new QVBoxLayout(this);
  layout->setContentsMargins(4, 2, 4, 0);
  layout->setSpacing(0);
  auto* switchRow = new QHBoxLayout;
  switchRow->setSpacing(2);
  auto button = [this, switchRow](const QString& text, const QString& tip) {
    auto* b = new QToolButton(this);
    b->setText(text);
    b->setToolTip(tip);
    b->setCheckable(true);
    b->setAutoRaise(true);
    b->setToolButtonStyle(Qt::ToolButtonTextOnly);
    switchRow->addWidget(b);
    return b;
  };
  m_originButton =
      button(tr("Why did it run?"), tr("The selected callback's origin: what scheduled it, back to the main script"));
  m_keepAliveButton = button(tr("What keeps the loop alive?"), tr("At the play head: why the program has not exited"));
  switchRow->addStretch(1);
  auto* group = new QButtonGroup(this);
  group->addButton(m_originButton);
  group->addButton(m_keepAliveButton);
  layout->addLayout(switchRow);

  m_stack = new QStackedWidget;
  m_stack->addWidget(origin);
  m_stack->addWidget(keepAlive);
  layout->addWidget(m_stack, 1);
  connect(m_originButton, &QToolButton::clicked, this, [this] { showPage(Page::Origin); });
  connect(m_keepAliveButton, &QToolButton::clicked, this, [this] { showPage(Page::KeepAlive); });
  showPage(Page::Origin);
}

void WhyTab::showPage(Page page) {
  m_stack->setCurrentIndex(page == Page::Origin ? 0 : 1);
  m_originButton->setChecked(page == Page::Origin);
  m_keepAliveButton->setChecked(page == Page::KeepAlive);
  // The page shown reads as the chosen one: bold, as a tab's title would.
  for (QToolButton* b : {m_originButton, m_keepAliveButton}) {
    QFont bold;  // only the weight: size and family still follow the application's (zoom)
    bold.setBold(b->isChecked());
    b->setFont(bold);
  }
}

WhyTab::Page WhyTab::page() const { return m_stack->currentIndex() == 0 ? Page::Origin : Page::KeepAlive; }

}  // namespace loopscope::ui
