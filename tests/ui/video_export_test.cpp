// Replays as videos for slides (ui/video_export.h), Copy picture (ui/copy_picture.h), the step
// captions both share with the transport bar, and the heap view's legend. Real runs of the demo
// through the real window on the offscreen platform; the videos are encoded by the real ffmpeg
// and read back with ffprobe.
#include <gtest/gtest.h>

#include <QApplication>
#include <QClipboard>
#include <QContextMenuEvent>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QImage>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLabel>
#include <QMenu>
#include <QMimeData>
#include <QProcess>
#include <QProcessEnvironment>
#include <QProgressDialog>
#include <QPushButton>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTimer>

#include <cmath>
#include <cstdlib>

#include "automation.h"
#include "copy_picture.h"
#include "main_window.h"
#include "recording.h"
#include "replay_clock.h"
#include "step_caption.h"
#include "test_application.h"
#include "video_export.h"
#include "video_export_dialog.h"
#include "views/heap_view.h"
#include "views/loop_wheel_view.h"
#include "views/queues_view.h"

using loopscope::test::artifactPath;

using namespace loopscope;
using namespace loopscope::ui;

namespace {

// The demo, run once for the whole file in a window of its own (a run takes a second or two).
MainWindow& demoWindow() {
  static MainWindow* window = [] {
    loopscope::test::testApplication();
    auto* w = new MainWindow(MainWindow::Options{false});
    w->setAttribute(Qt::WA_DontShowOnScreen);
    w->resize(1280, 720);
    w->show();
    EXPECT_TRUE(w->loadSnippetFile(QStringLiteral(LOOPSCOPE_DEMO)));
    QSignalSpy finished(w, &MainWindow::runFinished);
    EXPECT_TRUE(w->run());
    EXPECT_TRUE(finished.wait(60000)) << "the demo did not finish within 60 s";
    w->refreshNow();
    return w;
  }();
  return *window;
}

struct Probe {
  bool ok = false;
  int width = 0, height = 0;
  long frames = -1;
  QString codec, pixelFormat, error;
};

// What ffprobe reads in a video file: its first stream's size, codec and decoded frame count.
Probe probe(const QString& path) {
  QProcess ffprobe;
  ffprobe.start(QStringLiteral("ffprobe"),
                {QStringLiteral("-v"), QStringLiteral("error"), QStringLiteral("-count_frames"),
                 QStringLiteral("-select_streams"), QStringLiteral("v:0"), QStringLiteral("-show_entries"),
                 QStringLiteral("stream=width,height,nb_read_frames,codec_name,pix_fmt"), QStringLiteral("-of"),
                 QStringLiteral("json"), path});
  Probe p;
  if (!ffprobe.waitForFinished(60000) || ffprobe.exitCode() != 0) {
    p.error = QString::fromLocal8Bit(ffprobe.readAllStandardError());
    return p;
  }
  const QJsonObject stream = QJsonDocument::fromJson(ffprobe.readAllStandardOutput())
                                 .object()
                                 .value(QLatin1String("streams"))
                                 .toArray()
                                 .at(0)
                                 .toObject();
  p.ok = true;
  p.width = stream.value(QLatin1String("width")).toInt();
  p.height = stream.value(QLatin1String("height")).toInt();
  p.frames = stream.value(QLatin1String("nb_read_frames")).toString().toLong();
  p.codec = stream.value(QLatin1String("codec_name")).toString();
  p.pixelFormat = stream.value(QLatin1String("pix_fmt")).toString();
  return p;
}

// Frame `n` of a video as a PNG beside the tests' screenshots, for people to look at.
QImage extractFrame(const QString& video, int n, const QString& artifact) {
  const QString png = artifactPath(artifact);
  QFile::remove(png);
  QProcess ffmpeg;
  ffmpeg.start(QStringLiteral("ffmpeg"),
               {QStringLiteral("-v"), QStringLiteral("error"), QStringLiteral("-y"), QStringLiteral("-i"), video,
                QStringLiteral("-vf"), QStringLiteral("select=eq(n\\,%1)").arg(n), QStringLiteral("-frames:v"),
                QStringLiteral("1"), png});
  ffmpeg.waitForFinished(60000);
  return QImage(png);
}

QStringList filesIn(const QString& folder) {
  return QDir(folder).entryList(QDir::Files | QDir::Hidden | QDir::NoDotAndDotDot);
}

// How many frames a replay from `from` to `to` should take, worked out from the trace directly:
// slow motion moves one event a step (passing over what changes nothing on screen), real time
// moves with the events' timestamps. One frame at `from`, then the moving frames, then the hold.
double expectedFrames(const Recording& recording, const VideoSettings& s) {
  const auto& events = recording.trace().events();
  double moving = 0;
  if (s.speed.perEvent) {
    size_t steps = 0;
    for (size_t i = s.from; i < s.to; ++i)
      if (!passedOverInSlowMotion(events[i].kind)) ++steps;
    moving = std::ceil(double(steps) / s.speed.value * s.fps);
  } else {
    const double startNs = s.from == 0 ? 0.0 : double(events[s.from - 1].ts);
    moving = std::ceil((double(events[s.to - 1].ts) - startNs) / 1e9 / s.speed.value * s.fps);
  }
  return 1 + moving + std::lround(kVideoHoldSeconds * s.fps);
}

size_t positionBeforeLine(const Recording& recording, int line) {
  const auto before = recording.timeline().beforeFirstCallbackOnLine(line);
  EXPECT_TRUE(before.has_value()) << "no callback defined on line " << line;
  return before.value_or(0);
}

}  // namespace

