// libuv's thread pool: one box per slot (UV_THREADPOOL_SIZE of the run), busy ones showing the
// job's kind and how long it has run; the backlog of submitted jobs waiting for a free slot; and
// the finished jobs whose callbacks wait for the loop's poll phase. GUI thread only.
#pragma once

#include <QStringList>
#include <QWidget>
#include <vector>

#include "recording_view.h"

namespace loopscope::ui {

class ThreadPoolView : public QWidget, public StateView {
  Q_OBJECT
 public:
  explicit ThreadPoolView(QWidget* parent = nullptr);
  void showState(const LoopState& state) override;

  // One line per slot: "idle" or "crypto.pbkdf2 · 12 ms".
  QStringList slotTexts() const;
  QStringList backlogTexts() const;    // kinds, in submit order
  QStringList completedTexts() const;  // kinds, finished on the pool, callback not yet run
  // The title as last drawn ("Thread pool: 1 of 4 busy", shortened on a narrow view; "…" if cut).
  QString shownTitle() const { return m_shownTitle; }

  QSize sizeHint() const override { return {300, 200}; }
  QSize minimumSizeHint() const override { return {160, 120}; }  // a third of a dashboard squeezed by a lesson dock

 protected:
  void paintEvent(QPaintEvent* event) override;
  bool event(QEvent* event) override;

 private:
  struct Box {
    QRectF rect;
    int slot = 0;  // 1-based
  };
  struct Layout {
    QRectF title;
    std::vector<Box> boxes;
    QRectF backlog, completed;
  };
  Layout layout() const;
  const PoolJob* jobOnSlot(int slot) const;

  LoopState m_state;
  QString m_shownTitle;
};

}  // namespace loopscope::ui
