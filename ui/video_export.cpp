#include "video_export.h"

#include <QApplication>
#include <QCoreApplication>
#include <QDir>
#include <QFileInfo>
#include <QGridLayout>
#include <QHBoxLayout>
#include <QPainter>
#include <QProcess>
#include <QRegularExpression>
#include <QStorageInfo>
#include <QTemporaryDir>
#include <QFile>
#include <QRandomGenerator>
#include <QVBoxLayout>

#include <algorithm>
#include <cmath>
#include <filesystem>

#include "interpret/callback_family.h"
#include "main_window.h"
#include "recording.h"
#include "step_caption.h"
#include "views/heap_view.h"
#include "views/loop_wheel_view.h"
#include "views/phase_colors.h"
#include "views/qcustomplot_include.h"
#include "views/queues_view.h"
#include "views/streams_view.h"
#include "views/thread_pool_view.h"
#include "views/health_analysis.h"
#include "views/timeline_view.h"

namespace loopscope::ui {

namespace {

QString tr(const char* text) { return QCoreApplication::translate("VideoExport", text); }

// The views are laid out at the application's font for a stage this tall; a taller one gets
// bigger text, as a projector would, instead of more room around the same small text.
constexpr double kReferenceStageHeight = 380;
// Only a GIF's palette needs these: frames spread over the range, from which ffmpeg picks the
// 256 colours every frame is then drawn with.
constexpr int kPaletteSamples = 16;
constexpr qint64 kMinFreeBytes = 4 * 1024 * 1024;

QString sizeText(const QSize& size) { return QStringLiteral("%1×%2").arg(size.width()).arg(size.height()); }

QString durationWords(double seconds) {
  if (seconds < 90) return tr("%1 s").arg(seconds, 0, 'f', 1);
  return tr("%1 min").arg(seconds / 60, 0, 'f', 1);
}

// ffmpeg's stderr, shortened to its last meaningful line for a sentence.
QString lastLine(const QString& text) {
  const QStringList lines = text.split(QLatin1Char('\n'), Qt::SkipEmptyParts);
  for (auto it = lines.crbegin(); it != lines.crend(); ++it)
    if (!it->trimmed().isEmpty()) return it->trimmed();
  return {};
}

// Why ffmpeg could not write the file, in words that say what to do, or "" when it failed for
// another reason.
QString writeFailureSentence(const QString& ffmpegSaid, const QString& folder) {
  const QString where = QDir::toNativeSeparators(folder);
  if (ffmpegSaid.contains(QLatin1String("No space left on device")) ||
      ffmpegSaid.contains(QLatin1String("Disk quota exceeded")))
    return tr("The disk holding '%1' is full: free some space or choose another folder, then export again.").arg(where);
  if (ffmpegSaid.contains(QLatin1String("File too large")))
    return tr(
        "The video grew past the largest file this system lets the app write ('ulimit -f'): choose a smaller "
        "size, a faster speed or a shorter range, or lift the limit.");
  if (ffmpegSaid.contains(QLatin1String("Permission denied")) ||
      ffmpegSaid.contains(QLatin1String("Read-only file system")))
    return tr("Cannot write in the folder '%1': check that it is writable.").arg(where);
  return {};
}

// One run of the ffmpeg program, fed raw frames (4 bytes a pixel, in QImage::Format_RGB32's byte
// order: blue, green, red, unused) on its standard input. Killed if still running when destroyed.
class FfmpegPipe {
 public:
  FfmpegPipe(const QString& program, const QSize& size, int fps) : m_program(program), m_size(size), m_fps(fps) {}
  ~FfmpegPipe() {
    if (m_process.state() != QProcess::NotRunning) {
      m_process.kill();
      m_process.waitForFinished(5000);
    }
  }