TEST(VideoExport, AGifOfARangeInSlowMotionHasTheFramesAndTheSizeAskedFor) {
  MainWindow& window = demoWindow();
  const Recording& recording = *window.recording();
  QTemporaryDir dir;
  VideoSettings s;
  s.path = dir.filePath(QStringLiteral("timers.gif"));
  s.views = VideoViews::WheelAndQueues;
  s.from = positionBeforeLine(recording, 7);  // fromTimer: the first iteration's timers phase
  s.to = recording.size();
  s.speed = *parseReplaySpeed(QStringLiteral("20/s"), nullptr);
  s.size = QSize(320, 180);
  s.fps = 10;
  const double expected = expectedFrames(recording, s);

  VideoExporter exporter(window, s);
  int calls = 0;
  QString error;
  ASSERT_TRUE(exporter.run([&](int, int) { return ++calls > 0; }, &error)) << error.toStdString();
  EXPECT_GT(calls, 0) << "the progress was reported";
  EXPECT_EQ(filesIn(dir.path()), QStringList{QStringLiteral("timers.gif")}) << "nothing beside the video";
  EXPECT_TRUE(QFileInfo(s.path).permissions() & QFileDevice::ReadGroup)
      << "a file like the user's others, not owner-only";

  const Probe p = probe(s.path);
  ASSERT_TRUE(p.ok) << p.error.toStdString();
  EXPECT_EQ(p.codec, QStringLiteral("gif"));
  EXPECT_EQ(p.width, 320);
  EXPECT_EQ(p.height, 180);
  EXPECT_NEAR(double(p.frames), expected, 2.0);
  EXPECT_EQ(p.frames, exporter.framesWritten());
  // The play head goes back where the teacher left it.
  EXPECT_EQ(window.position(), recording.size());
  EXPECT_FALSE(extractFrame(s.path, int(p.frames / 3), QStringLiteral("video_demo_wheel_queues.png")).isNull());
}

