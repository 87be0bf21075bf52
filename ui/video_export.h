// Replays a teacher can put on a slide: the chosen views between two play-head positions, played
// at a replay speed, rendered frame by frame at a chosen size with each step captioned in the
// words of the transport bar (step_caption.h), and encoded by Debian's `ffmpeg` program as MP4
// (H.264) or an animated GIF.
//
// Frames go to ffmpeg as raw pixels over a pipe; the file appears under its name only when it is
// complete. Cancelled or failed exports leave nothing behind (no partial video, no frames).
//
// The views other than the whole window are drawn by views of their own, laid out at the video's
// size, so the window the teacher is using is not moved or resized; the whole window is drawn as
// it is, scaled to fit, with its play head walked through the range and put back afterwards.
// GUI thread only.
#pragma once

#include <QImage>
#include <QSize>
#include <QString>
#include <QStringList>

#include <functional>
#include <memory>
#include <optional>
#include <vector>

#include "replay_clock.h"
#include "trace/loop_state.h"

namespace loopscope::ui {

class MainWindow;
class Recording;
class VideoStage;

enum class VideoViews { Dashboard, WheelAndQueues, Timeline, DashboardAndTimeline, Window };
enum class VideoFormat { Mp4, Gif };

struct VideoViewChoice {
  VideoViews views;
  QString name;   // on the command line: "dashboard", "wheel+queues", ...
  QString title;  // in the dialog
};
// In the dialog's order.
const std::vector<VideoViewChoice>& videoViewChoices();
std::optional<VideoViews> videoViewsNamed(const QString& name);

// By the file's suffix (.mp4, .gif); nullopt for anything else.
std::optional<VideoFormat> videoFormatOf(const QString& path);
QString videoSuffix(VideoFormat format);
// Frames per second when none is asked for: smooth for MP4, small files for GIF (whose frame
// delays are counted in hundredths of a second, so 100 / fps should be a whole number).
int defaultVideoFps(VideoFormat format);

// The sizes the dialog offers, 16:9, smallest first; the default is 1280×720.
const std::vector<QSize>& videoSizes();
constexpr int kMinVideoWidth = 160, kMinVideoHeight = 90, kMaxVideoWidth = 3840, kMaxVideoHeight = 2160;
constexpr int kMaxVideoFps = 60;
// "1280x720" (or 1280×720). Even numbers within the limits above: H.264's colour format halves
// the picture in both directions. Returns nullopt with one sentence in `error`.
std::optional<QSize> parseVideoSize(const QString& text, QString* error);
// "8/s" or "8 events/s" (slow motion, events per second) and "0.5x" or "0.5× real time" (a
// multiple of the run's own time). Returns nullopt with one sentence in `error`.
std::optional<ReplaySpeed> parseReplaySpeed(const QString& text, QString* error);

// The last frame is held this long, so the end of a looping GIF can be read before it restarts.
constexpr double kVideoHoldSeconds = 1.5;
// Longer videos are refused: they are a mistake (1 event/s over a long run), not a slide.
constexpr double kMaxVideoSeconds = 600;

struct VideoSettings {
  QString path;  // .mp4 or .gif
  VideoViews views = VideoViews::Dashboard;
  size_t from = 0;
  size_t to = size_t(-1);  // size_t(-1): the end of the recording
  ReplaySpeed speed = replaySpeeds()[size_t(defaultReplaySpeedIndex())];
  QSize size{1280, 720};
  int fps = 0;  // 0: defaultVideoFps() of the format
  bool captions = true;
  QString ffmpeg = QStringLiteral("ffmpeg");  // the program; looked up on PATH unless a path
};

// The play-head position of each frame: `from` first, then where a replay at `speed` would be
// every 1/fps seconds until it reaches `to`, which is then held for kVideoHoldSeconds. Empty,
// with one sentence in `error`, for a bad range or settings or a video over kMaxVideoSeconds.
std::vector<size_t> planVideoFrames(const Recording& recording, const VideoSettings& settings, QString* error);

// The two lines of a frame's caption: the step ("iteration 1 · check phase — setImmediate
// callback immediateFromIo from line 28") and where it is ("event 40 / 212 · 3.1 ms · demo.js").
QStringList videoCaptionLines(const Recording& recording, const LoopState& state, const QString& snippetName);

class VideoExporter {
 public:
  // Called after each frame: frames done, frames in all. Returning false cancels the export.
  using Progress = std::function<bool(int done, int total)>;

  VideoExporter(MainWindow& window, VideoSettings settings);
  ~VideoExporter();
  VideoExporter(const VideoExporter&) = delete;
  VideoExporter& operator=(const VideoExporter&) = delete;

  const VideoSettings& settings() const { return m_settings; }
  // The frame at `position`, as the video shows it.
  QImage renderFrame(size_t position);
  // Writes the video. Returns false with one sentence in `error` (which says so when the user
  // cancelled); nothing is left at settings().path or beside it then.
  bool run(const Progress& progress, QString* error);
  bool wasCancelled() const { return m_cancelled; }
  // After a successful run: how many frames the file holds, and how long it plays.
  int framesWritten() const { return m_framesWritten; }
  double seconds() const;

 private:
  void ensureStage();
  void restoreWindow();
  QImage drawFrame(size_t position);

  MainWindow& m_window;
  VideoSettings m_settings;
  std::unique_ptr<VideoStage> m_stage;
  size_t m_windowPosition = 0;
  bool m_windowMoved = false;
  bool m_cancelled = false;
  int m_framesWritten = 0;
};

}  // namespace loopscope::ui
