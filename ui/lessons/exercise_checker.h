// A lesson's checker run on the learner's file: `loopscope-engine [--sandbox] check.js FILE` from
// the lesson folder, as plain Node (lessons/README.md §5), through EngineProcess like every other
// engine the app starts. The checker's exit code is the verdict; what it printed says why.
//
// GUI thread only (the trust decision reads QSettings).
#pragma once

#include <QObject>
#include <QPointer>
#include <QString>

namespace loopscope::ui {

class EngineProcess;
struct RunOutcome;

// What the checker said about the learner's file, in one sentence for the learner.
struct ExerciseVerdict {
  enum class Kind {
    Passed,         // check.js exited with 0
    NotYet,         // it exited with another code; `html` lists what it said is missing
    DidNotFinish,   // killed after the time-out, or crashed
    SandboxFailed,  // the sandbox could not be set up, so the checker never ran
    FailedToStart   // the engine could not be started at all
  };
  Kind kind = Kind::NotYet;
  QString html;  // rich text
  bool passed() const { return kind == Kind::Passed; }
};

class ExerciseChecker : public QObject {
  Q_OBJECT
 public:
  // The checkers promise to end within about 20 s; a busy classroom machine gets a wide margin.
  static constexpr int kTimeoutMs = 60'000;

  explicit ExerciseChecker(QObject* parent = nullptr);
  ~ExerciseChecker() override;

  // Starts `lessonFolder`/check.js on `learnerFile`; the verdict arrives through checked().
  // Returns false, with the sentence to show in `problem`, when there is no engine to run it on
  // or a check is already running.
  bool start(const QString& lessonFolder, const QString& learnerFile, QString* problem = nullptr);
  bool isChecking() const;
  // Whether the check that runs (or ran last) went into the sandbox.
  bool isSandboxed() const { return m_sandboxed; }
  // The check in progress is dropped and its engine killed: its verdict would belong to a lesson
  // no longer on screen.
  void cancel();

 Q_SIGNALS:
  // The engine was found and the checker is about to read the learner's file: whoever holds
  // unsaved edits of it saves them now.
  void aboutToRead(const QString& learnerFile);
  void checked(const loopscope::ui::ExerciseVerdict& verdict);

 private:
  void onEngineFinished(const RunOutcome& outcome);
  ExerciseVerdict verdictOf(const RunOutcome& outcome) const;

  QPointer<EngineProcess> m_engine;  // one per check
  bool m_sandboxed = false;
  bool m_folderCanBeTrusted = false;  // trusting a folder would let the checker run without the sandbox
};

}  // namespace loopscope::ui

Q_DECLARE_METATYPE(loopscope::ui::ExerciseVerdict)