TEST(VideoExport, AnMp4AtAFractionOfRealTimeHasTheFramesAndTheSizeAskedFor) {
  MainWindow& window = demoWindow();
  const Recording& recording = *window.recording();
  QTemporaryDir dir;
  VideoSettings s;
  s.path = dir.filePath(QStringLiteral("io.mp4"));
  s.views = VideoViews::DashboardAndTimeline;
  s.from = positionBeforeLine(recording, 23);  // afterRead: poll phase, the file was read
  s.to = recording.size();
  s.speed = *parseReplaySpeed(QStringLiteral("0.1x"), nullptr);
  s.size = QSize(480, 270);
  s.fps = 24;
  const double expected = expectedFrames(recording, s);
  ASSERT_LT(expected, 24 * 20) << "a short video, as a test should make";

  VideoExporter exporter(window, s);
  QString error;
  ASSERT_TRUE(exporter.run({}, &error)) << error.toStdString();
  const Probe p = probe(s.path);
  ASSERT_TRUE(p.ok) << p.error.toStdString();
  EXPECT_EQ(p.codec, QStringLiteral("h264"));
  EXPECT_EQ(p.pixelFormat, QStringLiteral("yuv420p")) << "the colour format slide programs play";
  EXPECT_EQ(p.width, 480);
  EXPECT_EQ(p.height, 270);
  EXPECT_NEAR(double(p.frames), expected, 2.0);
  EXPECT_FALSE(extractFrame(s.path, 2, QStringLiteral("video_demo_dashboard_timeline.png")).isNull());
}

TEST(VideoExport, CancellingLeavesNoFileAndKeepsTheOldVideo) {
  MainWindow& window = demoWindow();
  QTemporaryDir dir;
  VideoSettings s;
  s.path = dir.filePath(QStringLiteral("replay.mp4"));
  s.size = QSize(320, 180);
  s.speed = *parseReplaySpeed(QStringLiteral("60/s"), nullptr);
  VideoExporter exporter(window, s);
  QString error;
  EXPECT_FALSE(exporter.run([](int done, int) { return done < 5; }, &error));
  EXPECT_TRUE(exporter.wasCancelled());
  EXPECT_TRUE(error.contains(QStringLiteral("cancelled"))) << error.toStdString();
  EXPECT_TRUE(filesIn(dir.path()).isEmpty()) << filesIn(dir.path()).join(QLatin1Char(' ')).toStdString();

  // A video already there is not replaced by a cancelled one, nor joined by a partial file.
  QFile old(s.path);
  ASSERT_TRUE(old.open(QIODevice::WriteOnly));
  old.write("the video from last week");
  old.close();
  VideoSettings gif = s;
  gif.path = dir.filePath(QStringLiteral("replay.gif"));
  QFile::copy(s.path, gif.path);
  for (const VideoSettings& settings : {s, gif}) {
    VideoExporter again(window, settings);
    EXPECT_FALSE(again.run([](int done, int) { return done < 20; }, &error));
    QFile kept(settings.path);
    ASSERT_TRUE(kept.open(QIODevice::ReadOnly));
    EXPECT_EQ(kept.readAll(), QByteArray("the video from last week"));
  }
  EXPECT_EQ(filesIn(dir.path()).size(), 2) << filesIn(dir.path()).join(QLatin1Char(' ')).toStdString();
}

TEST(VideoExport, TheProgressDialogsCancelButtonStopsTheExportAndLeavesNoFile) {
  MainWindow& window = demoWindow();
  QTemporaryDir dir;
  VideoSettings s;
  s.path = dir.filePath(QStringLiteral("replay.gif"));
  s.size = QSize(320, 180);
  // Clicks Cancel once a few frames are done, as a user changing their mind would.
  int shownMaximum = 0;
  QTimer clicker;
  QObject::connect(&clicker, &QTimer::timeout, [&] {
    auto* progress = window.findChild<QProgressDialog*>();
    if (!progress || progress->value() < 4) return;
    shownMaximum = progress->maximum();
    if (auto* cancel = progress->findChild<QPushButton*>()) cancel->click();
  });
  clicker.start(10);
  QString error;
  bool cancelled = false;
  EXPECT_FALSE(exportVideoWithProgress(window, s, &error, &cancelled));
  EXPECT_TRUE(cancelled) << error.toStdString();
  EXPECT_GT(shownMaximum, 4) << "the dialog counts the frames";
  EXPECT_TRUE(filesIn(dir.path()).isEmpty()) << filesIn(dir.path()).join(QLatin1Char(' ')).toStdString();
}

