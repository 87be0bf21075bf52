// The app's side of the sandbox (issue 11, "Trust"): code that did not ship with Loopscope runs
// in `loopscope-engine --sandbox` by default, the window says so, a folder can be trusted (and
// trust taken back), a sandbox that cannot start is a plain sentence, unsaved text runs from a
// private folder that goes with the run, and a forged block header in the live trace pipe is
// refused at once. Real window, real engine, real bubblewrap.
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <QApplication>
#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QFileInfo>
#include <QDialog>
#include <QLabel>
#include <QListWidget>
#include <QPushButton>
#include <QTimer>
#include <QSignalSpy>
#include <QStatusBar>
#include <QTemporaryDir>
#include <QTest>

#include <algorithm>
#include <optional>
#include <string>

#include "engine_process.h"
#include "lessons/lesson_library.h"
#include "lessons/lesson_panel.h"
#include "main_window.h"
#include "recording.h"
#include "run_trust.h"
#include "sandbox_badge.h"
#include "test_application.h"

using namespace loopscope;
using namespace loopscope::ui;
using loopscope::test::artifactPath;
using loopscope::test::IsolatedSettings;

namespace {

constexpr char kSecret[] = "PLANTED-SECRET-app-5c1d";

// Sets an environment variable for the engines started meanwhile, and puts the old value back.
class ScopedEnv {
 public:
  ScopedEnv(const char* name, const std::optional<QByteArray>& value) : m_name(name) {
    if (qEnvironmentVariableIsSet(name)) m_old = qgetenv(name);
    if (value)
      qputenv(name, *value);
    else
      qunsetenv(name);
  }
  ~ScopedEnv() {
    if (m_old)
      qputenv(m_name.constData(), *m_old);
    else
      qunsetenv(m_name.constData());
  }

 private:
  QByteArray m_name;
  std::optional<QByteArray> m_old;
};

void writeFile(const QString& path, const QByteArray& text) {
  QDir().mkpath(QFileInfo(path).absolutePath());
  QFile file(path);
  ASSERT_TRUE(file.open(QIODevice::WriteOnly | QIODevice::Truncate)) << path.toStdString();
  file.write(text);
}

RunOutcome runToEnd(MainWindow& window) {
  QSignalSpy finished(&window, &MainWindow::runFinished);
  EXPECT_TRUE(window.run());
  EXPECT_TRUE(finished.wait(90000)) << "the run did not end within 90 s";
  return finished.isEmpty() ? RunOutcome{} : finished.takeFirst().at(0).value<RunOutcome>();
}

SandboxBadge* badgeOf(MainWindow& window) { return window.findChild<SandboxBadge*>(QStringLiteral("SandboxBadge")); }

// The recorded console text that starts with `prefix`, as soon as the live trace holds it.
QString consoleTextStarting(const Recording& recording, const QString& prefix) {
  const Trace& trace = recording.trace();
  for (const Event& ev : trace.events()) {
    if (ev.kind != EventKind::Console) continue;
    const QString text = QString::fromStdString(std::string(trace.str(ev.b()))).trimmed();
    if (text.startsWith(prefix)) return text;
  }
  return {};
}

// Every test: settings of its own (the trusted folders live there), a fake $HOME holding a
// planted key, and a folder of the user's own for snippets, outside the app and its lessons.
class AppSandboxTest : public ::testing::Test {
 protected:
  void SetUp() override {
    loopscope::test::testApplication();
    m_settings = std::make_unique<IsolatedSettings>(QStringLiteral("loopscope-sandbox-app-test"));
    ASSERT_TRUE(m_base.isValid());
    m_home = m_base.filePath(QStringLiteral("home"));
    m_secretPath = m_home + QStringLiteral("/.ssh/id_ed25519");
    writeFile(m_secretPath, QByteArray(kSecret) + '\n');
    m_userFolder = m_base.filePath(QStringLiteral("my-snippets"));
    QDir().mkpath(m_userFolder);
  }
  void TearDown() override { m_settings.reset(); }

  QString writeSnippet(const QString& name, const QByteArray& text) {
    const QString path = QDir(m_userFolder).filePath(name);
    writeFile(path, text);
    return path;
  }

  std::unique_ptr<IsolatedSettings> m_settings;
  QTemporaryDir m_base;
  QString m_home, m_secretPath, m_userFolder;
};

}  // namespace

