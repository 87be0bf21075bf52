#include "engine_process.h"

#include "interpret/records.h"

#include <fcntl.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <QCoreApplication>
#include <QDir>
#include <QFileInfo>
#include <QMetaObject>
#include <QProcessEnvironment>
#include <QPointer>

#include <atomic>
#include <chrono>
#include <cmath>
#include <csignal>
#include <cstring>
#include <thread>

#include "run_trust.h"
#include "trace/trace_format.h"

namespace loopscope::ui {

namespace {

// The app's own limit on top of the engine's --timeout: if the engine has not ended this long
// after its time-out, it is stuck somewhere --timeout cannot reach (native code) and is killed.
constexpr int kWatchdogSlackMs = 5000;
// Batches are handed over at most this often, so a fast snippet does not flood the GUI thread
// with tiny queued calls; 16 ms keeps live views at display rate.
constexpr auto kBatchInterval = std::chrono::milliseconds(16);

QString signalName(int sig) {
  switch (sig) {
    case SIGABRT: return QStringLiteral("SIGABRT");
    case SIGSEGV: return QStringLiteral("SIGSEGV");
    case SIGKILL: return QStringLiteral("SIGKILL");
    case SIGTERM: return QStringLiteral("SIGTERM");
    case SIGBUS: return QStringLiteral("SIGBUS");
    case SIGFPE: return QStringLiteral("SIGFPE");
    case SIGILL: return QStringLiteral("SIGILL");
    case SIGTRAP: return QStringLiteral("SIGTRAP");
    case SIGINT: return QStringLiteral("SIGINT");
    default: return QStringLiteral("signal %1").arg(sig);
  }
}

QString engineNotFoundSentence(const QString& whereLooked) {
  return QStringLiteral(
             "Cannot find loopscope-engine (looked at %1). Build it with "
             "`cmake --build build --target loopscope-engine` or set LOOPSCOPE_ENGINE.")
      .arg(whereLooked);
}

// V8's last words before it aborts a process whose heap is full (Node prints them on stderr).
constexpr char kOutOfMemoryMarker[] = "JavaScript heap out of memory";

// The old-space limit a run was given with --max-old-space-size (either spelling), or 0.
double maxOldSpaceOption(const QStringList& options) {
  for (qsizetype i = 0; i < options.size(); ++i) {
    const QString& option = options[i];
    QString value;
    if (option == QLatin1String("--max-old-space-size") && i + 1 < options.size())
      value = options[i + 1];
    else if (option.startsWith(QLatin1String("--max-old-space-size=")))
      value = option.section(QLatin1Char('='), 1);
    bool ok = false;
    const double mb = value.toDouble(&ok);
    if (ok && mb > 0) return mb;
  }
  return 0;
}

// V8's "Last few GCs" lines read "Mark-sweep 63.3 (97.3) -> 63.2 (96.6) MB": the largest heap in
// use they report is where the limit was hit, give or take a few MB.
double heapInUseAtLastGcs(const QByteArray& stderrText) {
  double largest = 0;
  for (const QByteArray& line : stderrText.split('\n')) {
    const int arrow = line.indexOf(" -> ");
    const int unit = line.indexOf(" MB,");
    if (arrow < 0 || unit < arrow) continue;
    const QList<QByteArray> before = line.left(arrow).split(' ');
    // "... Mark-sweep 63.3 (97.3)": the number before the parenthesis.
    for (qsizetype i = before.size() - 1; i >= 0; --i) {
      if (before[i].startsWith('(') || before[i].isEmpty()) continue;
      bool ok = false;
      const double mb = before[i].toDouble(&ok);
      if (ok) largest = std::max(largest, mb);
      break;
    }
  }
  return largest;
}

}  // namespace

// Reads the trace pipe on its own thread and decodes it. Owned by EngineProcess, which joins it
// before it goes away; results are posted to the owner's (GUI) thread.
class TraceReader {
 public:
  TraceReader(int fd, EngineProcess* owner, std::function<void(std::shared_ptr<const TraceBatch>)> deliver,
              std::function<void()> done)
      : m_fd(fd), m_owner(owner), m_deliver(std::move(deliver)), m_done(std::move(done)) {
    m_thread = std::thread([this] { run(); });
  }
  ~TraceReader() {
    m_abandon = true;
    if (m_thread.joinable()) m_thread.join();
    ::close(m_fd);
  }
  // The process has exited: read what is still in the pipe, then stop, even if a grandchild
  // (child_process.fork()) still holds the write end open.
  void finishAfterDrain() { m_drainThenFinish = true; }