TEST(VideoExport, WithoutFfmpegItSaysHowToInstallItAndWritesNothing) {
  MainWindow& window = demoWindow();
  QTemporaryDir dir;
  VideoSettings s;
  s.path = dir.filePath(QStringLiteral("replay.gif"));
  s.size = QSize(320, 180);
  s.ffmpeg = dir.filePath(QStringLiteral("no-such-ffmpeg"));
  VideoExporter exporter(window, s);
  QString error;
  EXPECT_FALSE(exporter.run({}, &error));
  EXPECT_FALSE(exporter.wasCancelled());
  EXPECT_TRUE(error.contains(QStringLiteral("apt install ffmpeg"))) << error.toStdString();
  EXPECT_TRUE(filesIn(dir.path()).isEmpty()) << filesIn(dir.path()).join(QLatin1Char(' ')).toStdString();
}

TEST(VideoExport, ABadRangeOrSizeGetsOneSentenceAndNoFile) {
  MainWindow& window = demoWindow();
  const Recording& recording = *window.recording();
  QTemporaryDir dir;
  VideoSettings s;
  s.path = dir.filePath(QStringLiteral("replay.mp4"));
  QString error;

  s.from = 50;
  s.to = 10;
  EXPECT_TRUE(planVideoFrames(recording, s, &error).empty());
  EXPECT_TRUE(error.contains(QStringLiteral("must start before it ends"))) << error.toStdString();
  s.from = 0;
  s.to = recording.size() + 5;
  EXPECT_TRUE(planVideoFrames(recording, s, &error).empty());
  EXPECT_TRUE(error.contains(QStringLiteral("past the end of the recording"))) << error.toStdString();
  s.to = size_t(-1);
  s.speed = *parseReplaySpeed(QStringLiteral("0.0001x"), nullptr);
  EXPECT_TRUE(planVideoFrames(recording, s, &error).empty());
  EXPECT_TRUE(error.contains(QStringLiteral("faster speed"))) << error.toStdString();

  s.speed = replaySpeeds()[0];
  s.from = 30;
  s.to = 30;
  VideoExporter exporter(window, s);
  EXPECT_FALSE(exporter.run({}, &error));
  EXPECT_TRUE(error.contains(QStringLiteral("range is empty"))) << error.toStdString();
  s.to = size_t(-1);
  s.path = dir.filePath(QStringLiteral("replay.avi"));
  VideoExporter wrongFormat(window, s);
  EXPECT_FALSE(wrongFormat.run({}, &error));
  EXPECT_TRUE(error.contains(QStringLiteral(".mp4"))) << error.toStdString();
  EXPECT_TRUE(filesIn(dir.path()).isEmpty());

  EXPECT_FALSE(parseVideoSize(QStringLiteral("641x360"), &error));
  EXPECT_TRUE(error.contains(QStringLiteral("even"))) << error.toStdString();
  EXPECT_FALSE(parseVideoSize(QStringLiteral("big"), &error));
  EXPECT_EQ(parseVideoSize(QStringLiteral("1920x1080"), &error), QSize(1920, 1080));
  EXPECT_FALSE(parseReplaySpeed(QStringLiteral("fast"), &error));
  EXPECT_TRUE(parseReplaySpeed(QStringLiteral("8 events/s"), &error)->perEvent);
  EXPECT_FALSE(parseReplaySpeed(QStringLiteral("2x"), &error)->perEvent);
}