  // `outputArguments` come after the raw-frame input (and may add inputs of their own).
  bool start(const QStringList& outputArguments, QString* error) {
    QStringList args{QStringLiteral("-hide_banner"),
                     QStringLiteral("-nostats"),
                     QStringLiteral("-loglevel"),
                     QStringLiteral("error"),
                     QStringLiteral("-y"),
                     QStringLiteral("-f"),
                     QStringLiteral("rawvideo"),
                     QStringLiteral("-pix_fmt"),
                     QStringLiteral("bgr0"),
                     QStringLiteral("-video_size"),
                     QStringLiteral("%1x%2").arg(m_size.width()).arg(m_size.height()),
                     QStringLiteral("-framerate"),
                     QString::number(m_fps),
                     QStringLiteral("-i"),
                     QStringLiteral("pipe:0")};
    args += outputArguments;
    m_process.setProgram(m_program);
    m_process.setArguments(args);
    m_process.start();
    if (!m_process.waitForStarted(15000)) {
      *error = m_process.error() == QProcess::FailedToStart
                   ? tr("Cannot make a video without the ffmpeg program, which was not found ('%1'): install it "
                        "(on Debian or Ubuntu: sudo apt install ffmpeg) and export again.")
                         .arg(m_program)
                   : tr("The ffmpeg program ('%1') did not start: %2.").arg(m_program, m_process.errorString());
      return false;
    }
    return true;
  }

  // False once ffmpeg has stopped taking frames (it failed; finish() says why).
  bool write(const QImage& frame) {
    if (m_process.state() != QProcess::Running) return false;
    const qint64 bytes = frame.sizeInBytes();
    if (m_process.write(reinterpret_cast<const char*>(frame.constBits()), bytes) != bytes) return false;
    // Backpressure: at most two frames wait in the pipe, so memory stays flat on long videos.
    while (m_process.bytesToWrite() > 2 * bytes) {
      if (!m_process.waitForBytesWritten(1000) && m_process.state() != QProcess::Running) return false;
    }
    return true;
  }

  // Closes the input and waits for ffmpeg to finish the file. False with ffmpeg's own words in
  // `ffmpegSaid` when it failed.
  bool finish(QString* ffmpegSaid) {
    if (m_process.state() == QProcess::Running) {
      m_process.closeWriteChannel();
      // Encoding the tail of a long video can take a while; ffmpeg is never left hanging.
      while (!m_process.waitForFinished(250)) {
        if (m_process.state() == QProcess::NotRunning) break;
        QCoreApplication::processEvents(QEventLoop::ExcludeUserInputEvents);
      }
    }
    const QString said = QString::fromLocal8Bit(m_process.readAllStandardError());
    if (m_process.exitStatus() == QProcess::NormalExit && m_process.exitCode() == 0) return true;
    *ffmpegSaid = said.isEmpty() ? tr("ffmpeg stopped with exit code %1").arg(m_process.exitCode()) : said;
    return false;
  }

  void kill() {
    if (m_process.state() == QProcess::NotRunning) return;
    m_process.kill();
    m_process.waitForFinished(5000);
  }

 private:
  QString m_program;
  QSize m_size;
  int m_fps;
  QProcess m_process;
};

// The file ffmpeg writes, beside the video's name and hidden, removed unless keep() is called.
// Created like any new file of the user's (not QTemporaryFile's owner-only permissions), so the
// video it becomes can be shared as the user's other files are.
class PartialFile {
 public:
  PartialFile(const QString& folder, const QString& baseName) : m_folder(folder), m_baseName(baseName) {}
  ~PartialFile() {
    if (!m_path.isEmpty() && !m_kept) QFile::remove(m_path);
  }
  bool create() {
    for (int attempt = 0; attempt < 20; ++attempt) {
      const QString name = QStringLiteral(".%1-%2.part")
                               .arg(m_baseName)
                               .arg(QRandomGenerator::global()->generate(), 8, 16, QLatin1Char('0'));
      QFile file(QDir(m_folder).filePath(name));
      if (file.open(QIODevice::WriteOnly | QIODevice::NewOnly)) {
        m_path = file.fileName();
        return true;
      }
      if (file.exists()) continue;  // a name already taken: another one
      return false;
    }
    return false;
  }
  const QString& fileName() const { return m_path; }
  void keep() { m_kept = true; }

