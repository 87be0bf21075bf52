// Run ×N: runs the snippet N times, one after another, and counts how often each order of its
// console output occurred. Node is genuinely nondeterministic in places (setTimeout(0) vs
// setImmediate in the main script depends on how long the process took to reach the loop), and
// this makes that visible as numbers instead of an anecdote. With "Perturb timing" each run gets
// `--perturb SEED` (engine/host/perturb.h): the engine varies timing as real machines do, so an
// order that depends on timing shows up even on a machine that always takes the same path, and
// each output line is marked fixed by the event loop's rules or timing-dependent.
#pragma once

#include <QDialog>
#include <QString>

#include <map>
#include <memory>
#include <optional>
#include <vector>

#include "engine_process.h"
#include "interpret/output_orders.h"
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
    std::optional<quint64> firstSeed;  // the --perturb seed of the first run that printed it
    // One per line, across every order seen so far (interpret/output_orders.h); filled by rows().
    std::vector<LinePlacement> placements;
  };
  // `seed`: the run's --perturb seed, if it was perturbed.
  void add(const QStringList& lines, std::optional<quint64> seed = std::nullopt);
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

  // Starts `count` runs (also what the Start button does), perturbed as the dialog says.
  void startRuns(int count, bool traced);
  bool isRunning() const;
  const OutputOrderTally& tally() const { return m_tally; }
  // "Perturb timing (seeded)": run i (from 0) gets `--perturb baseSeed + i`.
  void setPerturbation(bool on, quint64 baseSeed);
  bool perturbed() const;
  quint64 baseSeed() const;
  // Emits replayRequested with the first seed of the tally's row `row` (as rows() orders them);
  // false if there is no such row or its runs were not perturbed. The "Replay this order" button
  // does this for the selected row.
  bool requestReplay(int row);

 Q_SIGNALS:
  void allRunsDone();
  // Run the snippet once more with `--perturb seed`, the seed that first produced an order.
  void replayRequested(quint64 seed);

 private:
  void startNextRun();
  void onRunFinished(const RunOutcome& outcome);
  void showTally();
  void updateReplayButton();

  RunSettings m_settings;
  EngineProcess m_engine;
  Trace m_trace;  // the current run's trace (traced mode)
  OutputOrderTally m_tally;
  int m_remaining = 0;
  int m_total = 0;
  int m_failures = 0;
  QStringList m_baseOptions;             // the settings' own extraOptions, before --perturb
  std::optional<quint64> m_runBaseSeed;  // of the runs going on or last made; none: unperturbed
  std::optional<quint64> m_currentSeed;
  QString m_lastFailure;
  bool m_cancelled = false;

  QSpinBox* m_count = nullptr;
  QCheckBox* m_traced = nullptr;
  QCheckBox* m_perturb = nullptr;
  QSpinBox* m_baseSeed = nullptr;  // 0..2^31-1 (the engine takes any 64-bit seed)
  QPushButton* m_replayButton = nullptr;
  QPushButton* m_startButton = nullptr;
  QProgressBar* m_progress = nullptr;
  QTableWidget* m_table = nullptr;
  QLabel* m_summary = nullptr;
};

}  // namespace loopscope::ui