 private:
  void run() {
    std::string pending;  // bytes not yet decoded (a record cut by the chunk boundary)
    size_t pos = 0;
    bool headerChecked = false;
    bool broken = false;
    TraceDecoder decoder;
    auto batch = std::make_shared<TraceBatch>();
    auto lastHandOver = std::chrono::steady_clock::now();
    std::vector<char> buffer(1 << 16);
    Event ev;
    std::string text;

    auto handOver = [&] {
      if (batch->records.empty() && batch->raw.empty() && batch->problem.empty()) return;
      post([this, b = std::shared_ptr<const TraceBatch>(batch)] { m_deliver(b); });
      batch = std::make_shared<TraceBatch>();
      lastHandOver = std::chrono::steady_clock::now();
    };

    while (!m_abandon) {
      pollfd p{m_fd, POLLIN, 0};
      int ready = ::poll(&p, 1, 20);
      if (ready < 0 && errno != EINTR) break;
      if (ready > 0) {
        ssize_t n = ::read(m_fd, buffer.data(), buffer.size());
        if (n < 0 && (errno == EINTR || errno == EAGAIN)) continue;
        if (n <= 0) break;  // every writer closed the pipe: the trace is complete
        batch->raw.append(buffer.data(), size_t(n));
        if (broken) continue;  // keep draining so the engine never blocks on a full pipe
        pending.append(buffer.data(), size_t(n));
        if (!headerChecked) {
          if (pending.size() < kTraceHeaderSize) continue;
          if (std::string why = TraceDecoder::checkHeader(pending); !why.empty()) {
            batch->problem = "the engine's output is not a Loopscope trace: " + why;
            broken = true;
            continue;
          }
          headerChecked = true;
          pos = kTraceHeaderSize;
        }
        for (;;) {
          auto status = decoder.next(pending, pos, ev, text);
          if (status == TraceDecoder::Status::Event) {
            batch->records.push_back({ev, ev.kind == EventKind::String ? text : std::string()});
            continue;
          }
          if (status == TraceDecoder::Status::Corrupt) {
            // The snippet can write into this pipe too; whatever it forged, the records before
            // it are already handed over, and nothing after it is waited for.
            batch->problem = "The trace became unreadable " + decoder.problem() +
                             ". Recording stopped there; the events before it are kept";
            broken = true;
          }
          break;
        }
        pending.erase(0, pos);
        pos = 0;
      } else if (m_drainThenFinish) {
        break;
      }
      if (std::chrono::steady_clock::now() - lastHandOver >= kBatchInterval) handOver();
    }
    // The engine stopped writing. If it died in the middle of a write, its last block can no
    // longer be verified; its whole records are still handed over, as a file reader would.
    if (headerChecked && !broken && pos < pending.size()) {
      decoder.endOfData();
      for (;;) {
        auto status = decoder.next(pending, pos, ev, text);
        if (status == TraceDecoder::Status::Event) {
          batch->records.push_back({ev, ev.kind == EventKind::String ? text : std::string()});
          continue;
        }
        if (status == TraceDecoder::Status::Corrupt)
          batch->problem = "The trace became unreadable " + decoder.problem();
        break;
      }
    }
    handOver();
    post([this] { m_done(); });
  }

  template <typename F>
  void post(F&& call) {
    // The owner joins this thread before it is destroyed, and queued calls to a destroyed
    // context object are dropped, so `this` is alive whenever `call` runs.
    QMetaObject::invokeMethod(m_owner, std::forward<F>(call), Qt::QueuedConnection);
  }