 private:
  QString m_folder, m_baseName, m_path;
  bool m_kept = false;
};

}  // namespace

// ---------------------------------------------------------------------------------------------
// Choices

const std::vector<VideoViewChoice>& videoViewChoices() {
  static const std::vector<VideoViewChoice> choices = {
      {VideoViews::Dashboard, QStringLiteral("dashboard"), tr("Dashboard: wheel, queues, pool, heap, streams")},
      {VideoViews::WheelAndQueues, QStringLiteral("wheel+queues"), tr("Wheel and queues")},
      {VideoViews::Timeline, QStringLiteral("timeline"), tr("Timeline")},
      {VideoViews::DashboardAndTimeline, QStringLiteral("dashboard+timeline"), tr("Dashboard and timeline")},
      {VideoViews::Window, QStringLiteral("window"), tr("Whole window, as on screen")},
  };
  return choices;
}

std::optional<VideoViews> videoViewsNamed(const QString& name) {
  for (const VideoViewChoice& c : videoViewChoices())
    if (c.name == name.toLower()) return c.views;
  return std::nullopt;
}

std::optional<VideoFormat> videoFormatOf(const QString& path) {
  const QString suffix = QFileInfo(path).suffix().toLower();
  if (suffix == QLatin1String("mp4")) return VideoFormat::Mp4;
  if (suffix == QLatin1String("gif")) return VideoFormat::Gif;
  return std::nullopt;
}

QString videoSuffix(VideoFormat format) {
  return format == VideoFormat::Gif ? QStringLiteral("gif") : QStringLiteral("mp4");
}

int defaultVideoFps(VideoFormat format) { return format == VideoFormat::Gif ? 10 : 30; }

const std::vector<QSize>& videoSizes() {
  static const std::vector<QSize> sizes = {{640, 360}, {960, 540}, {1280, 720}, {1920, 1080}};
  return sizes;
}

std::optional<QSize> parseVideoSize(const QString& text, QString* error) {
  static const QRegularExpression form(QStringLiteral("^\\s*(\\d{1,5})\\s*[x×X]\\s*(\\d{1,5})\\s*$"));
  const QRegularExpressionMatch m = form.match(text);
  auto fail = [&](const QString& why) -> std::optional<QSize> {
    if (error) *error = why;
    return std::nullopt;
  };
  if (!m.hasMatch()) return fail(tr("The video size must be WIDTHxHEIGHT, e.g. 1280x720, not '%1'.").arg(text));
  const QSize size(m.captured(1).toInt(), m.captured(2).toInt());
  if (size.width() < kMinVideoWidth || size.height() < kMinVideoHeight || size.width() > kMaxVideoWidth ||
      size.height() > kMaxVideoHeight)
    return fail(tr("The video size %1 is out of range: from %2×%3 to %4×%5.")
                    .arg(sizeText(size))
                    .arg(kMinVideoWidth)
                    .arg(kMinVideoHeight)
                    .arg(kMaxVideoWidth)
                    .arg(kMaxVideoHeight));
  if (size.width() % 2 || size.height() % 2)
    return fail(tr("The video size %1 must be even numbers (MP4 players need them): try %2×%3.")
                    .arg(sizeText(size))
                    .arg(size.width() + size.width() % 2)
                    .arg(size.height() + size.height() % 2));
  return size;
}

std::optional<ReplaySpeed> parseReplaySpeed(const QString& text, QString* error) {
  for (const ReplaySpeed& s : replaySpeeds())
    if (s.label == text.trimmed()) return s;
  static const QRegularExpression perEvent(QStringLiteral("^\\s*([0-9.]+)\\s*(?:events?)?\\s*/\\s*s\\s*$"));
  static const QRegularExpression realTime(QStringLiteral("^\\s*([0-9.]+)\\s*[x×]\\s*(?:real time)?\\s*$"));
  ReplaySpeed speed;
  bool ok = false;
  if (const auto m = perEvent.match(text); m.hasMatch()) {
    speed.perEvent = true;
    speed.value = m.captured(1).toDouble(&ok);
    speed.label = tr("%1 events/s").arg(speed.value);
  } else if (const auto r = realTime.match(text); r.hasMatch()) {
    speed.perEvent = false;
    speed.value = r.captured(1).toDouble(&ok);
    speed.label = tr("%1× real time").arg(speed.value);
  }
  if (!ok || !(speed.value > 0) || speed.value > 1e6) {
    if (error)
      *error = tr("The speed must be events per second (8/s, slow motion) or a multiple of real time (0.5x), "
                  "not '%1'.")
                   .arg(text);
    return std::nullopt;
  }
  return speed;
}

// ---------------------------------------------------------------------------------------------
// Planning

std::vector<size_t> planVideoFrames(const Recording& recording, const VideoSettings& settings, QString* error) {
  auto fail = [error](const QString& why) {
    if (error) *error = why;
    return std::vector<size_t>{};
  };
  const size_t total = recording.size();
  if (total == 0) return fail(tr("There is nothing recorded to make a video of: run the snippet first (F5)."));
  const size_t to = settings.to == size_t(-1) ? total : settings.to;
  if (to > total)
    return fail(tr("The range ends at event %1, past the end of the recording (%2 events): choose an end up to %2.")
                    .arg(to)
                    .arg(total));
  if (settings.from >= to)
    return fail(
        tr("The range is empty: it must start before it ends (from event %1 to event %2).").arg(settings.from).arg(to));
  const auto format = videoFormatOf(settings.path);
  const int fps = settings.fps > 0 ? settings.fps : defaultVideoFps(format.value_or(VideoFormat::Mp4));
  if (fps > kMaxVideoFps)
    return fail(tr("The frame rate must be from 1 to %1 frames per second, not %2.").arg(kMaxVideoFps).arg(fps));
  if (!(settings.speed.value > 0)) return fail(tr("The replay speed must be above zero."));

  const Trace& trace = recording.trace();
  const LoopTimeline& timeline = recording.timeline();
  const size_t maxFrames = size_t(kMaxVideoSeconds * fps);
  ReplayClock clock;
  clock.setSpeed(settings.speed);
  clock.restartAt(trace, settings.from);
  std::vector<size_t> frames{settings.from};
  size_t position = settings.from;
  const double frameSeconds = 1.0 / fps;
  while (position < to) {
    position = std::min(clock.advance(timeline, trace, position, frameSeconds), to);
    frames.push_back(position);
    if (frames.size() > maxFrames) {
      // How long it would have been, to say how much faster to go.
      double seconds = kMaxVideoSeconds;
      if (settings.speed.perEvent) {
        seconds = double(to - settings.from) / settings.speed.value;
      } else {
        const auto& events = trace.events();
        const uint64_t t0 = settings.from == 0 ? (trace.runStart() ? trace.runStart()->ts : events.front().ts)
                                               : events[settings.from - 1].ts;
        seconds = double(events[to - 1].ts - std::min(t0, events[to - 1].ts)) / 1e9 / settings.speed.value;
      }
      return fail(tr("At %1 the video would last about %2, longer than %3: choose a faster speed or a shorter range.")
                      .arg(settings.speed.label, durationWords(std::max(seconds, kMaxVideoSeconds)),
                           durationWords(kMaxVideoSeconds)));
    }
  }
  frames.insert(frames.end(), size_t(std::lround(kVideoHoldSeconds * fps)), to);
  return frames;
}

QStringList videoCaptionLines(const Recording& recording, const LoopState& state, const QString& snippetName) {
  QString where = playheadCounter(recording.trace(), state, recording.size());
  if (!snippetName.isEmpty()) where += QStringLiteral(" · ") + snippetName;
  return {stepCaption(state), where};
}

// ---------------------------------------------------------------------------------------------
// The stage: views of the video's own, laid out at its size

class VideoStage : public QWidget {
 public:
  // `showInternals` and `health` (the loop-health warnings, with the Health tab's threshold) as
  // the window shows them, so the video agrees with the app.
  VideoStage(VideoViews views, const Recording& recording, bool showInternals, HealthAnalysis* health,
             const QSize& content, size_t from, size_t to) {
    setAttribute(Qt::WA_DontShowOnScreen);
    setAutoFillBackground(true);
    // The views are laid out on a stage at least minimumStageHeight() tall (a small video is the
    // same picture made smaller, not the views squeezed until they overlap), and its text grows
    // with a big video, as on a projector, rather than leaving more room around small text.
    const double logicalHeight = std::max<double>(content.height(), minimumStageHeight(views));
    QFont f = QApplication::font();
    // With the timeline under the dashboard each of them has about half the height.
    const double reference =
        views == VideoViews::DashboardAndTimeline ? kReferenceStageHeight * 1.4 : kReferenceStageHeight;
    const double fontScale = std::clamp(logicalHeight / reference, 0.8, 4.0);
    if (f.pixelSize() > 0)
      f.setPixelSize(std::max(7, int(std::lround(f.pixelSize() * fontScale))));
    else
      f.setPointSizeF(std::max(6.0, f.pointSizeF() * fontScale));
    setFont(f);

    auto* wheel = new LoopWheelView;
    auto* queues = new QueuesView;
    queues->setShowInternals(showInternals);
    auto dashboard = [&](bool withLowerRow) {
      auto* box = new QWidget;
      auto* grid = new QGridLayout(box);
      grid->setContentsMargins(6, 6, 6, 6);
      grid->setSpacing(8);
      grid->addWidget(wheel, 0, 0);
      grid->addWidget(queues, 0, 1);
      // The wheel is round: as wide as its row is tall, the rest goes to the queues' columns.
      grid->setColumnStretch(0, withLowerRow ? 3 : 5);
      grid->setColumnStretch(1, 7);
      m_views = {wheel, queues};
      if (withLowerRow) {
        auto* pool = new ThreadPoolView;
        auto* heap = new HeapView;
        auto* streams = new StreamsView;
        auto* lower = new QHBoxLayout;
        lower->setSpacing(8);
        lower->addWidget(pool, 1);
        lower->addWidget(heap, 1);
        lower->addWidget(streams, 1);
        grid->addLayout(lower, 1, 0, 1, 2);
        grid->setRowStretch(0, 3);
        grid->setRowStretch(1, 2);
        m_views.insert(m_views.end(), {pool, heap, streams});
      }
      return box;
    };
    auto timeline = [&] {
      m_timeline = new TimelineView(health);
      m_timeline->setTrace(&recording.trace());
      // A part of the run is shown from its first to its last moment, the play head crossing it;
      // the whole run fits as it does in the app.
      const auto& events = recording.trace().events();
      to = std::min(to, events.size());
      if (to > from && (from > 0 || to < events.size())) {
        const double first = m_timeline->spans().msOf(events[from > 0 ? from - 1 : 0].ts);
        const double last = m_timeline->spans().msOf(events[to - 1].ts);
        const double pad = std::max((last - first) * 0.04, 0.05);
        m_timeline->plot()->axisRect()->axis(QCPAxis::atBottom)->setRange(first - pad, last + pad);
      }
      return m_timeline;
    };
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(0);
    switch (views) {
      case VideoViews::Dashboard: layout->addWidget(dashboard(true)); break;
      case VideoViews::WheelAndQueues: layout->addWidget(dashboard(false)); break;
      case VideoViews::Timeline: layout->addWidget(timeline()); break;
      case VideoViews::DashboardAndTimeline:
        layout->addWidget(dashboard(true), 3);
        layout->addWidget(timeline(), 2);
        break;
      case VideoViews::Window: break;  // drawn from the window itself
    }
    if (views != VideoViews::Timeline && views != VideoViews::DashboardAndTimeline) {
      delete m_timeline;
      m_timeline = nullptr;
    }
    if (views == VideoViews::Timeline) {
      delete wheel;
      delete queues;
      m_views.clear();
    }
    // Never narrower or shorter than the views need (their minimum sizes), in the video's shape.
    QSizeF logical(content.width() * logicalHeight / content.height(), logicalHeight);
    const QSize minimum = layout->totalMinimumSize();
    const double grow = std::max({1.0, minimum.width() / logical.width(), minimum.height() / logical.height()});
    logical *= grow;
    m_scale = content.height() / logical.height();
    resize(logical.toSize());
    show();  // never on a screen (WA_DontShowOnScreen), but laid out and polished as if it were
    layout->activate();
    QCoreApplication::sendPostedEvents();
  }

