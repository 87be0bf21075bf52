#include "automation.h"

#include "interpret/records.h"

#include <QApplication>
#include <QCoreApplication>
#include <QEventLoop>
#include <QFile>
#include <QFileInfo>
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
  if (arguments.contains(QStringLiteral("--run"))) return true;
  return arguments.contains(QStringLiteral("--lesson")) &&
         (arguments.contains(QStringLiteral("--at")) || arguments.contains(QStringLiteral("--snapshot")) ||
          arguments.contains(QStringLiteral("--dump-state")));
}

std::optional<AutomationRequest> parseAutomationArguments(const QStringList& arguments, QString* error) {
  AutomationRequest request;
  bool sawAt = false;
  auto fail = [error](const QString& sentence) -> std::optional<AutomationRequest> {
    if (error) *error = sentence;
    return std::nullopt;
  };
  for (qsizetype i = 0; i < arguments.size(); ++i) {
    const QString& option = arguments[i];
    auto value = [&]() -> std::optional<QString> {
      if (i + 1 >= arguments.size()) return std::nullopt;
      return arguments[++i];
    };
    std::optional<QString> v;
    if (option == QLatin1String("--presentation")) {
      request.presentation = true;
      continue;
    }
    static const QStringList withValue{QStringLiteral("--run"),     QStringLiteral("--lesson"),
                                       QStringLiteral("--theme"),   QStringLiteral("--threadpool-size"),
                                       QStringLiteral("--timeout"), QStringLiteral("--at"),
                                       QStringLiteral("--tab"),     QStringLiteral("--snapshot"),
                                       QStringLiteral("--dump-state")};
    if (!withValue.contains(option))
      return fail(QStringLiteral("unknown option '%1'. Usage: loopscope (--run FILE | --lesson ID) [--threadpool-size N] "
                                 "[--timeout S] [--theme light|dark] [--presentation] [--tab %2] "
                                 "--at end|event:N|line:L [--snapshot OUT.png] [--dump-state OUT.json]")
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
      if (!ok)
        return fail(QStringLiteral("--at must be end, event:N (N ≥ 0) or line:L (L ≥ 1), not '%1'.").arg(at));
    } else if (option == QLatin1String("--theme")) {
      if (*v != QLatin1String("light") && *v != QLatin1String("dark"))
        return fail(QStringLiteral("--theme must be light or dark, not '%1'.").arg(*v));
      request.darkTheme = *v == QLatin1String("dark");
    } else if (option == QLatin1String("--snapshot")) {
      request.snapshotPath = *v;
    } else if (option == QLatin1String("--dump-state")) {
      request.statePath = *v;
    }
  }
  if (!request.snippetPath.isEmpty() && !request.lessonId.isEmpty())
    return fail(QStringLiteral("give either --run FILE or --lesson ID, not both."));
  if (request.snippetPath.isEmpty() && request.lessonId.isEmpty())
    return fail(QStringLiteral("--run needs the snippet file to run (or --lesson the lesson whose snippet to run)."));
  if (!sawAt) return fail(QStringLiteral("--at is missing: say which moment to show (end, event:N or line:L)."));
  if (request.snapshotPath.isEmpty() && request.statePath.isEmpty())
    return fail(QStringLiteral("nothing to write: give --snapshot OUT.png and/or --dump-state OUT.json."));
  if (!request.snapshotPath.isEmpty() &&
      !QStringList{QStringLiteral("png"), QStringLiteral("svg"), QStringLiteral("pdf"), QStringLiteral("jpg")}.contains(
          QFileInfo(request.snapshotPath).suffix().toLower()))
    return fail(QStringLiteral("--snapshot must end in .png, .jpg, .svg or .pdf, not '%1'.").arg(request.snapshotPath));
  return request;
}