  int m_fd;
  EngineProcess* m_owner;
  std::function<void(std::shared_ptr<const TraceBatch>)> m_deliver;
  std::function<void()> m_done;
  std::atomic<bool> m_abandon{false};
  std::atomic<bool> m_drainThenFinish{false};
  std::thread m_thread;
};

QString RunOutcome::describe(size_t recordedEvents) const {
  const QString kept =
      recordedEvents ? QStringLiteral(" The %1 events recorded until then are kept.").arg(recordedEvents) : QString();
  switch (kind) {
    case Kind::Finished:
      return QStringLiteral("The program finished: the event loop ran out of work (exit code 0, %1 events recorded).")
          .arg(recordedEvents);
    case Kind::ExitCode: {
      QString why = engineMessage.isEmpty() ? QStringLiteral("process.exit(%1) or an uncaught error").arg(exitCode)
                                            : engineMessage;
      return QStringLiteral("The program ended with exit code %1: %2.").arg(exitCode).arg(why) + kept;
    }
    case Kind::TimedOut:
      return QStringLiteral(
                 "Stopped after the time-out: the program was still running (an endless loop?). "
                 "Raise \"Time-out\" in the toolbar if it needs longer.") +
             kept;
    case Kind::Crashed:
      return QStringLiteral("The engine crashed with %1 (process.abort() or a native fault); the app is fine.")
                 .arg(signalName(signal)) +
             kept;
    case Kind::OutOfMemory: {
      const QString limit = heapLimitMb <= 0 ? QString()
                                             : QStringLiteral(" (limit %1%2 MB)")
                                                   .arg(heapLimitEstimated ? QStringLiteral("about ") : QString())
                                                   .arg(std::round(heapLimitMb));
      return QStringLiteral(
                 "The program ran out of JavaScript heap%1: V8 stops a program whose live objects no "
                 "longer fit. Keep fewer objects reachable, or give it more with "
                 "--max-old-space-size.")
                 .arg(limit) +
             kept;
    }
    case Kind::Stopped:
      return (killedAfterGrace ? QStringLiteral("Stopped by you: the program did not react within 2 s and was killed.")
                               : QStringLiteral("Stopped by you.")) +
             kept;
    case Kind::FailedToStart:
      if (sandboxFailed)
        return sandboxFailureSentence(QStringLiteral("The snippet"), engineMessage, folderCanBeTrusted);
      return engineMessage.isEmpty() ? QStringLiteral("The engine could not run the snippet.") : engineMessage;
  }
  return {};
}

EngineProcess::EngineProcess(QObject* parent) : QObject(parent) {
  qRegisterMetaType<std::shared_ptr<const TraceBatch>>();
  qRegisterMetaType<RunOutcome>();
  m_killTimer.setSingleShot(true);
  connect(&m_killTimer, &QTimer::timeout, this, [this] {
    if (m_process && m_process->state() != QProcess::NotRunning) {
      m_outcome.killedAfterGrace = true;
      m_process->kill();
    }
  });
  m_watchdog.setSingleShot(true);
  connect(&m_watchdog, &QTimer::timeout, this, [this] {
    if (m_process && m_process->state() != QProcess::NotRunning) {
      m_watchdogFired = true;
      m_process->kill();
    }
  });
}

EngineProcess::~EngineProcess() {
  if (m_process) {
    m_process->disconnect(this);
    m_process->kill();
    m_process->waitForFinished(2000);
  }
  cleanUp();
}

QString EngineProcess::enginePath(QString* whereLooked) {
  QStringList tried;
  const QString fromEnv = qEnvironmentVariable("LOOPSCOPE_ENGINE");
  if (!fromEnv.isEmpty()) {
    if (QFileInfo(fromEnv).isExecutable()) return fromEnv;
    tried << fromEnv + QStringLiteral(" ($LOOPSCOPE_ENGINE)");
  }
  const QString beside = QDir(QCoreApplication::applicationDirPath()).filePath(QStringLiteral("loopscope-engine"));
  if (QFileInfo(beside).isExecutable()) return beside;
  tried << beside;
  if (whereLooked) *whereLooked = tried.join(QStringLiteral(", "));
  return {};
}

bool EngineProcess::start(const RunSettings& settings) {
  if (m_running) return false;
  beginRun(settings);

  QString looked;
  const QString engine = enginePath(&looked);
  if (engine.isEmpty()) return failEarly(engineNotFoundSentence(looked));
  if (!QFileInfo(settings.snippetPath).isReadable())
    return failEarly(QStringLiteral("Cannot read the snippet '%1'.").arg(settings.snippetPath));

  // Both descriptors are close-on-exec here; the child modifier clears that flag on the child's
  // copies only, so no other process this app starts ever inherits them.
  int tracePipe[2] = {-1, -1};
  int control[2] = {-1, -1};
  if (settings.traced && ::pipe2(tracePipe, O_CLOEXEC) != 0)
    return failEarly(
        QStringLiteral("Cannot create the trace pipe: %1.").arg(QString::fromLocal8Bit(std::strerror(errno))));
  // A socket, not a pipe, for commands: send(MSG_NOSIGNAL) to an engine that already died
  // returns an error instead of killing the app with SIGPIPE.
  if (::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, control) != 0) {
    if (tracePipe[0] >= 0) {
      ::close(tracePipe[0]);
      ::close(tracePipe[1]);
    }
    return failEarly(
        QStringLiteral("Cannot create the control channel: %1.").arg(QString::fromLocal8Bit(std::strerror(errno))));
  }
  m_controlFd = control[0];
  m_childControlFd = control[1];
  ::fcntl(m_controlFd, F_SETFL, O_NONBLOCK);  // a command must never block the GUI thread
  m_childTraceFd = tracePipe[1];

