// One run of a snippet on `loopscope-engine`, seen from the GUI.
//
// The engine is a separate process (DESIGN §2), so a snippet that crashes, aborts, hangs or calls
// process.exit() ends only that process; this class turns whatever happened into an outcome the
// window can state in one sentence. The engine gets two extra descriptors: a pipe it writes the
// native trace into (`--trace /dev/fd/N`) and a socket it reads step/stop commands from
// (`--control M`). The trace bytes are read and decoded on a reader thread, never on the GUI
// thread; decoded batches arrive on the GUI thread through queued signals, so every access to the
// Trace stays on the GUI thread.
#pragma once

#include <QByteArray>
#include <QMap>
#include <QObject>
#include <QProcess>
#include <QString>
#include <QStringList>
#include <QTimer>

#include <memory>
#include <string>
#include <vector>

#include "trace/events.h"

class QThread;

namespace loopscope::ui {

class PrivateRunFolder;
class TraceReader;

// Records decoded on the reader thread, in arrival order. `raw` holds the exact bytes they came
// from (the first batch starts with the file header), so saving a live run copies what the
// engine wrote.
struct TraceBatch {
  struct Record {
    Event event;
    std::string text;  // String records only
  };
  std::vector<Record> records;
  std::string raw;
  // Set on the batch where decoding stopped because the bytes were not a valid trace.
  std::string problem;
};

struct RunSettings {
  QString snippetPath;
  int threadpoolSize = 4;
  double timeoutSeconds = 10;  // 0 = no limit
  bool startInStepMode = false;
  bool traced = true;  // false: --no-trace (Run ×N measures orders from stdout)
  // More `loopscope-engine run` options, placed before the file (a lesson's X.options, without
  // the pool size and time-out, which the fields above carry), and the program's own arguments
  // (X.args): a lesson's expected output holds only when the snippet runs with both.
  QStringList extraOptions;
  QStringList programArguments;
  // Runs inside the engine's sandbox (`run --sandbox`, docs/sandbox.md); ui/run_trust.h decides.
  bool sandboxed = false;
  // Whether trusting the snippet's folder is a way out if the sandbox cannot start (a file has a
  // folder; unsaved text does not).
  bool folderCanBeTrusted = false;
  // The private folder an unsaved snippet runs from: kept until the run has ended, then removed.
  std::shared_ptr<const PrivateRunFolder> privateFolder;
};

// The engine run untraced as plain Node (`loopscope-engine [--sandbox] ARGUMENTS`), for a program
// that is not a snippet under study, such as a lesson's checker: no trace, no step commands, no
// time-out of the engine's own (the app kills it after `killAfterMs`).
struct NodeRunSettings {
  QStringList arguments;  // the script and its arguments, as `node` takes them
  QString workingDirectory;
  bool sandboxed = false;  // exit 125 then means the sandbox never stood and nothing ran
  QMap<QString, QString> addedEnvironment;
  QStringList removedEnvironment;
  int killAfterMs = 0;  // 0 = no limit
  // stderr goes into `stdoutText`, interleaved as written: a checker's verdict reads in order.
  bool mergeOutput = false;
};

// How a run ended, from the process (exit status) and, if it recorded one, the trace's RunEnd.
struct RunOutcome {
  enum class Kind {
    Finished,      // exited on its own with code 0
    ExitCode,      // exited with a non-zero code (process.exit(n), an uncaught error, ...)
    TimedOut,      // the engine's --timeout stopped it (exit 124), or the app's watchdog killed it
    Crashed,       // died from a signal (process.abort(), SIGSEGV, ...)
    OutOfMemory,   // V8 ran out of JavaScript heap ("JavaScript heap out of memory") and aborted
    Stopped,       // the user stopped it
    FailedToStart  // the engine could not be started, or refused the snippet
  };
  Kind kind = Kind::Finished;
  int exitCode = 0;
  int signal = 0;
  bool killedAfterGrace = false;  // did not react to "stop" and was killed
  // OutOfMemory: the heap limit in MB (0 = not known). Exact when the run set
  // --max-old-space-size (or the trace named V8's limit); otherwise estimated from V8's
  // "Last few GCs" report, and `heapLimitEstimated` is set.
  double heapLimitMb = 0;
  bool heapLimitEstimated = false;
  QString engineMessage;   // the engine's own diagnostic lines ("loopscope-engine: ...")
  bool sandboxed = false;  // the run was asked to go into the sandbox
  // FailedToStart because the sandbox could not be set up (engine exit 125): nothing ran.
  bool sandboxFailed = false;
  bool folderCanBeTrusted = false;  // from RunSettings, for the sentence
  // FailedToStart because the engine binary could not be executed: the system's reason.
  QString processError;
  // The snippet's stdout and stderr, kept apart as the process wrote them: a quiz grades stdout
  // only, while warnings and the engine's own sentences go to stderr.
  QByteArray stdoutText;
  QByteArray stderrText;
  // One sentence for the status bar/banner; `recordedEvents` is what the trace kept.
  QString describe(size_t recordedEvents) const;
};

// Thread rules: create, call and destroy on the GUI thread only. Signals arrive there too.
class EngineProcess : public QObject {
  Q_OBJECT
 public:
  explicit EngineProcess(QObject* parent = nullptr);
  ~EngineProcess() override;