TEST_F(AppSandboxTest, SnippetFromAnUntrustedFolderCannotReadASecretUnderHomeButFromATrustedFolderCan) {
  ScopedEnv home("HOME", m_home.toLocal8Bit());
  const QString steal =
      writeSnippet(QStringLiteral("steal.js"),
                   QStringLiteral("const fs = require('fs');\n"
                                  "try { console.log('read ' + fs.readFileSync('%1', 'utf8').trim()); }\n"
                                  "catch (e) { console.log('refused ' + e.code); }\n")
                       .arg(m_secretPath)
                       .toUtf8());
  MainWindow window(MainWindow::Options{false});
  window.resize(1280, 720);
  window.show();
  ASSERT_TRUE(window.loadSnippetFile(steal));

  RunOutcome walled = runToEnd(window);
  ASSERT_EQ(walled.kind, RunOutcome::Kind::Finished) << walled.describe(0).toStdString();
  EXPECT_TRUE(walled.sandboxed);
  EXPECT_EQ(walled.stdoutText, QByteArray("refused ENOENT\n"));
  EXPECT_TRUE(badgeOf(window)->showsSandboxed());
  EXPECT_TRUE(
      badgeOf(window)->text().contains(QStringLiteral("no network except loopback, no home folder, "
                                                      "writes only to a scratch copy")))
      << badgeOf(window)->text().toStdString();
  EXPECT_TRUE(badgeOf(window)->text().contains(QStringLiteral("Trust this folder")));

  ASSERT_TRUE(trustFolder(m_userFolder));
  RunOutcome trusted = runToEnd(window);
  ASSERT_EQ(trusted.kind, RunOutcome::Kind::Finished) << trusted.describe(0).toStdString();
  EXPECT_FALSE(trusted.sandboxed);
  EXPECT_EQ(trusted.stdoutText, QByteArray("read ") + kSecret + '\n');
  EXPECT_FALSE(badgeOf(window)->showsSandboxed());
  EXPECT_TRUE(badgeOf(window)->text().contains(QStringLiteral("NOT SANDBOXED")))
      << badgeOf(window)->text().toStdString();

  // Trust is taken back as easily: the next run is walled off again.
  stopTrustingFolder(m_userFolder);
  RunOutcome again = runToEnd(window);
  EXPECT_EQ(again.stdoutText, QByteArray("refused ENOENT\n"));
  EXPECT_TRUE(badgeOf(window)->showsSandboxed());
}

TEST_F(AppSandboxTest, SandboxedBadgeIsShownInTheStatusBarAndReadsWellOnScreen) {
  const QString snippet = writeSnippet(QStringLiteral("timers.js"),
                                       "setTimeout(() => console.log('timer'), 5);\n"
                                       "setImmediate(() => console.log('immediate'));\n");
  MainWindow window(MainWindow::Options{false});
  window.resize(1280, 720);
  window.show();
  ASSERT_TRUE(window.loadSnippetFile(snippet));
  ASSERT_EQ(runToEnd(window).kind, RunOutcome::Kind::Finished);
  SandboxBadge* badge = badgeOf(window);
  ASSERT_NE(badge, nullptr);
  EXPECT_TRUE(badge->isVisible());
  EXPECT_EQ(badge->parentWidget(), window.statusBar());
  // Whole, not squeezed out by the run's status: every word is on screen.
  auto* details = badge->findChild<QLabel*>(QStringLiteral("SandboxDetails"));
  ASSERT_NE(details, nullptr);
  EXPECT_GE(details->width(), details->sizeHint().width());
  EXPECT_TRUE(badge->toolTip().contains(QStringLiteral("is not a folder you trust"))) << badge->toolTip().toStdString();
  QTest::qWait(100);  // the status bar lays out the run's last words, the views draw the end
  EXPECT_TRUE(window.grab().save(artifactPath(QStringLiteral("sandbox-badge-window.png"))));
  EXPECT_TRUE(window.statusBar()->grab().save(artifactPath(QStringLiteral("sandbox-badge-status-bar.png"))));
}