  static int minimumStageHeight(VideoViews views) {
    switch (views) {
      case VideoViews::Timeline: return 300;
      case VideoViews::DashboardAndTimeline: return 600;
      default: return 380;
    }
  }

  // Draws the stage into `content` of the frame.
  void drawInto(QPainter& p, const QRect& content) {
    p.save();
    p.translate(content.topLeft());
    p.scale(m_scale, m_scale);
    render(&p, QPoint(), QRegion(), QWidget::DrawWindowBackground | QWidget::DrawChildren);
    p.restore();
  }

  void showPosition(const LoopState& state, size_t position) {
    for (StateView* view : m_views) view->showState(state);
    if (m_timeline) {
      m_timeline->setPlayhead(position);
      // The view replots on the next turn of the event loop; the frame is drawn now.
      m_timeline->plot()->replot(QCustomPlot::rpImmediateRefresh);
    }
  }

 private:
  std::vector<StateView*> m_views;
  TimelineView* m_timeline = nullptr;
  double m_scale = 1.0;  // from the stage's pixels to the video's
};

// ---------------------------------------------------------------------------------------------
// The exporter

VideoExporter::VideoExporter(MainWindow& window, VideoSettings settings)
    : m_window(window), m_settings(std::move(settings)) {
  if (m_settings.fps <= 0) m_settings.fps = defaultVideoFps(videoFormatOf(m_settings.path).value_or(VideoFormat::Mp4));
}

VideoExporter::~VideoExporter() { restoreWindow(); }

double VideoExporter::seconds() const { return m_settings.fps > 0 ? double(m_framesWritten) / m_settings.fps : 0; }

void VideoExporter::ensureStage() {
  if (m_stage || m_settings.views == VideoViews::Window || !m_window.recording()) return;
  QSize content = m_settings.size;
  if (m_settings.captions) content.setHeight(content.height() - int(std::lround(m_settings.size.height() * 0.11)));
  m_stage =
      std::make_unique<VideoStage>(m_settings.views, *m_window.recording(), m_window.analysisSettings().showInternals(),
                                   m_window.healthAnalysis(), content, m_settings.from, m_settings.to);
}

void VideoExporter::restoreWindow() {
  if (!m_windowMoved) return;
  m_windowMoved = false;
  m_window.seek(m_windowPosition);
  m_window.refreshNow();
}

QImage VideoExporter::renderFrame(size_t position) {
  QImage frame = drawFrame(position);
  restoreWindow();
  return frame;
}

QImage VideoExporter::drawFrame(size_t position) {
  const Recording& recording = *m_window.recording();
  position = std::min(position, recording.size());
  const QPalette palette = QApplication::palette();
  QImage frame(m_settings.size, QImage::Format_RGB32);
  frame.fill(palette.color(QPalette::Window));
  QPainter p(&frame);
  p.setRenderHint(QPainter::Antialiasing);
  p.setRenderHint(QPainter::TextAntialiasing);
  p.setRenderHint(QPainter::SmoothPixmapTransform);
  const int stripHeight = m_settings.captions ? int(std::lround(m_settings.size.height() * 0.11)) : 0;
  const QRect content(0, 0, m_settings.size.width(), m_settings.size.height() - stripHeight);
  const LoopState state = recording.timeline().stateAt(position);

  if (m_settings.views == VideoViews::Window) {
    if (!m_windowMoved) {
      m_windowPosition = m_window.position();
      m_windowMoved = true;
    }
    m_window.pause();
    m_window.seek(position);
    m_window.refreshNow();
    const QSize windowSize = m_window.size();
    const double scale =
        std::min(double(content.width()) / windowSize.width(), double(content.height()) / windowSize.height());
    p.save();
    p.translate(content.left() + (content.width() - windowSize.width() * scale) / 2,
                content.top() + (content.height() - windowSize.height() * scale) / 2);
    p.scale(scale, scale);
    // QWidget's render(): MainWindow's own render() pushes the state to its views.
    static_cast<QWidget&>(m_window).render(&p, QPoint(), QRegion(),
                                           QWidget::DrawWindowBackground | QWidget::DrawChildren);
    p.restore();
  } else {
    ensureStage();
    m_stage->showPosition(state, position);
    m_stage->drawInto(p, content);
  }

  if (stripHeight > 0) {
    const QRect strip(0, content.bottom() + 1, m_settings.size.width(), stripHeight);
    p.fillRect(strip, palette.color(QPalette::Base));
    p.fillRect(QRect(strip.left(), strip.top(), strip.width(), std::max(1, stripHeight / 40)),
               palette.color(QPalette::Mid));
    // The accent names what runs by its colour, as the wheel and the queue cards do.
    const QColor accent = state.current  ? callbackColor(callbackFamily(state.current->type), palette)
                          : state.inLoop ? phaseColor(state.phase, palette)
                                         : palette.color(QPalette::Mid);
    const int bar = std::max(4, stripHeight / 8);
    p.fillRect(QRect(strip.left(), strip.top() + std::max(1, stripHeight / 40), bar, strip.height()), accent);
    QFileInfo snippet(recording.snippetFile());
    const QStringList lines = videoCaptionLines(recording, state, snippet.fileName());
    const int margin = bar + stripHeight / 4;
    const double textWidth = strip.width() - margin - stripHeight / 4;
    QFont big = QApplication::font();
    big.setBold(true);
    big.setPixelSize(std::max(8, int(stripHeight * 0.36)));
    // A long caption gets a smaller font before it loses words.
    for (int i = 0; i < 4 && QFontMetricsF(big).horizontalAdvance(lines.value(0)) > textWidth; ++i)
      big.setPixelSize(std::max(8, int(big.pixelSize() * 0.9)));
    QFont small = QApplication::font();
    small.setPixelSize(std::max(7, int(stripHeight * 0.24)));
    const double top = strip.top() + stripHeight * 0.1;
    p.setFont(big);
    p.setPen(palette.color(QPalette::Text));
    p.drawText(QRectF(strip.left() + margin, top, textWidth, stripHeight * 0.48), Qt::AlignLeft | Qt::AlignVCenter,
               QFontMetricsF(big).elidedText(lines.value(0), Qt::ElideRight, textWidth));
    p.setFont(small);
    p.setPen(palette.color(QPalette::PlaceholderText));
    p.drawText(QRectF(strip.left() + margin, top + stripHeight * 0.5, textWidth, stripHeight * 0.34),
               Qt::AlignLeft | Qt::AlignVCenter,
               QFontMetricsF(small).elidedText(lines.value(1), Qt::ElideRight, textWidth));
  }
  p.end();
  return frame;
}

bool VideoExporter::run(const Progress& progress, QString* error) {
  m_cancelled = false;
  m_framesWritten = 0;
  auto fail = [error](const QString& why) {
    if (error) *error = why;
    return false;
  };
  const Recording* recording = m_window.recording();
  if (!recording) return fail(tr("There is nothing recorded to make a video of: run the snippet first (F5)."));
  if (recording->isLive())
    return fail(tr("A run is still going on: stop it (Shift+F5) or let it finish, then export."));
  const auto format = videoFormatOf(m_settings.path);
  if (!format)
    return fail(tr("Cannot make a video called '%1': end the file name in .mp4 (a video for slides) or .gif (an "
                   "animated picture).")
                    .arg(QFileInfo(m_settings.path).fileName()));
  QString sizeError;
  if (!parseVideoSize(QStringLiteral("%1x%2").arg(m_settings.size.width()).arg(m_settings.size.height()), &sizeError))
    return fail(sizeError);
  QString planError;
  const std::vector<size_t> frames = planVideoFrames(*recording, m_settings, &planError);
  if (frames.empty()) return fail(planError);

  const QFileInfo target(m_settings.path);
  const QString folder = target.absolutePath();
  if (!QFileInfo(folder).isDir())
    return fail(tr("Cannot write '%1': the folder '%2' does not exist.")
                    .arg(target.fileName(), QDir::toNativeSeparators(folder)));
  if (target.isDir())
    return fail(tr("Cannot write '%1': it is a folder.").arg(QDir::toNativeSeparators(target.absoluteFilePath())));
  const QStorageInfo storage(folder);
  if (storage.isValid() && storage.bytesAvailable() >= 0 && storage.bytesAvailable() < kMinFreeBytes)
    return fail(writeFailureSentence(QStringLiteral("No space left on device"), folder));
  // The video is written beside its final name and renamed when complete: a failed or cancelled
  // export never leaves half a file, nor replaces a good one.
  PartialFile partial(folder, target.completeBaseName());
  if (!partial.create())
    return fail(
        tr("Cannot write in the folder '%1': check that it is writable.").arg(QDir::toNativeSeparators(folder)));
  std::optional<QTemporaryDir> scratch;  // the GIF's palette; removed with everything in it
  if (*format == VideoFormat::Gif && !scratch.emplace().isValid())
    return fail(tr("Cannot create a temporary folder for the GIF's colours: %1.").arg(scratch->errorString()));

  const int total = int(frames.size()) + (*format == VideoFormat::Gif ? kPaletteSamples : 0);
  int done = 0;
  auto step = [&]() {
    ++done;
    if (progress && !progress(done, total)) m_cancelled = true;
    return !m_cancelled;
  };
  auto cancelled = [&]() {
    restoreWindow();
    return fail(tr("The export was cancelled; no video was written."));
  };
  auto ffmpegFailed = [&](const QString& said) {
    restoreWindow();
    if (const QString sentence = writeFailureSentence(said, folder); !sentence.isEmpty()) return fail(sentence);
    return fail(tr("ffmpeg could not make the video: %1").arg(lastLine(said)));
  };
  const int fps = m_settings.fps;

  QStringList output;
  if (*format == VideoFormat::Gif) {
    // First the palette: the app's flat colours and anti-aliased text, taken from frames spread
    // over the range, so every frame is drawn with the same 256 colours (no flicker).
    const QString palettePath = scratch->filePath(QStringLiteral("palette.png"));
    FfmpegPipe palette(m_settings.ffmpeg, m_settings.size, fps);
    QString startError;
    if (!palette.start({QStringLiteral("-vf"), QStringLiteral("palettegen=max_colors=256:stats_mode=full"),
                        QStringLiteral("-frames:v"), QStringLiteral("1"), QStringLiteral("-update"),
                        QStringLiteral("1"), palettePath},
                       &startError))
      return fail(startError);
    for (int i = 0; i < kPaletteSamples; ++i) {
      const size_t index = frames.size() <= 1 ? 0 : size_t(i) * (frames.size() - 1) / (kPaletteSamples - 1);
      if (!palette.write(drawFrame(frames[index]))) break;
      if (!step()) {
        palette.kill();
        return cancelled();
      }
    }
    QString said;
    if (!palette.finish(&said)) return ffmpegFailed(said);
    output = {QStringLiteral("-i"),     palettePath,
              QStringLiteral("-lavfi"), QStringLiteral("[0:v][1:v]paletteuse=dither=none:diff_mode=rectangle"),
              QStringLiteral("-loop"),  QStringLiteral("0"),
              QStringLiteral("-f"),     QStringLiteral("gif"),
              partial.fileName()};
  } else {
    // H.264 in the colour format every slide program and browser plays; "animation" suits flat
    // colours and text, and the index at the front lets a slide start it at once.
    output = {QStringLiteral("-c:v"),    QStringLiteral("libx264"),   QStringLiteral("-preset"),
              QStringLiteral("medium"),  QStringLiteral("-tune"),     QStringLiteral("animation"),
              QStringLiteral("-crf"),    QStringLiteral("18"),        QStringLiteral("-pix_fmt"),
              QStringLiteral("yuv420p"), QStringLiteral("-movflags"), QStringLiteral("+faststart"),
              QStringLiteral("-f"),      QStringLiteral("mp4"),       partial.fileName()};
  }

  FfmpegPipe encoder(m_settings.ffmpeg, m_settings.size, fps);
  QString startError;
  if (!encoder.start(output, &startError)) return fail(startError);
  // Held frames are the same picture: drawn once.
  QImage frame;
  size_t drawnPosition = size_t(-1);
  for (size_t position : frames) {
    if (position != drawnPosition || frame.isNull()) {
      frame = drawFrame(position);
      drawnPosition = position;
    }
    if (!encoder.write(frame)) break;
    ++m_framesWritten;
    if (!step()) {
      encoder.kill();
      m_framesWritten = 0;
      return cancelled();
    }
  }
  restoreWindow();
  QString said;
  if (!encoder.finish(&said)) {
    m_framesWritten = 0;
    return ffmpegFailed(said);
  }
  if (m_framesWritten != int(frames.size())) {
    m_framesWritten = 0;
    return fail(tr("ffmpeg stopped taking frames before the end of the video."));
  }
  // In place of any older file of that name, in one step.
  std::error_code renameError;
  std::filesystem::rename(std::filesystem::path(partial.fileName().toStdString()),
                          std::filesystem::path(target.absoluteFilePath().toStdString()), renameError);
  if (renameError) {
    m_framesWritten = 0;
    return fail(tr("Cannot write '%1': %2.")
                    .arg(QDir::toNativeSeparators(target.absoluteFilePath()),
                         QString::fromLocal8Bit(renameError.message().c_str())));
  }
  partial.keep();  // it is the video now
  return true;
}

}  // namespace loopscope::ui
