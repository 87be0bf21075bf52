#include "video_export_dialog.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QDir>
#include <QFileDialog>
#include <QFileInfo>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QMessageBox>
#include <QProgressDialog>
#include <QPushButton>
#include <QSpinBox>
#include <QStandardPaths>
#include <QStatusBar>

#include <limits>

#include "main_window.h"
#include "recording.h"
#include "step_caption.h"
#include "views/phase_colors.h"

namespace loopscope::ui {

namespace {

// The choices last made in this session (not the range: that belongs to the recording).
struct Remembered {
  VideoViews views = VideoViews::Dashboard;
  int speedIndex = defaultReplaySpeedIndex();
  QSize size{1280, 720};
  VideoFormat format = VideoFormat::Mp4;
  int fps = 0;
  bool captions = true;
  QString folder;
};
Remembered& remembered() {
  static Remembered r;
  return r;
}

int clampToInt(size_t n) { return int(std::min<size_t>(n, size_t(std::numeric_limits<int>::max()))); }

}  // namespace

VideoExportDialog::VideoExportDialog(MainWindow& window) : QDialog(&window), m_window(window) {
  setWindowTitle(tr("Export replay as video"));
  const Remembered& last = remembered();
  const size_t total = window.recording() ? window.recording()->size() : 0;

  auto* form = new QFormLayout;
  m_views = new QComboBox;
  for (const VideoViewChoice& c : videoViewChoices()) m_views->addItem(c.title, int(c.views));
  form->addRow(tr("&Views"), m_views);

  // From and to, in events as the transport bar counts them, each with the moment it names and
  // a button to take the play head's position.
  auto positionRow = [&](QSpinBox*& spin, QLabel*& place, const QString& label, const QString& tip) {
    spin = new QSpinBox;
    spin->setRange(0, clampToInt(total));
    spin->setToolTip(tip);
    place = new QLabel;
    place->setMinimumWidth(260);
    auto* here = new QPushButton(tr("Play head"));
    here->setToolTip(tr("Use the play head's position (event %1)").arg(window.position()));
    connect(here, &QPushButton::clicked, this, [this, spin] { spin->setValue(clampToInt(m_window.position())); });
    auto* row = new QHBoxLayout;
    row->addWidget(spin);
    row->addWidget(here);
    row->addWidget(place, 1);
    auto* name = new QLabel(label);
    name->setBuddy(spin);
    form->addRow(name, row);
  };
  positionRow(m_from, m_fromPlace, tr("&From event"), tr("The video starts with the state after this many events"));
  positionRow(m_to, m_toPlace, tr("&To event"), tr("The video ends with the state after this many events"));

  m_speed = new QComboBox;
  for (const ReplaySpeed& s : replaySpeeds()) m_speed->addItem(s.label);
  m_speed->setToolTip(tr("As the replay's speed: event by event (slow motion) or a multiple of the run's real time"));
  form->addRow(tr("&Speed"), m_speed);

  m_size = new QComboBox;
  for (const QSize& s : videoSizes()) m_size->addItem(QStringLiteral("%1 × %2").arg(s.width()).arg(s.height()), s);
  form->addRow(tr("Si&ze"), m_size);

  m_format = new QComboBox;
  m_format->addItem(tr("MP4 video (H.264): for slides and the web"), int(VideoFormat::Mp4));
  m_format->addItem(tr("GIF animated picture: plays anywhere, loops"), int(VideoFormat::Gif));
  form->addRow(tr("F&ormat"), m_format);

  m_fps = new QSpinBox;
  m_fps->setRange(1, kMaxVideoFps);
  m_fps->setSuffix(tr(" frames/s"));
  form->addRow(tr("Frame &rate"), m_fps);

  m_captions = new QCheckBox(tr("Caption each step (phase and running callback)"));
  form->addRow(QString(), m_captions);

  m_path = new QLineEdit;
  auto* browse = new QPushButton(tr("&Browse…"));
  connect(browse, &QPushButton::clicked, this, &VideoExportDialog::browse);
  auto* fileRow = new QHBoxLayout;
  fileRow->addWidget(m_path, 1);
  fileRow->addWidget(browse);
  auto* fileLabel = new QLabel(tr("F&ile"));
  fileLabel->setBuddy(m_path);
  form->addRow(fileLabel, fileRow);

  m_estimate = new QLabel;
  m_estimate->setWordWrap(true);
  m_buttons = new QDialogButtonBox(QDialogButtonBox::Cancel);
  m_buttons->addButton(tr("&Export"), QDialogButtonBox::AcceptRole)->setDefault(true);
  connect(m_buttons, &QDialogButtonBox::accepted, this, &VideoExportDialog::accept);
  connect(m_buttons, &QDialogButtonBox::rejected, this, &VideoExportDialog::reject);

  auto* layout = new QVBoxLayout(this);
  layout->addLayout(form);
  layout->addWidget(m_estimate);
  layout->addWidget(m_buttons);

  // The session's last choices, the whole recording, a file named after the snippet.
  setViews(last.views);
  m_speed->setCurrentIndex(last.speedIndex);
  setVideoSize(last.size);
  m_format->setCurrentIndex(m_format->findData(int(last.format)));
  m_fps->setValue(last.fps > 0 ? last.fps : defaultVideoFps(last.format));
  m_captions->setChecked(last.captions);
  m_from->setValue(0);
  m_to->setValue(clampToInt(total));
  QString folder = last.folder;
  if (folder.isEmpty()) folder = QStandardPaths::writableLocation(QStandardPaths::MoviesLocation);
  if (folder.isEmpty() || !QFileInfo(folder).isDir()) folder = QDir::homePath();
  m_path->setText(QDir(folder).filePath(window.exportBaseName() + QLatin1Char('.') + videoSuffix(last.format)));

  connect(m_format, &QComboBox::currentIndexChanged, this, [this] {
    // The file's suffix and the frame rate follow the format.
    const auto format = VideoFormat(m_format->currentData().toInt());
    QFileInfo file(m_path->text());
    m_path->setText(QDir(file.path()).filePath(file.completeBaseName() + QLatin1Char('.') + videoSuffix(format)));
    m_fps->setValue(defaultVideoFps(format));
    update();
  });
  for (QComboBox* box : {m_views, m_speed, m_size})
    connect(box, &QComboBox::currentIndexChanged, this, &VideoExportDialog::update);
  for (QSpinBox* spin : {m_from, m_to, m_fps}) connect(spin, &QSpinBox::valueChanged, this, &VideoExportDialog::update);
  connect(m_path, &QLineEdit::textChanged, this, &VideoExportDialog::update);
  connect(m_captions, &QCheckBox::toggled, this, &VideoExportDialog::update);
  update();
}

VideoSettings VideoExportDialog::settings() const {
  VideoSettings s;
  s.path = m_path->text().trimmed();
  s.views = VideoViews(m_views->currentData().toInt());
  s.from = size_t(m_from->value());
  s.to = size_t(m_to->value());
  s.speed = replaySpeeds()[size_t(std::max(0, m_speed->currentIndex()))];
  s.size = m_size->currentData().toSize();
  s.fps = m_fps->value();
  s.captions = m_captions->isChecked();
  return s;
}

void VideoExportDialog::setRange(size_t from, size_t to) {
  m_from->setValue(clampToInt(from));
  m_to->setValue(clampToInt(to));
}

void VideoExportDialog::setViews(VideoViews views) {
  m_views->setCurrentIndex(std::max(0, m_views->findData(int(views))));
}

void VideoExportDialog::setFormat(VideoFormat format) { m_format->setCurrentIndex(m_format->findData(int(format))); }

void VideoExportDialog::setVideoSize(const QSize& size) {
  m_size->setCurrentIndex(std::max(0, m_size->findData(size)));
}

void VideoExportDialog::setPath(const QString& path) { m_path->setText(path); }

QString VideoExportDialog::estimateText() const { return m_estimate->text(); }

bool VideoExportDialog::isExportable() const { return m_exportable; }

void VideoExportDialog::update() {
  const Recording* recording = m_window.recording();
  auto describe = [recording](size_t position) {
    if (!recording || recording->size() == 0) return QString();
    return playheadPlace(recording->timeline().stateAt(std::min(position, recording->size())));
  };
  m_fromPlace->setText(describe(size_t(m_from->value())));
  m_toPlace->setText(describe(size_t(m_to->value())));

  const VideoSettings s = settings();
  QString problem;
  if (!recording)
    problem = tr("There is nothing recorded to make a video of: run the snippet first (F5).");
  else if (!videoFormatOf(s.path))
    problem = tr("The file name must end in .mp4 or .gif.");
  std::vector<size_t> frames;
  if (problem.isEmpty()) frames = planVideoFrames(*recording, s, &problem);
  m_exportable = problem.isEmpty() && !frames.empty();
  if (m_exportable) {
    m_estimate->setText(tr("≈ %1 s of video, %2 frames of %3 × %4 (the last step held %5 s).")
                            .arg(double(frames.size()) / s.fps, 0, 'f', 1)
                            .arg(frames.size())
                            .arg(s.size.width())
                            .arg(s.size.height())
                            .arg(kVideoHoldSeconds));
    m_estimate->setStyleSheet(QString());
  } else {
    m_estimate->setText(problem);
    m_estimate->setStyleSheet(QStringLiteral("color: %1; font-weight: bold;").arg(errorColor(palette()).name()));
  }
  for (QAbstractButton* b : m_buttons->buttons())
    if (m_buttons->buttonRole(b) == QDialogButtonBox::AcceptRole) b->setEnabled(m_exportable);
}

void VideoExportDialog::browse() {
  const auto format = VideoFormat(m_format->currentData().toInt());
  const QString filter = format == VideoFormat::Gif ? tr("Animated GIF (*.gif)") : tr("MP4 video (*.mp4)");
  // The dialog asks before replacing a file; accept() then does not ask again.
  const QString path = QFileDialog::getSaveFileName(this, tr("Save the video as"), m_path->text(), filter);
  if (path.isEmpty()) return;
  QString chosen = path;
  if (!videoFormatOf(chosen)) chosen += QLatin1Char('.') + videoSuffix(format);
  m_path->setText(chosen);
  m_path->setProperty("confirmed", chosen);
}

void VideoExportDialog::accept() {
  if (!m_exportable) return;
  const QString path = m_path->text().trimmed();
  if (QFileInfo::exists(path) && m_path->property("confirmed").toString() != path &&
      QMessageBox::question(
          this, tr("Replace the file?"),
          tr("'%1' already exists. Replace it with the new video?").arg(QDir::toNativeSeparators(path))) !=
          QMessageBox::Yes)
    return;
  Remembered& r = remembered();
  const VideoSettings s = settings();
  r.views = s.views;
  r.speedIndex = m_speed->currentIndex();
  r.size = s.size;
  r.format = videoFormatOf(s.path).value_or(VideoFormat::Mp4);
  r.fps = s.fps;
  r.captions = s.captions;
  r.folder = QFileInfo(s.path).absolutePath();
  QDialog::accept();
}

bool exportVideoWithProgress(MainWindow& window, const VideoSettings& settings, QString* error, bool* cancelled) {
  VideoExporter exporter(window, settings);
  QProgressDialog progress(QObject::tr("Rendering the video…"), QObject::tr("Cancel"), 0, 100, &window);
  progress.setWindowTitle(QObject::tr("Export replay as video"));
  progress.setWindowModality(Qt::WindowModal);
  progress.setMinimumDuration(0);
  progress.setAutoClose(false);
  progress.setAutoReset(false);
  progress.setValue(0);
  const bool ok = exporter.run(
      [&progress](int done, int total) {
        progress.setMaximum(total);
        progress.setLabelText(QObject::tr("Rendering frame %1 of %2…").arg(done).arg(total));
        progress.setValue(done);
        return !progress.wasCanceled();
      },
      error);
  if (cancelled) *cancelled = exporter.wasCancelled();
  return ok;
}

void exportReplayVideo(MainWindow& window) {
  VideoExportDialog dialog(window);
  if (dialog.exec() != QDialog::Accepted) return;
  const VideoSettings settings = dialog.settings();
  QString error;
  bool cancelled = false;
  if (exportVideoWithProgress(window, settings, &error, &cancelled)) {
    window.statusBar()->showMessage(QObject::tr("Wrote %1 (%2 × %3)")
                                        .arg(QDir::toNativeSeparators(settings.path))
                                        .arg(settings.size.width())
                                        .arg(settings.size.height()),
                                    8000);
  } else if (cancelled) {
    window.statusBar()->showMessage(error, 8000);
  } else {
    QMessageBox::warning(&window, QObject::tr("Export replay as video"), error);
  }
}

}  // namespace loopscope::ui