TEST_F(AppSandboxTest, BuiltInLessonsAndTheBundledDemoRunWithoutTheSandboxAndShowNoBadge) {
  LessonLibrary library;
  ASSERT_FALSE(library.lessons().empty());
  const lessons::Lesson& first = library.lessons().front();
  ASSERT_FALSE(first.snippets.empty());
  const QString lessonSnippet = QString::fromStdString(first.snippets.front().path);
  EXPECT_FALSE(decideRun({lessonSnippet, false, QString()}).sandboxed);
  // An edited copy of it is no longer what shipped.
  const TrustDecision edited = decideRun({lessonSnippet, true, QStringLiteral("require('child_process');")});
  EXPECT_TRUE(edited.sandboxed);
  EXPECT_EQ(edited.reason, TrustDecision::Reason::UnsavedText);

  MainWindow window(MainWindow::Options{false});
  window.resize(1280, 720);
  window.show();
  window.loadDefaultSnippet();  // the bundled demo, as at first start
  EXPECT_FALSE(window.hasUnsavedEdits());
  RunOutcome demo = runToEnd(window);
  ASSERT_EQ(demo.kind, RunOutcome::Kind::Finished) << demo.describe(0).toStdString();
  EXPECT_FALSE(demo.sandboxed);
  EXPECT_TRUE(badgeOf(window)->isHidden());

  ASSERT_TRUE(window.runLessonSnippet(lessonSnippet));
  QSignalSpy finished(&window, &MainWindow::runFinished);
  ASSERT_TRUE(finished.wait(90000));
  EXPECT_FALSE(finished.front().front().value<RunOutcome>().sandboxed);
  EXPECT_TRUE(badgeOf(window)->isHidden());

  // Forced by the environment, even shipped code goes in, and the badge says why.
  ScopedEnv force("LOOPSCOPE_SANDBOX", QByteArray("1"));
  RunOutcome forced = runToEnd(window);
  EXPECT_TRUE(forced.sandboxed);
  EXPECT_EQ(forced.kind, RunOutcome::Kind::Finished) << forced.describe(0).toStdString();
  EXPECT_TRUE(badgeOf(window)->text().contains(QStringLiteral("LOOPSCOPE_SANDBOX=1")));
}

TEST_F(AppSandboxTest, SandboxThatCannotStartIsAPlainSentenceNeverACrashAndTheLastRecordingIsKept) {
  const QString snippet = writeSnippet(QStringLiteral("hello.js"), "console.log('hello');\n");
  MainWindow window(MainWindow::Options{false});
  window.resize(1280, 720);
  window.show();
  ASSERT_TRUE(window.loadSnippetFile(snippet));
  ASSERT_EQ(runToEnd(window).kind, RunOutcome::Kind::Finished);
  const size_t recorded = window.recording()->size();
  ASSERT_GT(recorded, 20u);

  struct Case {
    QByteArray bwrap;
    QString cause;
    QString remedy;
  };
  const Case cases[] = {
      // bubblewrap runs but cannot build the sandbox (user namespaces switched off, say).
      {"/bin/false", QStringLiteral("unprivileged user namespaces may be switched off"),
       QStringLiteral("Ask whoever looks after this machine")},
      // No such program.
      {QFile::encodeName(m_base.filePath(QStringLiteral("no-such-bwrap"))), QStringLiteral("LOOPSCOPE_BWRAP names"),
       QStringLiteral("sudo apt-get install bubblewrap")},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.bwrap.toStdString());
    ScopedEnv bwrap("LOOPSCOPE_BWRAP", c.bwrap);
    RunOutcome failed = runToEnd(window);
    EXPECT_EQ(failed.kind, RunOutcome::Kind::FailedToStart);
    EXPECT_TRUE(failed.sandboxFailed);
    EXPECT_EQ(failed.exitCode, kSandboxFailedExitCode);
    const QString banner = window.bannerText();
    EXPECT_TRUE(banner.startsWith(QStringLiteral("The snippet did not run: its sandbox could not be set up, because ")))
        << banner.toStdString();
    EXPECT_TRUE(banner.contains(c.cause)) << banner.toStdString();
    EXPECT_TRUE(banner.contains(c.remedy)) << banner.toStdString();
    EXPECT_TRUE(banner.contains(QStringLiteral("Trust this snippet's folder"))) << banner.toStdString();
    EXPECT_FALSE(banner.contains(QStringLiteral("crash"), Qt::CaseInsensitive)) << banner.toStdString();
    // Nothing ran, so the run before stays on screen, whole.
    ASSERT_NE(window.recording(), nullptr);
    EXPECT_EQ(window.recording()->size(), recorded);
    EXPECT_FALSE(window.recording()->isLive());
    EXPECT_TRUE(badgeOf(window)->showsSandboxed()) << "the badge is the recording's: that run was sandboxed";
  }
  QTest::qWait(100);
  EXPECT_TRUE(window.shownState().finished) << "the recording before is on screen, at its end";
  EXPECT_TRUE(window.grab().save(artifactPath(QStringLiteral("sandbox-failed-banner.png"))));
}