  // Where the engine binary is: $LOOPSCOPE_ENGINE, else next to the running program, else ""
  // (with `whereLooked` listing the places tried, for the error sentence).
  static QString enginePath(QString* whereLooked = nullptr);

  // Starts a run. Returns false (and emits nothing) if one is already running.
  bool start(const RunSettings& settings);
  // Starts the engine as plain Node; its end arrives through finished() like a run's (kind
  // TimedOut when killed after `killAfterMs`). Returns false if a run is already going on.
  bool startNode(const NodeRunSettings& settings);
  bool isRunning() const { return m_running; }
  const RunSettings& settings() const { return m_settings; }

  // Step-mode commands (docs/control-protocol.md). Harmless when no run is going on.
  void pause();
  void step();
  void resume();  // "continue"
  // Asks the engine for a V8 heap snapshot now (`snapshot LABEL`); it is recorded in the trace
  // (HeapSnapshot, HeapClass) at the next moment JavaScript can be interrupted. Traced runs only.
  void requestHeapSnapshot(const QString& label);
  // Asks the snippet to stop; kills the engine if it has not exited after `graceMs`.
  void stop(int graceMs = 2000);

 Q_SIGNALS:
  void started();
  void batchArrived(std::shared_ptr<const loopscope::ui::TraceBatch> batch);
  // Emitted once, after the process has exited AND every trace byte it wrote was delivered.
  void finished(const loopscope::ui::RunOutcome& outcome);

 private:
  void beginRun(const RunSettings& settings);
  bool failEarly(const QString& sentence);
  void createProcess(const QString& engine, const QStringList& arguments, const QString& workingDirectory);
  void sendCommand(const char* line);
  void onProcessFinished(int exitCode, QProcess::ExitStatus status);
  void onProcessError(QProcess::ProcessError error);
  void onReaderDone();
  void finishIfComplete();
  void cleanUp();

  RunSettings m_settings;
  QProcess* m_process = nullptr;
  QThread* m_readerThread = nullptr;
  TraceReader* m_reader = nullptr;
  int m_controlFd = -1;  // our end of the control socket
  int m_childControlFd = -1;
  int m_childTraceFd = -1;  // the pipe's write end, open only until the engine has started
  bool m_running = false;
  bool m_processDone = false;
  bool m_readerDone = false;
  bool m_stopRequested = false;
  bool m_watchdogFired = false;
  bool m_sawRunStart = false;
  bool m_mergeOutput = false;  // node mode: stdoutText holds stderr too
  QTimer m_killTimer;          // "stop" grace period
  QTimer m_watchdog;           // the engine's own --timeout failed to end it (stuck in native code)
  RunOutcome m_outcome;
};

}  // namespace loopscope::ui

Q_DECLARE_METATYPE(std::shared_ptr<const loopscope::ui::TraceBatch>)
Q_DECLARE_METATYPE(loopscope::ui::RunOutcome)