TEST(VideoExport, TheCaptionIsTheTransportBarsWordsAndNamesTheRunningCallback) {
  MainWindow& window = demoWindow();
  const Recording& recording = *window.recording();
  // Just after immediateFromIo (line 28) starts: the check phase runs a setImmediate callback.
  size_t position = positionBeforeLine(recording, 28);
  while (position < recording.size() && !recording.timeline().stateAt(position).current) ++position;
  const LoopState state = recording.timeline().stateAt(position);
  ASSERT_TRUE(state.current.has_value());
  const QString caption = stepCaption(state);
  EXPECT_TRUE(caption.contains(QStringLiteral("check phase — setImmediate callback immediateFromIo from line 28")))
      << caption.toStdString();
  const QStringList lines = videoCaptionLines(recording, state, QStringLiteral("demo.js"));
  EXPECT_EQ(lines.value(0), caption);
  EXPECT_TRUE(lines.value(1).startsWith(QStringLiteral("event %1 / %2").arg(position).arg(recording.size())))
      << lines.value(1).toStdString();

  // Node's own callbacks (a console.log's afterWriteTick) are named as such, not by a line number
  // the snippet does not have.
  bool sawInternal = false;
  for (size_t at = 1; at <= recording.size() && !sawInternal; ++at) {
    const LoopState moment = recording.timeline().stateAt(at);
    if (!moment.current || !moment.current->internal) continue;
    sawInternal = true;
    const QString text = stepCaption(moment);
    EXPECT_TRUE(text.contains(QStringLiteral("(Node's own code"))) << text.toStdString();
    EXPECT_FALSE(text.contains(QStringLiteral("from line"))) << text.toStdString();
  }
  EXPECT_TRUE(sawInternal) << "the demo's console.log runs Node's own callbacks";

  // While stepping, the transport bar says the same place with the same function.
  window.seek(position);
  window.refreshNow();
  auto* label = window.findChild<QLabel*>(QStringLiteral("PositionLabel"));
  ASSERT_NE(label, nullptr);
  EXPECT_EQ(label->text(), playheadLabel(recording.trace(), state, recording.size()));
  EXPECT_TRUE(label->text().endsWith(playheadPlace(state))) << label->text().toStdString();
  window.seek(recording.size());
  window.refreshNow();

  // The frame itself: the caption strip at the bottom, the views above it.
  VideoSettings s;
  s.path = QStringLiteral("unused.mp4");
  s.views = VideoViews::Dashboard;
  s.size = QSize(1280, 720);
  VideoExporter exporter(window, s);
  const QImage frame = exporter.renderFrame(position);
  EXPECT_EQ(frame.size(), QSize(1280, 720));
  frame.save(artifactPath(QStringLiteral("video_frame_check_phase.png")));
}

TEST(VideoExport, TheCommandLineWritesAGifAndSaysWhatIsWrongOtherwise) {
  QTemporaryDir dir;
  const QString gif = dir.filePath(QStringLiteral("demo.gif"));
  auto app = loopscope::test::runApp({"--run", LOOPSCOPE_DEMO, "--export-video", gif, "--video-size", "320x180",
                                      "--video-speed", "60/s", "--video-from", "line:23", "--video-views", "timeline"},
                                     QString());
  ASSERT_TRUE(app.finished);
  EXPECT_EQ(app.exitCode, 0) << app.stderrText;
  const Probe p = probe(gif);
  ASSERT_TRUE(p.ok) << p.error.toStdString();
  EXPECT_EQ(p.width, 320);
  EXPECT_EQ(p.height, 180);
  // At least the frame at the start and the held end (10 frames/s, the GIF's default).
  EXPECT_GE(p.frames, 1 + std::lround(kVideoHoldSeconds * 10));

  auto said = [](const loopscope::test::AppRun& run) { return QString::fromStdString(run.stderrText).trimmed(); };
  app = loopscope::test::runApp({"--run", LOOPSCOPE_DEMO, "--export-video", gif, "--video-size", "321x180"}, QString());
  EXPECT_EQ(app.exitCode, 2);
  EXPECT_TRUE(said(app).startsWith(QStringLiteral("loopscope: --video-size: The video size 321×180 must be even")))
      << app.stderrText;
  app = loopscope::test::runApp({"--run", LOOPSCOPE_DEMO, "--export-video", gif, "--video-to", "event:999999"},
                                QString());
  EXPECT_EQ(app.exitCode, 2);
  EXPECT_TRUE(said(app).contains(QStringLiteral("--video-to event:999999 is past the end"))) << app.stderrText;
  EXPECT_EQ(said(app).count(QLatin1Char('\n')), 0) << "one sentence";

  // Without ffmpeg on the PATH: how to get it, and no file.
  QFile::remove(gif);
  QProcess noFfmpeg;
  QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
  environment.insert(QStringLiteral("PATH"), dir.filePath(QStringLiteral("empty")));
  noFfmpeg.setProcessEnvironment(environment);
  noFfmpeg.start(QStringLiteral(LOOPSCOPE_APP),
                 {"--run", LOOPSCOPE_DEMO, "--export-video", gif, "--video-size", "320x180"});
  ASSERT_TRUE(noFfmpeg.waitForFinished(60000));
  EXPECT_EQ(noFfmpeg.exitCode(), 1);
  EXPECT_TRUE(QString::fromLocal8Bit(noFfmpeg.readAllStandardError()).contains(QStringLiteral("apt install ffmpeg")));
  EXPECT_TRUE(filesIn(dir.path()).isEmpty()) << filesIn(dir.path()).join(QLatin1Char(' ')).toStdString();
}