  QStringList args{QStringLiteral("run")};
  if (settings.sandboxed) args << QStringLiteral("--sandbox");
  if (settings.traced)
    args << QStringLiteral("--trace") << QStringLiteral("/dev/fd/%1").arg(m_childTraceFd);
  else
    args << QStringLiteral("--no-trace");
  args << QStringLiteral("--control") << QString::number(m_childControlFd);
  args << QStringLiteral("--threadpool-size") << QString::number(settings.threadpoolSize);
  if (settings.timeoutSeconds > 0) args << QStringLiteral("--timeout") << QString::number(settings.timeoutSeconds);
  if (settings.startInStepMode) args << QStringLiteral("--step");
  args << settings.extraOptions;
  args << QStringLiteral("--") << settings.snippetPath << settings.programArguments;

  if (settings.traced) {
    m_reader = new TraceReader(
        tracePipe[0], this,
        [this](std::shared_ptr<const TraceBatch> batch) {
          // Remember how the trace says it ended, to tell a refused snippet from a run.
          for (const auto& r : batch->records) {
            if (r.event.kind == EventKind::RunStart) m_sawRunStart = true;
            if (r.event.kind == EventKind::RunEnd && as<record::RunEnd>(r.event).reason == EndReason::StartFailed)
              m_outcome.kind = RunOutcome::Kind::FailedToStart;
          }
          Q_EMIT batchArrived(std::move(batch));
        },
        [this] {
          m_readerDone = true;
          finishIfComplete();
        });
  } else {
    m_readerDone = true;
  }

  createProcess(engine, args, QFileInfo(settings.snippetPath).absolutePath());
  const int childTrace = m_childTraceFd, childControl = m_childControlFd;
  m_process->setChildProcessModifier([childTrace, childControl] {
    // Runs in the forked child before exec: only async-signal-safe calls here.
    if (childTrace >= 0) ::fcntl(childTrace, F_SETFD, 0);
    ::fcntl(childControl, F_SETFD, 0);
  });
  m_process->start();
  // QProcess forks inside start(), so the child has its copies now; closing ours lets the reader
  // see end-of-file when the engine exits.
  if (m_childTraceFd >= 0) {
    ::close(m_childTraceFd);
    m_childTraceFd = -1;
  }
  ::close(m_childControlFd);
  m_childControlFd = -1;
  if (settings.timeoutSeconds > 0) m_watchdog.start(int(settings.timeoutSeconds * 1000) + kWatchdogSlackMs);
  return true;
}

bool EngineProcess::startNode(const NodeRunSettings& node) {
  if (m_running) return false;
  RunSettings settings;
  settings.traced = false;
  settings.timeoutSeconds = 0;
  settings.sandboxed = node.sandboxed;
  beginRun(settings);
  m_mergeOutput = node.mergeOutput;
  m_readerDone = true;  // no trace to wait for

  QString looked;
  const QString engine = enginePath(&looked);
  if (engine.isEmpty()) return failEarly(engineNotFoundSentence(looked));

  QStringList args = node.arguments;
  if (node.sandboxed) args.prepend(QStringLiteral("--sandbox"));
  createProcess(engine, args, node.workingDirectory);
  QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
  for (const QString& name : node.removedEnvironment) environment.remove(name);
  for (auto it = node.addedEnvironment.cbegin(); it != node.addedEnvironment.cend(); ++it)
    environment.insert(it.key(), it.value());
  m_process->setProcessEnvironment(environment);
  if (node.mergeOutput) m_process->setProcessChannelMode(QProcess::MergedChannels);
  m_process->start();
  // QProcess may already have reported a failure to start, and with it the end of the run.
  if (node.killAfterMs > 0 && m_running) m_watchdog.start(node.killAfterMs);
  return true;
}

