// File ▸ Export ▸ Replay as video: the dialog that chooses what to film (views, from/to
// positions, speed, size, format, captions, file), says how long the video will be, and then
// exports it behind a progress dialog that can be cancelled (video_export.h does the work).
// GUI thread only.
#pragma once

#include <QDialog>

#include "video_export.h"

class QCheckBox;
class QComboBox;
class QDialogButtonBox;
class QLabel;
class QLineEdit;
class QSpinBox;

namespace loopscope::ui {

class MainWindow;

class VideoExportDialog : public QDialog {
  Q_OBJECT
 public:
  // Starts on the whole recording, with the choices last made in this session.
  explicit VideoExportDialog(MainWindow& window);

  VideoSettings settings() const;
  // "≈ 12.5 s of video, 125 frames", or why the choices cannot make a video.
  QString estimateText() const;
  // Whether the choices make a video (the Export button is enabled).
  bool isExportable() const;

  void setRange(size_t from, size_t to);
  void setViews(VideoViews views);
  void setFormat(VideoFormat format);
  void setVideoSize(const QSize& size);
  void setPath(const QString& path);

  void accept() override;

 private:
  void update();
  void browse();

  MainWindow& m_window;
  QComboBox* m_views;
  QSpinBox* m_from;
  QSpinBox* m_to;
  QLabel* m_fromPlace;
  QLabel* m_toPlace;
  QComboBox* m_speed;
  QComboBox* m_size;
  QComboBox* m_format;
  QSpinBox* m_fps;
  QCheckBox* m_captions;
  QLineEdit* m_path;
  QLabel* m_estimate;
  QDialogButtonBox* m_buttons;
  bool m_exportable = false;
};

// Runs the dialog and, if the user goes on, the export with its progress dialog; says how it
// went in the window's status bar, or in a message box when it failed.
void exportReplayVideo(MainWindow& window);

// Exports with a progress dialog over `window` that can be cancelled. Returns false with one
// sentence in `error` (also when cancelled).
bool exportVideoWithProgress(MainWindow& window, const VideoSettings& settings, QString* error,
                             bool* cancelled = nullptr);

}  // namespace loopscope::ui