int runAutomation(const AutomationRequest& request, QString* error, QString* note) {
  auto fail = [error](const QString& sentence, int code) {
    if (error) *error = sentence;
    return code;
  };
  if (request.snippetPath.isEmpty() == request.lessonId.isEmpty())
    return fail(QStringLiteral("give either --run FILE or --lesson ID."), 2);
  if (!request.snippetPath.isEmpty()) {
    const QFileInfo file(request.snippetPath);
    if (!file.exists()) return fail(QStringLiteral("cannot run '%1': there is no such file.").arg(request.snippetPath), 2);
    if (!file.isFile() || !file.isReadable())
      return fail(QStringLiteral("cannot run '%1': the file is not readable.").arg(request.snippetPath), 2);
  }

  if (auto* app = qobject_cast<QApplication*>(QCoreApplication::instance()))
    applyAppearance(*app, request.darkTheme ? Theme::Dark : Theme::Light, request.presentation);
  MainWindow window(MainWindow::Options{false});
  // Laid out and painted exactly as on screen, without ever appearing on one.
  window.setAttribute(Qt::WA_DontShowOnScreen);
  window.resize(kSnapshotWidth, kSnapshotHeight);
  window.show();
  QString snippetPath = request.snippetPath;
  if (!request.lessonId.isEmpty()) {
    // The lesson as a learner opens it: its text beside the views, its first snippet loaded with
    // the lesson's pool size, then run like "Load & run" (the lesson's options and arguments).
    QString lessonError;
    snippetPath = lessonSnippetForAutomation(*window.lessonLibrary(), request.lessonId, &lessonError);
    if (snippetPath.isEmpty() || !window.openLesson(request.lessonId, &lessonError)) return fail(lessonError, 2);
    if (QFileInfo(window.snippetPath()) != QFileInfo(snippetPath))
      return fail(QStringLiteral("cannot load the lesson's snippet '%1'.").arg(snippetPath), 2);
    if (request.threadpoolSizeGiven) window.setThreadpoolSize(request.threadpoolSize);
  } else {
    QString loadError;
    if (!window.loadSnippetFile(QFileInfo(snippetPath).absoluteFilePath(), &loadError)) return fail(loadError, 2);
    window.setThreadpoolSize(request.threadpoolSize);
  }
  const QFileInfo snippet(snippetPath);
  window.setTimeoutSeconds(request.timeoutSeconds);
  if (!request.tab.isEmpty()) window.showAnalysisTab(request.tab);

  std::optional<RunOutcome> outcome;
  QEventLoop loop;
  QObject::connect(&window, &MainWindow::runFinished, &loop, [&](const RunOutcome& o) {
    outcome = o;
    loop.quit();
  });
  if (!window.run()) return fail(QStringLiteral("could not start the run."), 1);
  loop.exec();

  const Recording* recording = window.recording();
  if (outcome->kind == RunOutcome::Kind::FailedToStart || !recording || recording->size() == 0)
    return fail(outcome->describe(0), 1);
  if (outcome->kind != RunOutcome::Kind::Finished && note) *note = outcome->describe(recording->size());

  size_t position = recording->size();
  if (request.at == AutomationRequest::At::Event) {
    if (size_t(request.atValue) > recording->size())
      return fail(QStringLiteral("--at event:%1 is past the end: the run recorded %2 events.")
                      .arg(request.atValue)
                      .arg(recording->size()),
                  2);
    position = size_t(request.atValue);
  } else if (request.at == AutomationRequest::At::Line) {
    auto before = recording->timeline().beforeFirstCallbackOnLine(int(request.atValue));
    if (!before)
      return fail(QStringLiteral("--at line:%1: no callback whose function starts on line %1 of %2 ran; "
                                 "callbacks of this run start on lines %3.")
                      .arg(request.atValue)
                      .arg(snippet.fileName(), callbackLines(recording->trace(), snippet.fileName())),
                  2);
    position = *before;
  }
  window.seek(position);
  window.refreshNow();
  // The callback of that moment is the selected one, as if clicked: the one about to run
  // (line:L) or the one running. Its origin goes into the state and onto the timeline.
  if (request.at == AutomationRequest::At::Line) window.selectCallbackAt(position);
  else if (window.shownState().current) window.originPanel()->selectCallback(window.shownState().current->asyncId);
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
    why.insert(QStringLiteral("origin"), window.originPanel()->chain().empty() ? QJsonValue()
                                                                               : QJsonValue(window.originPanel()->toJson()));
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
  return 0;
}

}  // namespace loopscope::ui