TEST(VideoExport, AVideoThatCannotBeWrittenWholeSaysWhyAndLeavesNothing) {
  // The file stops growing part-way (a file-size limit, as a full disk would): ffmpeg fails on
  // its write, and the app says so in a sentence and takes the half-written file away.
  QTemporaryDir dir;
  const QString video = dir.filePath(QStringLiteral("demo.mp4"));
  QProcess limited;
  limited.start(QStringLiteral("/bin/sh"),
                {QStringLiteral("-c"), QStringLiteral("ulimit -f 40; trap '' XFSZ; exec \"$0\" \"$@\""),
                 QStringLiteral(LOOPSCOPE_APP), QStringLiteral("--run"), QStringLiteral(LOOPSCOPE_DEMO),
                 QStringLiteral("--export-video"), video, QStringLiteral("--video-size"), QStringLiteral("640x360")});
  ASSERT_TRUE(limited.waitForFinished(120000));
  const QString said = QString::fromLocal8Bit(limited.readAllStandardError()).trimmed();
  EXPECT_EQ(limited.exitCode(), 1) << said.toStdString();
  EXPECT_TRUE(said.contains(QStringLiteral("grew past the largest file"))) << said.toStdString();
  EXPECT_TRUE(filesIn(dir.path()).isEmpty()) << filesIn(dir.path()).join(QLatin1Char(' ')).toStdString();
}

TEST(CopyPicture, PutsAPngOfTheWindowOrOfOneViewOfTheRequestedSizeOnTheClipboard) {
  MainWindow& window = demoWindow();
  window.resize(1100, 700);
  QCoreApplication::processEvents();
  QClipboard* clipboard = QGuiApplication::clipboard();
  clipboard->clear();

  // Ctrl+Shift+C with no view under the pointer or holding the focus: the whole window.
  QAction* copy = loopscope::test::actionFor(window, QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_C));
  ASSERT_NE(copy, nullptr) << "Ctrl+Shift+C copies a picture";
  if (QWidget* focused = QApplication::focusWidget()) focused->clearFocus();
  copy->trigger();
  const QMimeData* data = clipboard->mimeData();
  ASSERT_NE(data, nullptr);
  ASSERT_TRUE(data->hasFormat(QStringLiteral("image/png")));
  const QImage png = QImage::fromData(data->data(QStringLiteral("image/png")), "PNG");
  EXPECT_EQ(png.size(), QSize(1100, 700));
  EXPECT_EQ(clipboard->image().size(), QSize(1100, 700));

  // The context menu of a view copies that view.
  auto* wheel = window.findChild<LoopWheelView*>();
  ASSERT_NE(wheel, nullptr);
  clipboard->clear();
  QString offered;
  QTimer::singleShot(0, [&offered] {
    auto* menu = qobject_cast<QMenu*>(QApplication::activePopupWidget());
    if (!menu) return;
    offered = menu->actions().value(0)->text();
    menu->actions().value(0)->trigger();
    menu->close();
  });
  QContextMenuEvent event(QContextMenuEvent::Mouse, QPoint(20, 20), wheel->mapToGlobal(QPoint(20, 20)));
  QApplication::sendEvent(wheel, &event);
  EXPECT_EQ(offered, QStringLiteral("Copy picture of the loop wheel"));
  EXPECT_EQ(clipboard->image().size(), wheel->size());
  EXPECT_TRUE(clipboard->mimeData()->hasFormat(QStringLiteral("image/png")));

  window.resize(1280, 720);
  QCoreApplication::processEvents();
}

