// The automation interface: `loopscope (--run FILE | --lesson ID | TRACE.lstrace)
// [--threadpool-size N] [--timeout S] [--tab NAME] --at end|event:N|line:L [--snapshot OUT.png]
// [--dump-state OUT.json]`, and replay videos: `... --export-video OUT.mp4|OUT.gif
// [--video-views NAME] [--video-size WxH] [--video-from POS] [--video-to POS]
// [--video-speed 8/s|0.5x] [--video-fps N] [--no-captions]` (POS: start, end, event:N or line:L;
// see video_export.h).
//
// Runs FILE (or the lesson's first snippet, with the lesson's options and its text shown beside
// the views) through the engine to completion, or opens a saved trace (recorded with
// `loopscope-engine run --trace`), moves the play head to the chosen moment, and renders the main
// window (1280×720) to a picture and/or writes the LoopState there as JSON. For lessons'
// screenshots, CI and bug reports; works on the offscreen platform.
//   end     the end of the recording
//   event:N the state after the first N events (LoopState.position == N)
//   line:L  just before the first callback whose function is defined on line L starts
#pragma once

#include <QString>
#include <QStringList>

#include <QSize>

#include <optional>

namespace loopscope::ui {

struct AutomationRequest {
  enum class At { End, Event, Line };
  QString snippetPath;
  QString lessonId;   // --lesson: instead of snippetPath
  QString tracePath;  // a saved trace to open instead of running anything
  QString tab;        // --tab: the analysis tab in front ("" = the timeline)
  int threadpoolSize = 4;
  bool threadpoolSizeGiven = false;  // --threadpool-size overrides a lesson's own pool size
  double timeoutSeconds = 30;
  At at = At::End;
  long atValue = 0;
  QString snapshotPath;       // "" = none
  QString statePath;          // "" = none
  bool darkTheme = false;     // --theme dark
  bool presentation = false;  // --presentation: the classroom look (font and contrast)
  // --export-video and its options ("" = no video).
  QString videoPath;
  QString videoViews = QStringLiteral("dashboard");
  QString videoFrom = QStringLiteral("start"), videoTo = QStringLiteral("end");
  QString videoSpeed;  // "" = the replay's default speed
  QSize videoSize{1280, 720};
  int videoFps = 0;  // 0 = the format's default
  bool videoCaptions = true;
};

// Whether the command line asks for automation: --run, or --at, --snapshot, --dump-state or
// --export-video with a lesson or a trace (`loopscope --lesson ID` or `loopscope TRACE.lstrace`
// alone opens the app).
bool isAutomationCommandLine(const QStringList& arguments);
// Parses the arguments after the program name. On bad input returns nullopt and one sentence.
std::optional<AutomationRequest> parseAutomationArguments(const QStringList& arguments, QString* error);
// Runs the request; needs a QApplication. Returns the process exit code (0 = done); on failure
// `error` holds one sentence. `note` gets what the user should know even on success (the snippet
// crashed or timed out, for instance).
int runAutomation(const AutomationRequest& request, QString* error, QString* note = nullptr);

}  // namespace loopscope::ui
