// loopscope: the desktop app, and its automation interface (ui/automation.h).
#include <QApplication>
#include <QFileInfo>
#include <QSettings>
#include <QTemporaryDir>
#include <QTextStream>
#include <QTimer>

#include <cstdio>
#include <optional>

#include "automation.h"
#include "lessons/lesson_library.h"
#include "main_window.h"
#include "run_trust.h"
#include "theme.h"

using namespace loopscope::ui;

namespace {

constexpr char kUsage[] =
    "usage:\n"
    "  loopscope [SNIPPET.js | TRACE.lstrace]   open the app (with the default snippet, run and replayed)\n"
    "  loopscope --lesson ID                    open lesson ID (\"02\" or its folder name) and run its\n"
    "                                           first snippet\n"
    "  loopscope (--run FILE | --lesson ID) [--threadpool-size N] [--timeout S] [--theme light|dark]\n"
    "            [--presentation] [--tab timeline|events|v8|memory|health|why|origin|alive]\n"
    "            --at end|event:N|line:L [--snapshot OUT.png|OUT.svg|OUT.pdf] [--dump-state OUT.json]\n"
    "      run FILE (or the lesson's first snippet, its text shown beside the views) to completion,\n"
    "      show the moment chosen by --at (event:N = after the first N events, line:L = just before\n"
    "      the first callback defined on line L starts) with the --tab in front, write the window as\n"
    "      a picture and/or the loop state as JSON (with the origin of the callback there and what\n"
    "      keeps the loop alive), and exit. Needs no display. Code that did not\n"
    "      ship with Loopscope runs in the engine's sandbox unless its folder is trusted in the app\n"
    "      (docs/sandbox.md).\n"
    "  loopscope (--run FILE | --lesson ID) [options above] --export-video OUT.mp4|OUT.gif\n"
    "            [--video-views dashboard|wheel+queues|timeline|dashboard+timeline|window]\n"
    "            [--video-from POS] [--video-to POS] [--video-speed 8/s|0.5x] [--video-size 1280x720]\n"
    "            [--video-fps N] [--no-captions]\n"
    "      run FILE and write its replay from POS to POS (start, end, event:N or line:L; default: the\n"
    "      whole recording) as a video for slides, each step captioned. Needs the ffmpeg program.\n"
    "  loopscope TRACE.lstrace [--theme light|dark] [--presentation] [--tab NAME] --at end|event:N|line:L\n"
    "            [--snapshot OUT.png|OUT.svg|OUT.pdf] [--dump-state OUT.json]\n"
    "      the same for a saved trace (File > Save trace as…, or loopscope-engine run --trace OUT FILE):\n"
    "      nothing runs; a damaged trace shows what precedes the damage, with a warning.\n"
    "  loopscope --help | --version\n";

int fail(const QString& sentence, int code) {
  std::fprintf(stderr, "loopscope: %s\n", sentence.toLocal8Bit().constData());
  return code;
}

// The automation interface's stderr is read by scripts and people: one sentence on failure.
// Qt's platform chatter (the offscreen plugin's "does not support propagateSizeHints()", a
// missing XDG_RUNTIME_DIR) says nothing about the run, so it is dropped there; real warnings stay.
void quietPlatformChatter(QtMsgType type, const QMessageLogContext&, const QString& message) {
  if (type == QtDebugMsg || type == QtInfoMsg) return;
  if (message.startsWith(QLatin1String("This plugin does not support")) ||
      message.startsWith(QLatin1String("QStandardPaths: ")))
    return;
  std::fprintf(stderr, "%s\n", message.toLocal8Bit().constData());
}

// Whether Qt can reach a window system: a platform chosen explicitly (QT_QPA_PLATFORM, e.g.
// offscreen or vnc) is trusted; otherwise an X11 or Wayland display must be named.
bool hasWindowSystem() {
  return !qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM") || !qEnvironmentVariableIsEmpty("DISPLAY") ||
         !qEnvironmentVariableIsEmpty("WAYLAND_DISPLAY");
}

}  // namespace