TEST(HeapView, EverySpaceHoldingMemoryHasAWholeLabelInsideTheView) {
  loopscope::test::testApplication();
  LoopState s;
  s.started = true;
  s.heap.newSpace = 394 * 1024;
  s.heap.oldSpace = 2900 * 1024;
  s.heap.codeSpace = 424 * 1024;
  s.heap.mapSpace = 503 * 1024;
  s.heap.lastGcNs = 1'000'000;
  s.heap.scavenges = 1;
  // The sizes the dashboard gives the heap: at 1280×720 with the presentation font, with a lesson
  // open beside it, and roomy; with and without a large-object space.
  struct Case {
    QSize size;
    int fontPixels;
    int64_t largeObjects;
  };
  const Case cases[] = {{{215, 130}, 21, 0},        {{215, 130}, 21, 12 << 20}, {{175, 150}, 13, 0},
                        {{175, 150}, 13, 12 << 20}, {{300, 260}, 13, 0},        {{300, 200}, 15, 12 << 20}};
  for (const Case& c : cases) {
    SCOPED_TRACE(QStringLiteral("%1×%2 at %3 px, large objects %4")
                     .arg(c.size.width())
                     .arg(c.size.height())
                     .arg(c.fontPixels)
                     .arg(c.largeObjects)
                     .toStdString());
    s.heap.largeObjectSpace = c.largeObjects;
    HeapView heap;
    QFont font = heap.font();
    font.setPixelSize(c.fontPixels);
    heap.setFont(font);
    heap.resize(c.size);
    heap.showState(s);
    heap.grab();
    const QStringList labels = heap.drawnLabels();
    const QString all = labels.join(QStringLiteral(" | "));
    QStringList wanted{QStringLiteral("New space"), QStringLiteral("Old space"), QStringLiteral("code 424 KB"),
                       QStringLiteral("map 503 KB")};
    if (c.largeObjects > 0) wanted << QStringLiteral("Large objects");
    for (const QString& space : wanted)
      EXPECT_TRUE(all.contains(space)) << space.toStdString() << " missing in: " << all.toStdString();
    ASSERT_EQ(heap.drawnLabelRects().size(), size_t(labels.size()));
    for (qsizetype i = 0; i < labels.size(); ++i) {
      EXPECT_FALSE(labels[i].contains(QChar(0x2026))) << "cut: " << labels[i].toStdString();
      const QRectF r = heap.drawnLabelRects()[size_t(i)];
      EXPECT_TRUE(QRectF(heap.rect()).adjusted(-0.5, -0.5, 0.5, 0.5).contains(r))
          << labels[i].toStdString() << " lies outside the view";
    }
    heap.grab().save(artifactPath(
        QStringLiteral("heap_legend_%1x%2_%3px.png").arg(c.size.width()).arg(c.size.height()).arg(c.fontPixels)));
  }
}

