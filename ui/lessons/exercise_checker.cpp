#include "lessons/exercise_checker.h"

#include <QFileInfo>

#include "engine_process.h"
#include "lessons/prediction_grade.h"
#include "run_trust.h"

namespace loopscope::ui {

namespace {

const QString kSandboxReadVariable = QStringLiteral("LOOPSCOPE_SANDBOX_READ");

}  // namespace

ExerciseChecker::ExerciseChecker(QObject* parent) : QObject(parent) { qRegisterMetaType<ExerciseVerdict>(); }

// The EngineProcess is a child: its destructor kills the engine, so no orphan is left behind.
ExerciseChecker::~ExerciseChecker() = default;

bool ExerciseChecker::start(const QString& lessonFolder, const QString& learnerFile, QString* problem) {
  if (isChecking()) {
    if (problem) *problem = tr("A check is already running.");
    return false;
  }
  QString whereLooked;
  if (EngineProcess::enginePath(&whereLooked).isEmpty()) {
    if (problem)
      *problem = tr("The checker needs loopscope-engine, which was not found (looked in %1).").arg(whereLooked);
    return false;
  }
  Q_EMIT aboutToRead(learnerFile);
  // The learner's file did not ship with Loopscope (nor did a teacher's lesson): unless both are
  // trusted the checker runs in the sandbox, from a scratch copy of the lesson folder, with the
  // learner's file shown read-only at its own path (docs/sandbox.md).
  const TrustDecision trust = decideCheck(lessonFolder, learnerFile);
  m_sandboxed = trust.sandboxed;
  m_folderCanBeTrusted = !trust.folderToTrust.isEmpty();

  const QString file = QFileInfo(learnerFile).absoluteFilePath();
  NodeRunSettings settings;
  settings.arguments = QStringList{QStringLiteral("check.js"), file};
  settings.workingDirectory = lessonFolder;
  settings.sandboxed = trust.sandboxed;
  // Only this check's file is ever shown read-only; a grant in the app's own environment is not
  // passed on.
  if (trust.sandboxed)
    settings.addedEnvironment.insert(kSandboxReadVariable, file);
  else
    settings.removedEnvironment << kSandboxReadVariable;
  settings.killAfterMs = kTimeoutMs;
  settings.mergeOutput = true;

  m_engine = new EngineProcess(this);
  connect(m_engine, &EngineProcess::finished, this, &ExerciseChecker::onEngineFinished);
  m_engine->startNode(settings);
  return true;
}

bool ExerciseChecker::isChecking() const { return m_engine && m_engine->isRunning(); }

void ExerciseChecker::cancel() {
  if (!m_engine) return;
  m_engine->disconnect(this);
  // Later, not now: cancel() may be reached from a slot that the engine's own signal called.
  m_engine->deleteLater();
  m_engine = nullptr;
}

void ExerciseChecker::onEngineFinished(const RunOutcome& outcome) {
  const ExerciseVerdict verdict = verdictOf(outcome);
  if (m_engine) m_engine->deleteLater();
  m_engine = nullptr;
  Q_EMIT checked(verdict);
}

ExerciseVerdict ExerciseChecker::verdictOf(const RunOutcome& outcome) const {
  using Kind = ExerciseVerdict::Kind;
  ExerciseVerdict verdict;
  const QStringList lines = outputLinesOf(outcome.stdoutText);
  // A signal ended it: the app's time-out killed it, or it crashed.
  const bool didNotFinish = outcome.signal != 0;
  if (outcome.sandboxFailed) {
    verdict.kind = Kind::SandboxFailed;
    verdict.html =
        sandboxFailureSentence(tr("The checker"), outcome.engineMessage, m_folderCanBeTrusted).toHtmlEscaped();
  } else if (outcome.kind == RunOutcome::Kind::FailedToStart) {
    verdict.kind = Kind::FailedToStart;
    verdict.html = tr("The checker could not be started: %1")
                       .arg(outcome.processError.isEmpty() ? outcome.engineMessage : outcome.processError);
  } else if (!didNotFinish && outcome.exitCode == 0) {
    verdict.kind = Kind::Passed;
    verdict.html = tr("<b>Passed.</b>");
    for (const QString& line : lines) verdict.html += QStringLiteral("<br>") + line.toHtmlEscaped();
  } else if (didNotFinish) {
    verdict.kind = Kind::DidNotFinish;
    verdict.html =
        tr("<b>The checker did not finish</b> (stopped after %1 s or crashed). Does your code leave a timer, "
           "server or worker running?")
            .arg(kTimeoutMs / 1000);
  } else if (lines.isEmpty()) {
    verdict.html = tr("<b>Not yet.</b> The checker exited with code %1 without saying why; run <code>loopscope-engine "
                      "check.js</code> on your file in a terminal to see its errors.")
                       .arg(outcome.exitCode);
  } else {
    verdict.html = tr("<b>Not yet.</b> The checker says:") + QStringLiteral("<ul>");
    for (const QString& line : lines) verdict.html += QStringLiteral("<li>%1</li>").arg(line.toHtmlEscaped());
    verdict.html += QStringLiteral("</ul>");
  }
  return verdict;
}

}  // namespace loopscope::ui
