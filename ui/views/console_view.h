// The snippet's stdout and stderr, line by line, each tagged with the callback that printed it
// ("[Timeout onTimer :7]"), so output order can be matched with the loop. Activating a line
// emits the event that printed it, for the main window to seek there. GUI thread only.
#pragma once

#include <QListWidget>
#include <vector>

#include "recording_view.h"
#include "trace/loop_state.h"

namespace loopscope::ui {

class ConsoleView : public QListWidget, public RecordingView {
  Q_OBJECT
 public:
  enum Role { EventIndexRole = Qt::UserRole + 1, OriginRole, FdRole };

  explicit ConsoleView(QWidget* parent = nullptr);

  // Shows `lines` (LoopTimeline::consoleUpTo()). Called at every frame: when the lines extend or
  // shorten what is shown (playing forward, stepping back), only the difference is touched.
  void showConsole(const std::vector<ConsoleLine>& lines, const Trace& trace);
  // As a view of the recording: the lines printed before the play head, asked of the timeline
  // only when the count changed or the play head went back.
  void showRecording(const RecordingSource& source) override;
  void showMoment(size_t position, const LoopState& state) override;

  // "[Timeout onTimer :7]", "[main script]", "" when unknown. With Node's internals hidden, a line
  // printed while one of Node's own callbacks ran is tagged with the program's callback that led
  // to it: "[via FSREQCALLBACK createReadStream :3]".
  static QString originTag(int64_t asyncId, const Trace& trace, bool showInternals = true);
  // Whether tags may name Node's own callbacks (View > Show Node internals).
  void setShowInternals(bool show);
  // Takes the code font for the current appearance (presentation mode, zoom) again.
  void followApplicationFont() { applyFont(); }

 Q_SIGNALS:
  void lineActivated(size_t eventIndex);

 protected:
  bool event(QEvent* event) override;

 private:
  void appendLine(const ConsoleLine& line, const Trace& trace);
  void applyFont();

  // For each shown ConsoleLine, the event that printed it and the first row it occupies (a line
  // with embedded newlines takes several rows).
  std::vector<size_t> m_shownEvents;
  std::vector<int> m_firstRow;
  bool m_showInternals = false;
  RecordingSource m_source;
  size_t m_shownLines = size_t(-1);  // LoopState::consoleLines last shown; -1 = draw again
  size_t m_shownPosition = 0;
};

}  // namespace loopscope::ui
