// Run ×N: runs the snippet N times, one after another, and counts how often each order of its
// console output occurred. Node is genuinely nondeterministic in places (setTimeout(0) vs
// setImmediate in the main script depends on how long the process took to reach the loop), and
// this makes that visible as numbers instead of an anecdote.
#pragma once

#include <QDialog>
#include <QString>

#include <map>
#include <memory>
#include <vector>

#include "engine_process.h"
#include "trace/trace.h"

class QCheckBox;
class QLabel;
class QProgressBar;
class QPushButton;
class QSpinBox;
class QTableWidget;

namespace loopscope::ui {

// Counts output orders. Plain data, so it is tested without a dialog.
class OutputOrderTally {
 public:
  struct Row {
    QStringList lines;  // the output, line by line
    int count = 0;
  };
  void add(const QStringList& lines);
  int runs() const { return m_runs; }
  // Most frequent first; ties keep the order in which they were first seen.
  std::vector<Row> rows() const;

 private:
  std::vector<Row> m_rows;
  int m_runs = 0;
};

// Thread rules: GUI thread only.
class RunManyDialog : public QDialog {
  Q_OBJECT
 public:
  RunManyDialog(const RunSettings& settings, QWidget* parent = nullptr);

  // Starts `count` runs (also what the Start button does).
  void startRuns(int count, bool traced);
  bool isRunning() const;
  const OutputOrderTally& tally() const { return m_tally; }

 Q_SIGNALS:
  void allRunsDone();

 private:
  void startNextRun();
  void onRunFinished(const RunOutcome& outcome);
  void showTally();

  RunSettings m_settings;
  EngineProcess m_engine;
  Trace m_trace;  // the current run's trace (traced mode)
  OutputOrderTally m_tally;
  int m_remaining = 0;
  int m_total = 0;
  int m_failures = 0;
  QString m_lastFailure;
  bool m_cancelled = false;

  QSpinBox* m_count = nullptr;
  QCheckBox* m_traced = nullptr;
  QPushButton* m_startButton = nullptr;
  QProgressBar* m_progress = nullptr;
  QTableWidget* m_table = nullptr;
  QLabel* m_summary = nullptr;
};

}  // namespace loopscope::ui
