// The queues as columns of cards, each in the order its callbacks will run, with the running
// callback above them. Columns: Timers, Immediates, nextTick, Microtasks (the queues
// the engine records; libuv's pending and closing queues are not visible before they run, so what
// runs in those phases shows only as the running callback).
//
// Painted (not a widget per card) so a queue of ten thousand immediates costs the same as one.
// GUI thread only.
#pragma once

#include <QStringList>
#include <QWidget>
#include <vector>

#include "recording_view.h"

namespace loopscope::ui {

class QueuesView : public QWidget, public StateView {
  Q_OBJECT
 public:
  enum Column { Timers = 0, Immediates, NextTick, Microtasks, ColumnCount };

  explicit QueuesView(QWidget* parent = nullptr);
  void showState(const LoopState& state) override;
  // Node's own callbacks (a console.log's afterWriteTick, ...) are real but bury the learner's:
  // hidden unless asked for. Off by default.
  void setShowInternals(bool show);
  bool showInternals() const { return m_showInternals; }

  static QString columnTitle(int column);
  // One line per entry in run order: "onTimer  snippet.js:7  in 3 ms"; {"empty"} when empty.
  QStringList columnTexts(int column) const;
  // "Running: Timeout onTimer snippet.js:7 (timers)" or "" when nothing runs.
  QString runningText() const;
  // The callback whose origin is shown (OriginPanel): its card is outlined. 0 = none.
  void setSelectedCallback(int64_t asyncId);
  // Where the card of a callback is drawn (empty if it is not shown): for tests and tooltips.
  QRectF cardRect(int64_t asyncId) const;

  QSize sizeHint() const override { return {600, 250}; }
  QSize minimumSizeHint() const override { return {360, 160}; }

 Q_SIGNALS:
  // The user clicked the card of this callback (or the running one).
  void callbackClicked(qint64 asyncId);

 protected:
  void paintEvent(QPaintEvent* event) override;
  bool event(QEvent* event) override;
  void mousePressEvent(QMouseEvent* event) override;

 private:
  LoopState m_received;  // as given; m_state is it with Node's internals filtered out
  bool m_showInternals = false;
  struct Card {
    QRectF rect;
    QString title, detail, toolTip;
    QColor accent;
    bool more = false;  // the "+ M more" line
    int64_t asyncId = 0;
  };
  struct Layout {
    QRectF running;
    std::vector<QRectF> headers;
    std::vector<Card> cards;
  };
  Layout layout() const;
  const CallbackQueue& entries(int column) const;
  QColor columnColor(int column) const;
  QString cardDetail(int column, const QueueEntry& entry) const;
  QString cardToolTip(int column, const QueueEntry& entry) const;

  LoopState m_state;
  int64_t m_selected = 0;
};

}  // namespace loopscope::ui