void EngineProcess::beginRun(const RunSettings& settings) {
  cleanUp();
  m_settings = settings;
  m_outcome = RunOutcome{};
  m_outcome.sandboxed = settings.sandboxed;
  m_outcome.folderCanBeTrusted = settings.folderCanBeTrusted;
  m_processDone = m_readerDone = m_stopRequested = m_watchdogFired = m_sawRunStart = m_mergeOutput = false;
  m_running = true;
}

bool EngineProcess::failEarly(const QString& sentence) {
  m_outcome.kind = RunOutcome::Kind::FailedToStart;
  m_outcome.exitCode = -1;
  m_outcome.engineMessage = sentence;
  m_processDone = m_readerDone = true;
  // Asynchronous like every other ending, so callers handle one path.
  QMetaObject::invokeMethod(
      this, [this] { finishIfComplete(); }, Qt::QueuedConnection);
  return true;
}

void EngineProcess::createProcess(const QString& engine, const QStringList& arguments,
                                  const QString& workingDirectory) {
  m_process = new QProcess(this);
  m_process->setProgram(engine);
  m_process->setArguments(arguments);
  m_process->setWorkingDirectory(workingDirectory);
  connect(m_process, &QProcess::finished, this, &EngineProcess::onProcessFinished);
  connect(m_process, &QProcess::errorOccurred, this, &EngineProcess::onProcessError);
  connect(m_process, &QProcess::readyReadStandardOutput, this,
          [this] { m_outcome.stdoutText += m_process->readAllStandardOutput(); });
  connect(m_process, &QProcess::readyReadStandardError, this,
          [this] { m_outcome.stderrText += m_process->readAllStandardError(); });
  connect(m_process, &QProcess::started, this, &EngineProcess::started);
}

void EngineProcess::sendCommand(const char* line) {
  if (m_controlFd < 0 || !m_process || m_process->state() == QProcess::NotRunning) return;
  // The engine reads lines; a full socket buffer (it stopped reading) just drops the command.
  (void)::send(m_controlFd, line, std::strlen(line), MSG_NOSIGNAL | MSG_DONTWAIT);
}

void EngineProcess::pause() { sendCommand("pause\n"); }
void EngineProcess::step() { sendCommand("step\n"); }
void EngineProcess::resume() { sendCommand("continue\n"); }

void EngineProcess::requestHeapSnapshot(const QString& label) {
  // The protocol is line-based: a line break inside the label would end the command early.
  QString oneLine = label.simplified();
  const QByteArray line = (oneLine.isEmpty() ? QByteArrayLiteral("snapshot") : "snapshot " + oneLine.toUtf8()) + '\n';
  sendCommand(line.constData());
}

void EngineProcess::stop(int graceMs) {
  if (!m_process || m_process->state() == QProcess::NotRunning) return;
  m_stopRequested = true;
  sendCommand("stop\n");
  m_killTimer.start(graceMs);
}

void EngineProcess::onProcessError(QProcess::ProcessError error) {
  if (error != QProcess::FailedToStart) return;  // the others end in finished() as well
  m_outcome.kind = RunOutcome::Kind::FailedToStart;
  m_outcome.exitCode = -1;
  m_outcome.processError = m_process->errorString();
  m_outcome.engineMessage = QStringLiteral("Could not start %1: %2.").arg(m_process->program(), m_outcome.processError);
  m_processDone = true;
  if (m_reader) m_reader->finishAfterDrain();
  finishIfComplete();
}