TEST_F(AppSandboxTest, UnsavedSnippetRunsFromAPrivateFolderOfMode0700ThatIsGoneAfterTheRun) {
  MainWindow window(MainWindow::Options{false});
  window.resize(1280, 720);
  window.show();
  window.setSnippetText(QStringLiteral("console.log('folder ' + __dirname);\nsetTimeout(() => {}, 1500);\n"),
                        QStringLiteral("scratch.js"));
  QStringList folders;
  for (int run = 0; run < 2; ++run) {
    QSignalSpy finished(&window, &MainWindow::runFinished);
    ASSERT_TRUE(window.run());
    QString printed;
    QElapsedTimer waited;
    waited.start();
    while (printed.isEmpty() && finished.isEmpty() && waited.elapsed() < 60000) {
      QTest::qWait(10);
      printed = consoleTextStarting(*window.recording(), QStringLiteral("folder "));
    }
    ASSERT_FALSE(printed.isEmpty()) << "the snippet did not print its folder";
    ASSERT_TRUE(finished.isEmpty()) << "the run ended before the folder could be looked at";
    const QString folder = printed.mid(7);
    folders << folder;
    // While it runs: a folder of its own in the temporary folder, that only this user may enter.
    EXPECT_TRUE(folder.startsWith(QDir(QDir::tempPath()).filePath(QStringLiteral("loopscope-run-"))))
        << folder.toStdString();
    struct stat st {};
    ASSERT_EQ(::stat(QFile::encodeName(folder).constData(), &st), 0) << folder.toStdString();
    EXPECT_TRUE(S_ISDIR(st.st_mode));
    EXPECT_EQ(st.st_mode & 07777, 0700u);
    EXPECT_EQ(st.st_uid, ::getuid());
    EXPECT_TRUE(QFileInfo::exists(QDir(folder).filePath(QStringLiteral("scratch.js"))));
    ASSERT_TRUE(finished.wait(60000));
    const RunOutcome outcome = finished.front().front().value<RunOutcome>();
    EXPECT_EQ(outcome.kind, RunOutcome::Kind::Finished) << outcome.describe(0).toStdString();
    EXPECT_TRUE(outcome.sandboxed) << "unsaved text has no folder anyone trusted";
    EXPECT_FALSE(QFileInfo::exists(folder)) << "left behind: " << folder.toStdString();
  }
  EXPECT_NE(folders[0], folders[1]) << "a fresh, unpredictable folder per run";
}

