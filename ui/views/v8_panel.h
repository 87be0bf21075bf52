// What V8 did to the snippet's functions: when it compiled one to a faster tier (Sparkplug
// baseline code, TurboFan optimized code) and when it threw optimized code away again
// (deoptimized, with V8's own reason: "not a Smi", "wrong map", ...), up to the play head; a
// summary by tier with the deopts and their reasons; and the hidden-class checks the snippet asked
// for with loopscope.sameShape(a, b, label).
//
// The events are indexed once, incrementally, so showUpTo() at 60 Hz on a long run only counts.
// GUI thread only; the Trace must outlive the panel and only grow between calls.
#pragma once

#include <QStringList>
#include <QWidget>
#include <vector>

#include "recording_view.h"
#include "trace/trace.h"

class QAbstractItemModel;
class QCheckBox;
class QLabel;
class QTableView;
class QTableWidget;

namespace loopscope::ui {

class JitEventModel;

class V8Panel : public QWidget, public RecordingView {
  Q_OBJECT
 public:
  explicit V8Panel(QWidget* parent = nullptr);
  ~V8Panel() override;

  void setTrace(const Trace* trace);
  // Shows what happened in the first `position` events (the play head). Reads events appended
  // since the last call, so it also follows a live run.
  void showUpTo(size_t position);

  void showRecording(const RecordingSource& source) override { setTrace(source.trace); }
  void showMoment(size_t position, const LoopState&) override { showUpTo(position); }
  // Sparkplug compiles happen to hundreds of Node's own functions and are rarely the story: the
  // table hides them unless asked (the summary always counts them).
  void setShowBaselineCompiles(bool show);

  // The table's rows as "time \t function \t tier or 'deoptimized' \t reason".
  QStringList jitRows() const;
  // The summary as plain text.
  QString summaryText() const;
  // Hidden-class checks as "label \t same map: yes|no \t a: fast|dictionary \t b: fast|dictionary".
  QStringList shapeRows() const;
  QAbstractItemModel* jitModel() const;

  QSize sizeHint() const override { return {560, 380}; }

 Q_SIGNALS:
  // A JIT row or a hidden-class row was clicked: select that event everywhere.
  void eventActivated(size_t eventIndex);

 private:
  void indexNewEvents();
  void rebuildSummary(size_t position);
  void rebuildShapes(size_t position);

  const Trace* m_trace = nullptr;
  size_t m_indexed = 0;
  std::vector<size_t> m_jitEvents;    // JitOptimized/JitDeoptimized, in order
  std::vector<size_t> m_shapeEvents;  // ShapeCheck, in order
  size_t m_position = 0;
  size_t m_summaryJitCount = size_t(-1);  // JIT events the summary was built from
  size_t m_shapesShown = size_t(-1);
  JitEventModel* m_model;
  QTableView* m_table;
  QCheckBox* m_showBaseline;
  QLabel* m_summary;
  QTableWidget* m_shapes;
};

}  // namespace loopscope::ui
