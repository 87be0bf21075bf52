// "Compare with node on the PATH": the same snippet run untraced on this engine (Node 18, libuv
// 1.44) and on the `node` program the user has installed (often Node 20 or newer, whose libuv
// runs timers after poll), their outputs side by side with the first line where they part marked.
// It shows a learner which of what they saw is Node's rule and which is this Node's version.
//
// The PATH's node knows nothing of Loopscope's sandbox, so the window offers this only for code
// that would run without it (a trusted folder, or what Loopscope ships).
// GUI thread only.
#pragma once

#include <QDialog>
#include <QPointer>
#include <QProcess>
#include <QStringList>

#include <optional>

#include "engine_process.h"

class QLabel;
class QPlainTextEdit;

namespace loopscope::ui {

// Where two outputs first differ, line by line (-1: they are the same). Plain data, tested alone.
int firstDifferentLine(const QStringList& a, const QStringList& b);

class CompareWithNodeDialog : public QDialog {
  Q_OBJECT
 public:
  // `settings` run on this engine (untraced); `nodeProgram` runs settings.snippetPath with the
  // snippet's program arguments, from the snippet's folder, killed after the same time-out.
  CompareWithNodeDialog(RunSettings settings, QString nodeProgram, QWidget* parent = nullptr);
  ~CompareWithNodeDialog() override;

  // The node program found on the PATH ("" when there is none).
  static QString nodeOnPath();

  // Starts both runs (the dialog does it when shown).
  void start();
  bool isDone() const { return m_engineDone && m_nodeDone; }
  QStringList engineLines() const { return m_engineLines; }
  QStringList nodeLines() const { return m_nodeLines; }
  QString nodeVersion() const { return m_nodeVersion; }
  // The sentence under the two outputs.
  QString summary() const;

 Q_SIGNALS:
  void bothFinished();

 protected:
  void showEvent(QShowEvent* event) override;

 private:
  void onEngineFinished(const RunOutcome& outcome);
  void onNodeFinished();
  void showResults();

  RunSettings m_settings;
  QString m_nodeProgram;
  QString m_nodeVersion;
  EngineProcess m_engine;
  QPointer<QProcess> m_node;
  bool m_started = false;
  bool m_engineDone = false;
  bool m_nodeDone = false;
  QString m_engineProblem, m_nodeProblem;  // why a side has no output to compare ("" if it has)
  QStringList m_engineLines, m_nodeLines;
  QString m_engineErrors, m_nodeErrors;  // stderr, shown but not compared

  QLabel* m_engineTitle = nullptr;
  QLabel* m_nodeTitle = nullptr;
  QPlainTextEdit* m_engineText = nullptr;
  QPlainTextEdit* m_nodeText = nullptr;
  QLabel* m_summary = nullptr;
};

}  // namespace loopscope::ui