TEST_F(AppSandboxTest, ForgedOversizedBlockHeaderInTheLivePipeIsReportedWhileTheRunGoesOnAndTheEventsBeforeAreKept) {
  // The snippet shares the engine process: it finds the trace pipe on the engine's command line and
  // writes a block header claiming 1 GiB, self-consistent but never followed by the bytes.
  const QString forger = writeSnippet(QStringLiteral("forger.js"), R"JS(
const fs = require('fs');
const args = fs.readFileSync('/proc/self/cmdline', 'latin1').split('\0');
const fd = Number(args[args.indexOf('--trace') + 1].replace('/dev/fd/', ''));
console.log('trace descriptor ' + fd);
setTimeout(() => {
  const head = Buffer.alloc(12);
  head.writeUInt32LE(0x3fffffff, 0);
  head.writeUInt32LE(~0x3fffffff >>> 0, 4);
  fs.writeSync(fd, head);
  setTimeout(() => console.log('still running after the forgery'), 3000);
}, 100);
)JS");
  MainWindow window(MainWindow::Options{false});
  window.resize(1280, 720);
  window.show();
  ASSERT_TRUE(window.loadSnippetFile(forger));
  QSignalSpy finished(&window, &MainWindow::runFinished);
  ASSERT_TRUE(window.run());
  bool reportedWhileRunning = false;
  QElapsedTimer waited;
  waited.start();
  while (finished.isEmpty() && waited.elapsed() < 60000) {
    QTest::qWait(10);
    if (window.isRunning() && !window.recording()->problem().isEmpty()) reportedWhileRunning = true;
  }
  ASSERT_FALSE(finished.isEmpty());
  // Without the bound the reader would still be waiting for the gigabyte when the run ended.
  EXPECT_TRUE(reportedWhileRunning);
  const RunOutcome outcome = finished.front().front().value<RunOutcome>();
  EXPECT_EQ(outcome.kind, RunOutcome::Kind::Finished) << outcome.describe(0).toStdString();
  EXPECT_TRUE(outcome.stdoutText.contains("still running after the forgery"));
  const QString problem = window.recording()->problem();
  EXPECT_TRUE(problem.contains(QStringLiteral("a block claims 1073741823 bytes, but the engine writes at most")))
      << problem.toStdString();
  EXPECT_GT(window.recording()->size(), 20u) << "the events before the forgery are kept";
  EXPECT_FALSE(consoleTextStarting(*window.recording(), QStringLiteral("trace descriptor")).isEmpty());
  EXPECT_TRUE(window.bannerText().contains(QStringLiteral("Recording stopped there; the events before it are kept")))
      << window.bannerText().toStdString();
}

TEST_F(AppSandboxTest, TrustIsPerFolderRememberedInTheSettingsAndNeverReachesThroughALink) {
  const QString inside = writeSnippet(QStringLiteral("sub/a.js"), "1;\n");
  const QString sibling = m_base.filePath(QStringLiteral("elsewhere/b.js"));
  writeFile(sibling, "2;\n");
  EXPECT_TRUE(trustedFolders().isEmpty());
  EXPECT_TRUE(decideRun({inside, false, QString()}).sandboxed);
  EXPECT_EQ(decideRun({inside, false, QString()}).folderToTrust, QFileInfo(inside).canonicalPath());

  ASSERT_TRUE(trustFolder(m_userFolder));
  EXPECT_EQ(trustedFolders(), QStringList{QFileInfo(m_userFolder).canonicalFilePath()});
  EXPECT_EQ(QSettings().value(QStringLiteral("sandbox/trustedFolders")).toStringList(), trustedFolders());
  const TrustDecision sub = decideRun({inside, false, QString()});
  EXPECT_FALSE(sub.sandboxed) << "sub-folders of a trusted folder are trusted";
  EXPECT_EQ(sub.reason, TrustDecision::Reason::TrustedFolder);
  EXPECT_TRUE(decideRun({sibling, false, QString()}).sandboxed);
  // A link inside the trusted folder that leads out of it does not carry the trust along.
  const QString link = QDir(m_userFolder).filePath(QStringLiteral("link-out"));
  ASSERT_TRUE(QFile::link(QFileInfo(sibling).absolutePath(), link));
  EXPECT_TRUE(decideRun({link + QStringLiteral("/b.js"), false, QString()}).sandboxed);
  // Unsaved text has no folder; the whole machine cannot be trusted.
  EXPECT_TRUE(decideRun({QString(), true, QStringLiteral("1;")}).sandboxed);
  QString error;
  EXPECT_FALSE(trustFolder(QStringLiteral("/"), &error));
  EXPECT_TRUE(error.contains(QStringLiteral("every file on this machine"))) << error.toStdString();
  EXPECT_FALSE(trustFolder(m_base.filePath(QStringLiteral("missing")), &error));

  stopTrustingFolder(m_userFolder);
  EXPECT_TRUE(trustedFolders().isEmpty());
  EXPECT_TRUE(decideRun({inside, false, QString()}).sandboxed);
}

// --- the lessons' checkers -------------------------------------------------------------------

class CheckerSandboxTest : public AppSandboxTest, public ::testing::WithParamInterface<const char*> {};

