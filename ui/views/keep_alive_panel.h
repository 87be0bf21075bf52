// "What keeps the loop alive" at the play head — the question behind every "why doesn't my
// program exit?": the pending timers and immediates, requests in flight, thread-pool work, and
// the active handles (listening servers, reading sockets and pipes, file watchers), child
// processes and workers, each with its kind and the line that created it
// (model/interpret/keep_alive.h). Empty, it says so: nothing holds the loop, the program can exit.
//
// Clicking a row moves the play head to where that thing was created (eventActivated) and asks
// for its origin (callbackSelected). GUI thread only.
#pragma once

#include <QJsonArray>
#include <QWidget>
#include <vector>

#include "interpret/keep_alive.h"
#include "recording_view.h"

class QLabel;
class QTableWidget;

namespace loopscope::ui {

class KeepAlivePanel : public QWidget, public RecordingView {
  Q_OBJECT
 public:
  explicit KeepAlivePanel(QWidget* parent = nullptr);

  // The recording to describe (nullptrs: none); both must stay valid until the next call.
  void setSource(const Trace* trace, const KeepAliveIndex* index);
  // Shows what keeps the loop alive after the first `position` events. While the panel is hidden
  // (another tab in front) it only notes the position and catches up when shown.
  void showUpTo(size_t position);

  void showRecording(const RecordingSource& source) override { setSource(source.trace, source.keepAlive); }
  void showMoment(size_t position, const LoopState&) override { showUpTo(position); }
  // What is shown (after catching up with the last showUpTo).
  const std::vector<KeepAliveEntry>& entries();
  // The headline above the list ("Nothing: the program can exit.", "3 things keep the loop alive").
  QString headline() const;
  // "server · server listening (TCP) · app.js:3" per row (tests).
  QStringList rowTexts() const;

  // [{kind, type, detail, asyncId, function, file, line, createdAt}] for --dump-state.
  static QJsonArray toJson(const std::vector<KeepAliveEntry>& entries);

  QSize sizeHint() const override { return {560, 260}; }

 protected:
  void showEvent(QShowEvent* event) override;

 Q_SIGNALS:
  void eventActivated(size_t eventIndex);
  void callbackSelected(qint64 asyncId);

 private:
  void rebuild();

  const Trace* m_trace = nullptr;
  const KeepAliveIndex* m_index = nullptr;
  size_t m_position = 0;
  bool m_stale = true;
  std::vector<KeepAliveEntry> m_entries;
  QLabel* m_headline;
  QLabel* m_note;
  QTableWidget* m_table;
};

}  // namespace loopscope::ui