void EngineProcess::onProcessFinished(int exitCode, QProcess::ExitStatus status) {
  m_killTimer.stop();
  m_watchdog.stop();
  m_outcome.stdoutText += m_process->readAllStandardOutput();
  m_outcome.stderrText += m_process->readAllStandardError();
  // The engine's own sentences start with its name; everything else on stderr is the snippet's.
  const QByteArray& diagnostics = m_mergeOutput ? m_outcome.stdoutText : m_outcome.stderrText;
  QStringList engineLines;
  for (const QByteArray& line : diagnostics.split('\n'))
    if (line.startsWith("loopscope-engine: "))
      engineLines << QString::fromUtf8(line.mid(int(sizeof("loopscope-engine: ")) - 1)).trimmed();
  m_outcome.engineMessage = engineLines.join(QLatin1Char(' '));
  if (m_outcome.engineMessage.endsWith(QLatin1Char('.'))) m_outcome.engineMessage.chop(1);

  const bool refused = m_outcome.kind == RunOutcome::Kind::FailedToStart;
  m_outcome.exitCode = exitCode;
  // 125 with the engine's own sentence and nothing run: the sandbox never stood (sandbox.cpp
  // never runs the program unsandboxed instead). Not a crash, and not the snippet's exit code.
  m_outcome.sandboxFailed = m_settings.sandboxed && status == QProcess::NormalExit &&
                            exitCode == kSandboxFailedExitCode && !m_sawRunStart && !m_outcome.engineMessage.isEmpty();
  if (m_outcome.sandboxFailed) {
    m_outcome.kind = RunOutcome::Kind::FailedToStart;
  } else if (status == QProcess::CrashExit) {
    // On Unix QProcess reports the terminating signal as the exit code of a crashed process.
    m_outcome.signal = exitCode;
    if (m_watchdogFired)
      m_outcome.kind = RunOutcome::Kind::TimedOut;
    else if (m_stopRequested)
      m_outcome.kind = RunOutcome::Kind::Stopped;
    else
      m_outcome.kind = RunOutcome::Kind::Crashed;
  } else if (refused || (m_settings.traced && !m_sawRunStart && exitCode != 0)) {
    // No run-start record: the engine refused the command line or the file before running it.
    m_outcome.kind = RunOutcome::Kind::FailedToStart;
  } else if (m_stopRequested && (exitCode == 130 || exitCode == 0)) {
    m_outcome.kind = RunOutcome::Kind::Stopped;
  } else if (exitCode == 124) {
    m_outcome.kind = RunOutcome::Kind::TimedOut;
  } else if (exitCode == 0) {
    m_outcome.kind = RunOutcome::Kind::Finished;
  } else {
    m_outcome.kind = RunOutcome::Kind::ExitCode;
  }
  if (m_outcome.kind == RunOutcome::Kind::TimedOut) m_outcome.engineMessage.clear();
  // V8 aborts (SIGABRT) when the heap is full; "crashed" would send the learner looking for a
  // native bug instead of at the objects the snippet keeps alive.
  if ((m_outcome.kind == RunOutcome::Kind::Crashed || m_outcome.kind == RunOutcome::Kind::ExitCode) &&
      diagnostics.contains(kOutOfMemoryMarker)) {
    m_outcome.kind = RunOutcome::Kind::OutOfMemory;
    m_outcome.heapLimitMb = maxOldSpaceOption(m_settings.extraOptions);
    if (m_outcome.heapLimitMb <= 0) {
      m_outcome.heapLimitMb = heapInUseAtLastGcs(diagnostics);
      m_outcome.heapLimitEstimated = m_outcome.heapLimitMb > 0;
    }
  }
  m_processDone = true;
  if (m_reader) m_reader->finishAfterDrain();
  finishIfComplete();
}

void EngineProcess::finishIfComplete() {
  if (!m_running || !m_processDone || !m_readerDone) return;
  m_running = false;
  RunOutcome outcome = m_outcome;
  cleanUp();
  m_settings.privateFolder.reset();  // the unsaved snippet's folder goes once nothing else holds it
  Q_EMIT finished(outcome);
}

void EngineProcess::cleanUp() {
  if (m_process && m_process->state() == QProcess::NotRunning) {
    m_process->disconnect(this);
    m_process->deleteLater();
    m_process = nullptr;
  }
  delete m_reader;  // joins the reader thread
  m_reader = nullptr;
  if (m_controlFd >= 0) {
    ::close(m_controlFd);
    m_controlFd = -1;
  }
  if (m_childControlFd >= 0) {
    ::close(m_childControlFd);
    m_childControlFd = -1;
  }
  if (m_childTraceFd >= 0) {
    ::close(m_childTraceFd);
    m_childTraceFd = -1;
  }
}

}  // namespace loopscope::ui