// The learner's copy did not ship, so every checker runs sandboxed, reading the copy through
// LOOPSCOPE_SANDBOX_READ: each built-in exercise's own solution must still pass.
TEST_P(CheckerSandboxTest, BuiltInExerciseSolutionPassesItsCheckerInsideTheSandbox) {
  LessonLibrary library;
  library.setFolders(LessonLibrary::builtInFolder(), {});
  const QString id = QString::fromLatin1(GetParam());
  const lessons::Lesson* lesson = library.find(id);
  ASSERT_NE(lesson, nullptr);
  ASSERT_TRUE(lesson->exercise);
  LessonPanel panel(library);
  panel.showLesson(id);
  panel.startExercise();
  const QString copy = panel.exerciseFile();
  QFile::remove(copy);
  ASSERT_TRUE(QFile::copy(QDir(QString::fromStdString(lesson->dir)).filePath(QStringLiteral("solution.js")), copy));
  EXPECT_TRUE(decideCheck(QString::fromStdString(lesson->dir), copy).sandboxed);
  QSignalSpy checked(&panel, &LessonPanel::exerciseChecked);
  panel.checkExercise();
  EXPECT_TRUE(panel.exerciseResultText().contains(QStringLiteral("in the sandbox")))
      << panel.exerciseResultText().toStdString();
  ASSERT_TRUE(checked.wait(100'000));
  EXPECT_TRUE(checked.front().front().toBool()) << panel.exerciseResultText().toStdString();
}

INSTANTIATE_TEST_SUITE_P(BuiltInExercises, CheckerSandboxTest,
                         ::testing::Values("28-exercise-1-lag-monitor", "29-exercise-2-worker-pool",
                                           "30-exercise-3-ndjson-transform", "31-exercise-4-memory-leak-hunt"),
                         [](const ::testing::TestParamInfo<const char*>& info) {
                           std::string name = info.param;
                           std::replace(name.begin(), name.end(), '-', '_');
                           return name;
                         });

TEST_F(AppSandboxTest, CheckerWhoseSandboxCannotStartSaysSoPlainlyInsteadOfNotYet) {
  LessonLibrary library;
  library.setFolders(LessonLibrary::builtInFolder(), {});
  const QString id = QStringLiteral("28-exercise-1-lag-monitor");
  LessonPanel panel(library);
  panel.showLesson(id);
  panel.startExercise();
  ScopedEnv bwrap("LOOPSCOPE_BWRAP", QByteArray("/bin/false"));
  QSignalSpy checked(&panel, &LessonPanel::exerciseChecked);
  panel.checkExercise();
  ASSERT_TRUE(checked.wait(60'000));
  EXPECT_FALSE(checked.front().front().toBool());
  const QString result = panel.exerciseResultText();
  EXPECT_TRUE(result.contains(QStringLiteral("The checker did not run: its sandbox could not be set up")))
      << result.toStdString();
  EXPECT_FALSE(result.contains(QStringLiteral("Not yet"))) << result.toStdString();
}

TEST_F(AppSandboxTest, TrustedFoldersDialogListsEveryTrustedFolderAndStopTrustingTakesOneBack) {
  const QString other = m_base.filePath(QStringLiteral("teacher-lessons"));
  QDir().mkpath(other);
  ASSERT_TRUE(trustFolder(m_userFolder));
  ASSERT_TRUE(trustFolder(other));
  QStringList listed;
  bool looked = false;
  QTimer::singleShot(0, [&] {
    QWidget* dialog = QApplication::activeModalWidget();
    ASSERT_NE(dialog, nullptr);
    auto* list = dialog->findChild<QListWidget*>();
    ASSERT_NE(list, nullptr);
    for (int i = 0; i < list->count(); ++i) listed << list->item(i)->text();
    EXPECT_TRUE(dialog->grab().save(artifactPath(QStringLiteral("sandbox-trusted-folders-dialog.png"))));
    QPushButton* stop = nullptr;
    for (QPushButton* b : dialog->findChildren<QPushButton*>())
      if (b->text().remove(QLatin1Char('&')) == QStringLiteral("Stop trusting")) stop = b;
    ASSERT_NE(stop, nullptr);
    list->setCurrentRow(int(listed.indexOf(QFileInfo(other).canonicalFilePath())));
    stop->click();
    looked = true;
    static_cast<QDialog*>(dialog)->reject();
  });
  showTrustedFoldersDialog(nullptr);
  ASSERT_TRUE(looked);
  EXPECT_EQ(listed.size(), 2);
  EXPECT_TRUE(listed.contains(QFileInfo(m_userFolder).canonicalFilePath()));
  EXPECT_EQ(trustedFolders(), QStringList{QFileInfo(m_userFolder).canonicalFilePath()});
}