int main(int argc, char** argv) {
  QStringList args;
  for (int i = 1; i < argc; ++i) args << QString::fromLocal8Bit(argv[i]);
  // Everything that can be answered from the command line alone is answered before any window
  // system is touched: without a display, QApplication aborts inside Qt's platform plugin, and a
  // user typing `loopscope --help` over SSH deserves the usage, not a core dump.
  if (args.contains(QStringLiteral("--help")) || args.contains(QStringLiteral("-h"))) {
    std::fputs(kUsage, stdout);
    return 0;
  }
  if (args.contains(QStringLiteral("--version"))) {
    std::printf("loopscope %s\n", LOOPSCOPE_VERSION);
    return 0;
  }
  std::optional<AutomationRequest> automation;
  if (isAutomationCommandLine(args)) {
    QString error;
    automation = parseAutomationArguments(args, &error);
    if (!automation) return fail(error, 2);
    qInstallMessageHandler(quietPlatformChatter);
  } else {
    const bool lesson = args.size() == 2 && args[0] == QLatin1String("--lesson");
    if (!lesson && (args.size() > 1 || (args.size() == 1 && args[0].startsWith(QLatin1Char('-')))))
      return fail(
          QStringLiteral("unexpected arguments '%1'. %2").arg(args.join(QLatin1Char(' ')), QString::fromLatin1(kUsage)),
          2);
  }
  if (!hasWindowSystem()) {
    // The automation interface never shows its window, so it needs no display: it draws on Qt's
    // offscreen platform. The app itself cannot do without one, and says so.
    if (!automation)
      return fail(QStringLiteral("there is no display to open the window on (DISPLAY and WAYLAND_DISPLAY are not "
                                 "set). Run it in a desktop session, or render without one: loopscope --run FILE "
                                 "--at end --snapshot OUT.png (see loopscope --help)."),
                  2);
    qputenv("QT_QPA_PLATFORM", "offscreen");
  }

  QApplication app(argc, argv);
  QCoreApplication::setOrganizationName(QStringLiteral("Loopscope"));
  QCoreApplication::setApplicationName(QStringLiteral("Loopscope"));
  QCoreApplication::setApplicationVersion(QStringLiteral(LOOPSCOPE_VERSION));
  QGuiApplication::setDesktopFileName(QStringLiteral("loopscope"));
  applyAppearance(app, Theme::Light, false);

  if (automation) {
    // Opening a lesson marks it "opened" in the settings; a script taking pictures must not
    // change a learner's progress, so this process keeps its settings in a folder of its own,
    // seeded with the one setting it reads: the teacher's lessons folder.
    const QString userLessons = LessonLibrary::userFolder();
    const QStringList trusted = trustedFolders();  // a trusted folder's snippets run unsandboxed here too
    QTemporaryDir privateSettings;
    if (privateSettings.isValid()) {
      QSettings::setPath(QSettings::NativeFormat, QSettings::UserScope, privateSettings.path());
      QSettings::setPath(QSettings::IniFormat, QSettings::UserScope, privateSettings.path());
      LessonLibrary::setUserFolder(userLessons);
      for (const QString& folder : trusted) trustFolder(folder);
      QSettings().setValue(QStringLiteral("lessons/exerciseFolder"),
                           privateSettings.filePath(QStringLiteral("exercises")));
    }
    QString error, note;
    int code = runAutomation(*automation, &error, &note);
    if (code != 0) return fail(error, code);
    if (!note.isEmpty()) fail(note, 0);
    return 0;
  }
  const bool lesson = args.size() == 2 && args[0] == QLatin1String("--lesson");

  MainWindow window;
  window.show();
  QString error;
  if (lesson) {
    if (!window.openLesson(args[1], &error)) return fail(error, 2);
    // As with the first start: the snippet runs at once and is then replayed in slow motion.
    const QString snippet = window.snippetPath();
    if (!snippet.isEmpty())
      QTimer::singleShot(0, &window, [&window, snippet] { window.runLessonSnippet(snippet, true); });
  } else if (args.size() == 1 && args[0].endsWith(QLatin1String(".lstrace"))) {
    if (!window.openTraceFile(args[0], &error)) return fail(error, 2);
    window.play();
  } else {
    if (args.size() == 1) {
      if (!window.loadSnippetFile(args[0], &error)) return fail(error, 2);
    } else {
      window.loadDefaultSnippet();
    }
    // A new user sees the loop turning at once: the first run starts by itself and is replayed
    // in slow motion when it ends.
    QTimer::singleShot(0, &window, [&window] { window.run(true); });
  }
  return app.exec();
}