TEST(VideoExportDialog, StartsOnTheWholeRecordingAndSaysHowLongTheVideoWillBe) {
  MainWindow& window = demoWindow();
  const Recording& recording = *window.recording();
  QTemporaryDir dir;
  VideoExportDialog dialog(window);
  const VideoSettings s = dialog.settings();
  EXPECT_EQ(s.from, 0u);
  EXPECT_EQ(s.to, recording.size());
  EXPECT_EQ(s.size, QSize(1280, 720));
  EXPECT_EQ(videoFormatOf(s.path), VideoFormat::Mp4);
  EXPECT_TRUE(QFileInfo(s.path).fileName() == QStringLiteral("demo.mp4")) << s.path.toStdString();
  EXPECT_TRUE(dialog.isExportable()) << dialog.estimateText().toStdString();
  const std::vector<size_t> frames = planVideoFrames(recording, s, nullptr);
  EXPECT_TRUE(dialog.estimateText().contains(QStringLiteral("%1 frames").arg(frames.size())))
      << dialog.estimateText().toStdString();

  // A GIF: the file's suffix and the frame rate follow; an empty range cannot be exported.
  dialog.setFormat(VideoFormat::Gif);
  EXPECT_EQ(QFileInfo(dialog.settings().path).suffix(), QStringLiteral("gif"));
  EXPECT_EQ(dialog.settings().fps, defaultVideoFps(VideoFormat::Gif));
  dialog.setRange(40, 40);
  EXPECT_FALSE(dialog.isExportable());
  EXPECT_TRUE(dialog.estimateText().contains(QStringLiteral("range is empty"))) << dialog.estimateText().toStdString();
  dialog.setRange(0, recording.size());
  dialog.setPath(dir.filePath(QStringLiteral("notes.txt")));
  EXPECT_FALSE(dialog.isExportable());
  dialog.setPath(dir.filePath(QStringLiteral("replay.gif")));
  EXPECT_TRUE(dialog.isExportable());
  dialog.grab().save(artifactPath(QStringLiteral("video_export_dialog.png")));
}

TEST(VideoExport, TheCommandLineParsesEveryVideoOptionAndNeedsNoAtForAVideoAlone) {
  QString error;
  const auto request = parseAutomationArguments(
      {"--run", "a.js", "--export-video", "x.gif", "--video-size", "640x360", "--video-speed", "0.5x", "--video-views",
       "timeline", "--video-from", "line:7", "--video-to", "event:300", "--video-fps", "20", "--no-captions"},
      &error);
  ASSERT_TRUE(request) << error.toStdString();
  EXPECT_EQ(request->videoPath, QStringLiteral("x.gif"));
  EXPECT_EQ(request->videoSize, QSize(640, 360));
  EXPECT_EQ(request->videoSpeed, QStringLiteral("0.5x"));
  EXPECT_EQ(request->videoViews, QStringLiteral("timeline"));
  EXPECT_EQ(request->videoFrom, QStringLiteral("line:7"));
  EXPECT_EQ(request->videoTo, QStringLiteral("event:300"));
  EXPECT_EQ(request->videoFps, 20);
  EXPECT_FALSE(request->videoCaptions);
  EXPECT_TRUE(isAutomationCommandLine({"--lesson", "02", "--export-video", "x.mp4"}));

  struct Bad {
    QStringList arguments;
    const char* says;
  };
  const Bad bad[] = {{{"--export-video", "x.avi"}, "must end in .mp4"},
                     {{"--export-video", "x.mp4", "--video-views", "wheel"}, "--video-views must be one of"},
                     {{"--export-video", "x.mp4", "--video-fps", "0"}, "--video-fps must be"},
                     {{"--export-video", "x.mp4", "--video-from", "middle"}, "--video-from must be start, end"},
                     {{"--export-video", "x.mp4", "--video-speed", "quick"}, "--video-speed: The speed must be"},
                     {{"--snapshot", "x.png"}, "--at is missing"}};
  for (const Bad& b : bad) {
    EXPECT_FALSE(parseAutomationArguments(QStringList{"--run", "a.js"} + b.arguments, &error)) << b.says;
    EXPECT_TRUE(error.contains(QString::fromUtf8(b.says))) << error.toStdString();
  }
}
