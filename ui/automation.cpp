#include "automation.h"

#include "interpret/records.h"

#include <QApplication>
#include <QCoreApplication>
#include <QEventLoop>
#include <QFile>
#include <QFileInfo>
#include <QRegularExpression>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTimer>

#include <set>

#include "lessons/lesson_library.h"
#include "main_window.h"
#include "views/keep_alive_panel.h"
#include "views/origin_panel.h"
#include "theme.h"
#include "trace/loop_state.h"
#include "video_export.h"

namespace loopscope::ui {

namespace {

constexpr int kSnapshotWidth = 1280;
constexpr int kSnapshotHeight = 720;

// "7, 11, 23": the snippet lines on which the functions of the callbacks that ran start, so a
// wrong line:L can be answered with the ones that work.
QString callbackLines(const Trace& trace, const QString& fileName) {
  std::set<int> lines;
  for (const Event& ev : trace.events()) {
    if (ev.kind != EventKind::CallbackEnter) continue;
    const AsyncInfo* info = trace.async(as<record::CallbackEnter>(ev).asyncId);
    const FunctionSiteInfo* site = info ? trace.site(info->site) : nullptr;
    if (site && site->line > 0 && QFileInfo(QString::fromStdString(site->script)).fileName() == fileName)
      lines.insert(site->line);
  }
  QStringList text;
  for (int line : lines) text << QString::number(line);
  return text.isEmpty() ? QStringLiteral("(none)") : text.join(QStringLiteral(", "));
}

// A play-head position as the video options take it: start, end, event:N (or N), line:L.
bool isPositionText(const QString& text) {
  static const QRegularExpression form(QStringLiteral("^(start|end|(event:)?\\d+|line:[1-9]\\d*)$"));
  return form.match(text).hasMatch();
}

// Resolves a position of isPositionText() form in the finished recording. nullopt with one
// sentence when it is not in it.
std::optional<size_t> resolvePosition(const QString& option, const QString& text, const Recording& recording,
                                      const QFileInfo& snippet, QString* error) {
  if (text == QLatin1String("start")) return 0;
  if (text == QLatin1String("end")) return recording.size();
  if (text.startsWith(QLatin1String("line:"))) {
    const int line = text.mid(5).toInt();
    if (auto before = recording.timeline().beforeFirstCallbackOnLine(line)) return *before;
    *error = QStringLiteral(
                 "%1 line:%2: no callback whose function starts on line %2 of %3 ran; callbacks of this "
                 "run start on lines %4.")
                 .arg(option)
                 .arg(line)
                 .arg(snippet.fileName(), callbackLines(recording.trace(), snippet.fileName()));
    return std::nullopt;
  }
  const size_t n = (text.startsWith(QLatin1String("event:")) ? text.mid(6) : text).toULongLong();
  if (n > recording.size()) {
    *error =
        QStringLiteral("%1 %2 is past the end: the run recorded %3 events.").arg(option, text).arg(recording.size());
    return std::nullopt;
  }
  return n;
}

// The LoopState's JSON object with `extra`'s fields added at its end.
std::string withFields(std::string json, const QJsonObject& extra) {
  const size_t close = json.rfind('}');
  if (close == std::string::npos || extra.isEmpty()) return json;
  std::string fields = QJsonDocument(extra).toJson(QJsonDocument::Compact).toStdString();
  fields = fields.substr(1, fields.size() - 2);  // without its braces
  const size_t last = json.find_last_not_of(" \t\r\n", close - 1);
  const bool empty = last != std::string::npos && json[last] == '{';
  json.insert(close, (empty ? "" : ",") + fields);
  return json;
}

}  // namespace

bool isAutomationCommandLine(const QStringList& arguments) {
  for (const char* option : {"--run", "--at", "--snapshot", "--dump-state", "--export-video"})
    if (arguments.contains(QLatin1String(option))) return true;
  return false;
}

std::optional<AutomationRequest> parseAutomationArguments(const QStringList& arguments, QString* error) {
  AutomationRequest request;
  bool sawAt = false, timeoutGiven = false;
  auto fail = [error](const QString& sentence) -> std::optional<AutomationRequest> {
    if (error) *error = sentence;
    return std::nullopt;
  };
  for (qsizetype i = 0; i < arguments.size(); ++i) {
    const QString& option = arguments[i];
    if (!option.startsWith(QLatin1Char('-'))) {
      // The one argument without an option: a saved trace to open.
      if (!request.tracePath.isEmpty())
        return fail(QStringLiteral("unexpected argument '%1': give one saved trace (after '%2').")
                        .arg(option, request.tracePath));
      static const QStringList snippetSuffixes{QStringLiteral("js"), QStringLiteral("cjs"), QStringLiteral("mjs")};
      if (snippetSuffixes.contains(QFileInfo(option).suffix().toLower()))
        return fail(QStringLiteral("'%1' is a snippet, not a saved trace: run it with --run %1.").arg(option));
      request.tracePath = option;
      continue;
    }
    auto value = [&]() -> std::optional<QString> {
      if (i + 1 >= arguments.size()) return std::nullopt;
      return arguments[++i];
    };
    std::optional<QString> v;
    if (option == QLatin1String("--presentation")) {
      request.presentation = true;
      continue;
    }
    if (option == QLatin1String("--no-captions")) {
      request.videoCaptions = false;
      continue;
    }
    static const QStringList withValue{QStringLiteral("--run"),         QStringLiteral("--lesson"),
                                       QStringLiteral("--theme"),       QStringLiteral("--threadpool-size"),
                                       QStringLiteral("--timeout"),     QStringLiteral("--at"),
                                       QStringLiteral("--tab"),         QStringLiteral("--snapshot"),
                                       QStringLiteral("--dump-state"),  QStringLiteral("--export-video"),
                                       QStringLiteral("--video-views"), QStringLiteral("--video-size"),
                                       QStringLiteral("--video-from"),  QStringLiteral("--video-to"),
                                       QStringLiteral("--video-speed"), QStringLiteral("--video-fps")};
    if (!withValue.contains(option))
      return fail(
          QStringLiteral(
              "unknown option '%1'. Usage: loopscope (--run FILE | --lesson ID | TRACE.lstrace) [--threadpool-size N] "
              "[--timeout S] [--theme light|dark] [--presentation] [--tab %2] "
              "--at end|event:N|line:L [--snapshot OUT.png] [--dump-state OUT.json] "
              "[--export-video OUT.mp4|OUT.gif [--video-views NAME] [--video-size WxH] "
              "[--video-from POS] [--video-to POS] [--video-speed 8/s|0.5x] [--video-fps N] "
              "[--no-captions]]")
              .arg(option, MainWindow::analysisTabNames().join(QLatin1Char('|'))));
    if (!(v = value())) return fail(QStringLiteral("%1 needs a value.").arg(option));
    if (option == QLatin1String("--run")) {
      request.snippetPath = *v;
    } else if (option == QLatin1String("--lesson")) {
      request.lessonId = *v;
    } else if (option == QLatin1String("--tab")) {
      if (!MainWindow::analysisTabNames().contains(v->toLower()))
        return fail(QStringLiteral("--tab must be one of %1, not '%2'.")
                        .arg(MainWindow::analysisTabNames().join(QStringLiteral(", ")), *v));
      request.tab = v->toLower();
    } else if (option == QLatin1String("--threadpool-size")) {
      bool ok = false;
      int n = v->toInt(&ok);
      if (!ok || n < 1 || n > 1024)
        return fail(QStringLiteral("--threadpool-size must be a whole number from 1 to 1024, not '%1'.").arg(*v));
      request.threadpoolSize = n;
      request.threadpoolSizeGiven = true;
    } else if (option == QLatin1String("--timeout")) {
      bool ok = false;
      double s = v->toDouble(&ok);
      if (!ok || !(s > 0) || s > 86400)
        return fail(QStringLiteral("--timeout must be a number of seconds above 0, not '%1'.").arg(*v));
      request.timeoutSeconds = s;
      timeoutGiven = true;
    } else if (option == QLatin1String("--at")) {
      sawAt = true;
      const QString& at = *v;
      bool ok = true;
      if (at == QLatin1String("end")) {
        request.at = AutomationRequest::At::End;
      } else if (at.startsWith(QLatin1String("event:"))) {
        request.at = AutomationRequest::At::Event;
        request.atValue = at.mid(6).toLong(&ok);
        ok = ok && request.atValue >= 0;
      } else if (at.startsWith(QLatin1String("line:"))) {
        request.at = AutomationRequest::At::Line;
        request.atValue = at.mid(5).toLong(&ok);
        ok = ok && request.atValue >= 1;
      } else {
        ok = false;
      }
      if (!ok) return fail(QStringLiteral("--at must be end, event:N (N ≥ 0) or line:L (L ≥ 1), not '%1'.").arg(at));
    } else if (option == QLatin1String("--theme")) {
      if (*v != QLatin1String("light") && *v != QLatin1String("dark"))
        return fail(QStringLiteral("--theme must be light or dark, not '%1'.").arg(*v));
      request.darkTheme = *v == QLatin1String("dark");
    } else if (option == QLatin1String("--snapshot")) {
      request.snapshotPath = *v;
    } else if (option == QLatin1String("--dump-state")) {
      request.statePath = *v;
    } else if (option == QLatin1String("--export-video")) {
      if (!videoFormatOf(*v))
        return fail(QStringLiteral("--export-video must end in .mp4 (a video for slides) or .gif (an animated "
                                   "picture), not '%1'.")
                        .arg(*v));
      request.videoPath = *v;
    } else if (option == QLatin1String("--video-views")) {
      if (!videoViewsNamed(*v)) {
        QStringList names;
        for (const VideoViewChoice& c : videoViewChoices()) names << c.name;
        return fail(
            QStringLiteral("--video-views must be one of %1, not '%2'.").arg(names.join(QStringLiteral(", ")), *v));
      }
      request.videoViews = v->toLower();
    } else if (option == QLatin1String("--video-size")) {
      QString why;
      const auto size = parseVideoSize(*v, &why);
      if (!size) return fail(QStringLiteral("--video-size: %1").arg(why));
      request.videoSize = *size;
    } else if (option == QLatin1String("--video-from") || option == QLatin1String("--video-to")) {
      if (!isPositionText(*v))
        return fail(
            QStringLiteral("%1 must be start, end, event:N (N ≥ 0) or line:L (L ≥ 1), not '%2'.").arg(option, *v));
      (option == QLatin1String("--video-from") ? request.videoFrom : request.videoTo) = *v;
    } else if (option == QLatin1String("--video-speed")) {
      QString why;
      if (!parseReplaySpeed(*v, &why)) return fail(QStringLiteral("--video-speed: %1").arg(why));
      request.videoSpeed = *v;
    } else if (option == QLatin1String("--video-fps")) {
      bool ok = false;
      const int fps = v->toInt(&ok);
      if (!ok || fps < 1 || fps > kMaxVideoFps)
        return fail(
            QStringLiteral("--video-fps must be a whole number from 1 to %1, not '%2'.").arg(kMaxVideoFps).arg(*v));
      request.videoFps = fps;
    }
  }
  const int sources =
      int(!request.snippetPath.isEmpty()) + int(!request.lessonId.isEmpty()) + int(!request.tracePath.isEmpty());
  if (sources > 1)
    return fail(QStringLiteral("give one of --run FILE, --lesson ID or a saved TRACE.lstrace, not several."));
  if (sources == 0)
    return fail(
        QStringLiteral("nothing to show: give --run FILE (a snippet to run), --lesson ID or a saved TRACE.lstrace."));
  // A saved trace was recorded with its own pool size and ran to its own end.
  if (!request.tracePath.isEmpty() && (request.threadpoolSizeGiven || timeoutGiven))
    return fail(
        QStringLiteral("%1 applies to running a snippet, not to opening the saved trace '%2' (it was recorded "
                       "with its own settings).")
            .arg(request.threadpoolSizeGiven ? QStringLiteral("--threadpool-size") : QStringLiteral("--timeout"),
                 request.tracePath));
  const bool pictureOrState = !request.snapshotPath.isEmpty() || !request.statePath.isEmpty();
  if (!pictureOrState && request.videoPath.isEmpty())
    return fail(
        QStringLiteral("nothing to write: give --snapshot OUT.png, --dump-state OUT.json and/or "
                       "--export-video OUT.mp4."));
  // A video has its own range; a picture or the state is of one moment, which --at names.
  if (!sawAt && pictureOrState)
    return fail(QStringLiteral("--at is missing: say which moment to show (end, event:N or line:L)."));
  if (!request.snapshotPath.isEmpty() &&
      !QStringList{QStringLiteral("png"), QStringLiteral("svg"), QStringLiteral("pdf"), QStringLiteral("jpg")}.contains(
          QFileInfo(request.snapshotPath).suffix().toLower()))
    return fail(QStringLiteral("--snapshot must end in .png, .jpg, .svg or .pdf, not '%1'.").arg(request.snapshotPath));
  return request;
}

namespace {

struct Failure {
  QString sentence;
  int code = 0;
};

// Runs the request's snippet (or its lesson's) to the end in `window`. On success returns
// nothing and sets `note` when the run did not finish normally; `snippetName` is the file whose
// lines --at line:L counts.
std::optional<Failure> recordByRunning(MainWindow& window, const AutomationRequest& request, QString* note,
                                       QString* snippetName) {
  if (!request.snippetPath.isEmpty()) {
    const QFileInfo file(request.snippetPath);
    if (!file.exists())
      return Failure{QStringLiteral("cannot run '%1': there is no such file.").arg(request.snippetPath), 2};
    if (!file.isFile() || !file.isReadable())
      return Failure{QStringLiteral("cannot run '%1': the file is not readable.").arg(request.snippetPath), 2};
  }
  QString snippetPath = request.snippetPath;
  if (!request.lessonId.isEmpty()) {
    // The lesson as a learner opens it: its text beside the views, its first snippet loaded with
    // the lesson's pool size, then run like "Load & run" (the lesson's options and arguments).
    QString lessonError;
    snippetPath = lessonSnippetForAutomation(*window.lessonLibrary(), request.lessonId, &lessonError);
    if (snippetPath.isEmpty() || !window.openLesson(request.lessonId, &lessonError)) return Failure{lessonError, 2};
    if (QFileInfo(window.snippetPath()) != QFileInfo(snippetPath))
      return Failure{QStringLiteral("cannot load the lesson's snippet '%1'.").arg(snippetPath), 2};
    if (request.threadpoolSizeGiven) window.setThreadpoolSize(request.threadpoolSize);
  } else {
    QString loadError;
    if (!window.loadSnippetFile(QFileInfo(snippetPath).absoluteFilePath(), &loadError)) return Failure{loadError, 2};
    window.setThreadpoolSize(request.threadpoolSize);
  }
  *snippetName = QFileInfo(snippetPath).fileName();
  window.setTimeoutSeconds(request.timeoutSeconds);
  if (!request.tab.isEmpty()) window.showAnalysisTab(request.tab);

  std::optional<RunOutcome> outcome;
  QEventLoop loop;
  QObject::connect(&window, &MainWindow::runFinished, &loop, [&](const RunOutcome& o) {
    outcome = o;
    loop.quit();
  });
  if (!window.run()) return Failure{QStringLiteral("could not start the run."), 1};
  loop.exec();

  const Recording* recording = window.recording();
  if (outcome->kind == RunOutcome::Kind::FailedToStart || !recording || recording->size() == 0)
    return Failure{outcome->describe(0), 1};
  if (outcome->kind != RunOutcome::Kind::Finished && note) *note = outcome->describe(recording->size());
  return std::nullopt;
}

// Opens the request's saved trace in `window`. A damaged trace still shows what precedes the
// damage, with `note` saying what was lost.
std::optional<Failure> openSavedTrace(MainWindow& window, const AutomationRequest& request, QString* note,
                                      QString* snippetName) {
  const QFileInfo file(request.tracePath);
  if (!file.exists())
    return Failure{QStringLiteral("cannot open the trace '%1': there is no such file.").arg(request.tracePath), 2};
  if (!file.isFile() || !file.isReadable())
    return Failure{QStringLiteral("cannot open the trace '%1': it is not a readable file.").arg(request.tracePath), 2};
  QString openError;
  if (!window.openTraceFile(request.tracePath, &openError)) {
    if (!openError.isEmpty()) openError[0] = openError[0].toLower();  // it follows "loopscope: "
    return Failure{openError, 2};
  }
  if (!request.tab.isEmpty()) window.showAnalysisTab(request.tab);
  const Recording* recording = window.recording();
  if (!recording || recording->size() == 0)
    return Failure{QStringLiteral("the trace '%1' holds no event to show%2 Record the snippet again with "
                                  "loopscope-engine run --trace OUT.lstrace FILE.")
                       .arg(request.tracePath, recording && !recording->problem().isEmpty()
                                                   ? QStringLiteral(": ") + recording->problem()
                                                   : QStringLiteral(".")),
                   1};
  if (!recording->problem().isEmpty() && note) *note = QStringLiteral("warning: %1").arg(recording->problem());
  *snippetName = QFileInfo(recording->snippetFile()).fileName();
  return std::nullopt;
}

}  // namespace

int runAutomation(const AutomationRequest& request, QString* error, QString* note) {
  auto fail = [error](const QString& sentence, int code) {
    if (error) *error = sentence;
    return code;
  };
  const int sources =
      int(!request.snippetPath.isEmpty()) + int(!request.lessonId.isEmpty()) + int(!request.tracePath.isEmpty());
  if (sources != 1) return fail(QStringLiteral("give one of --run FILE, --lesson ID or a saved TRACE.lstrace."), 2);

  if (auto* app = qobject_cast<QApplication*>(QCoreApplication::instance()))
    applyAppearance(*app, request.darkTheme ? Theme::Dark : Theme::Light, request.presentation);
  MainWindow window(MainWindow::Options{false});
  // Laid out and painted exactly as on screen, without ever appearing on one.
  window.setAttribute(Qt::WA_DontShowOnScreen);
  window.resize(kSnapshotWidth, kSnapshotHeight);
  window.show();

  QString snippetName;
  const bool saved = !request.tracePath.isEmpty();
  const std::optional<Failure> failure = saved ? openSavedTrace(window, request, note, &snippetName)
                                               : recordByRunning(window, request, note, &snippetName);
  if (failure) return fail(failure->sentence, failure->code);
  const Recording* recording = window.recording();
  const QString recorded = saved ? QStringLiteral("the trace holds") : QStringLiteral("the run recorded");

  size_t position = recording->size();
  if (request.at == AutomationRequest::At::Event) {
    if (size_t(request.atValue) > recording->size())
      return fail(QStringLiteral("--at event:%1 is past the end: %2 %3 events.")
                      .arg(request.atValue)
                      .arg(recorded)
                      .arg(recording->size()),
                  2);
    position = size_t(request.atValue);
  } else if (request.at == AutomationRequest::At::Line) {
    auto before = recording->timeline().beforeFirstCallbackOnLine(int(request.atValue));
    if (!before)
      return fail(QStringLiteral("--at line:%1: no callback whose function starts on line %1 of %2 ran; "
                                 "callbacks of this %3 start on lines %4.")
                      .arg(request.atValue)
                      .arg(snippetName.isEmpty() ? QStringLiteral("the snippet") : snippetName,
                           saved ? QStringLiteral("trace") : QStringLiteral("run"),
                           callbackLines(recording->trace(), snippetName)),
                  2);
    position = *before;
  }
  window.seek(position);
  window.refreshNow();
  // The callback of that moment is the selected one, as if clicked: the one about to run
  // (line:L) or the one running. Its origin goes into the state and onto the timeline.
  if (request.at == AutomationRequest::At::Line)
    window.selectCallbackAt(position);
  else if (window.shownState().current)
    window.originPanel()->selectCallback(window.shownState().current->asyncId);
  if (!request.tab.isEmpty()) window.showAnalysisTab(request.tab);  // a selection shows its origin page
  // The moment is "just before line L's callback": show that line even though nothing runs yet.
  if (request.at == AutomationRequest::At::Line) window.revealSnippetLine(int(request.atValue));
  // Let layouts settle and the views paint what refreshNow() gave them.
  QCoreApplication::processEvents();
  QCoreApplication::processEvents();

  if (!request.statePath.isEmpty()) {
    QFile out(request.statePath);
    // Beside the loop state: why the selected callback ran, and what keeps the loop alive there.
    QJsonObject why;
    why.insert(QStringLiteral("origin"),
               window.originPanel()->chain().empty() ? QJsonValue() : QJsonValue(window.originPanel()->toJson()));
    const KeepAliveIndex& keepAlive = recording->keepAlive();
    why.insert(QStringLiteral("keepsAlive"), KeepAlivePanel::toJson(keepAlive.at(recording->trace(), position)));
    why.insert(QStringLiteral("loopExited"), keepAlive.loopExitedAt(position));
    const std::string json = withFields(loopStateJson(window.shownState()), why);
    if (!out.open(QIODevice::WriteOnly | QIODevice::Truncate) || out.write(json.data(), qint64(json.size())) < 0)
      return fail(QStringLiteral("cannot write '%1': %2.").arg(request.statePath, out.errorString()), 1);
  }
  if (!request.snapshotPath.isEmpty()) {
    QString pictureError;
    if (!window.saveWindowPicture(request.snapshotPath, &pictureError)) return fail(pictureError, 1);
  }
  if (!request.videoPath.isEmpty()) {
    QString rangeError;
    const auto from = resolvePosition(QStringLiteral("--video-from"), request.videoFrom, *recording,
                                      QFileInfo(snippetName), &rangeError);
    const auto to = from ? resolvePosition(QStringLiteral("--video-to"), request.videoTo, *recording,
                                           QFileInfo(snippetName), &rangeError)
                         : std::nullopt;
    if (!from || !to) return fail(rangeError, 2);
    VideoSettings video;
    video.path = request.videoPath;
    video.views = *videoViewsNamed(request.videoViews);
    video.from = *from;
    video.to = *to;
    if (!request.videoSpeed.isEmpty()) video.speed = *parseReplaySpeed(request.videoSpeed, nullptr);
    video.size = request.videoSize;
    video.fps = request.videoFps;
    video.captions = request.videoCaptions;
    QString planError;
    if (planVideoFrames(*recording, video, &planError).empty()) return fail(planError, 2);
    VideoExporter exporter(window, video);
    QString videoError;
    if (!exporter.run({}, &videoError)) return fail(videoError, 1);
  }
  return 0;
}

}  // namespace loopscope::ui
