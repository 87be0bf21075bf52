#include "lessons/lesson_exercise.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QHBoxLayout>
#include <QLabel>
#include <QPushButton>
#include <QSettings>
#include <QStandardPaths>
#include <QToolButton>
#include <QVBoxLayout>

#include "lessons/exercise_checker.h"
#include "lessons/lesson_library.h"
#include "lessons/lesson_widgets.h"

namespace loopscope::ui {

LessonExercise::LessonExercise(LessonLibrary& library, const lessons::Lesson& l, QWidget* parent)
    : QGroupBox(tr("Exercise"), parent),
      m_library(library),
      m_lessonId(fromStd(l.id)),
      m_lessonFolder(fromStd(l.dir)),
      m_checker(new ExerciseChecker(this)) {
  connect(m_checker, &ExerciseChecker::aboutToRead, this, &LessonExercise::aboutToCheck);
  connect(m_checker, &ExerciseChecker::checked, this, &LessonExercise::onChecked);
  auto* layout = new QVBoxLayout(this);
  auto* intro = new QLabel(tr("Work on your own copy of <code>starter.js</code>; the lesson's checker runs "
                              "it and says what is still missing."),
                           this);
  intro->setWordWrap(true);
  layout->addWidget(intro);

  const bool haveCopy = QFileInfo::exists(copyFileFor(m_lessonId));
  auto* buttons = new QHBoxLayout;
  m_start = new QPushButton(haveCopy ? tr("Open my copy") : tr("Start the exercise"), this);
  m_check = new QPushButton(tr("Check my solution"), this);
  m_check->setEnabled(haveCopy);
  buttons->addWidget(m_start);
  buttons->addWidget(m_check);
  buttons->addStretch(1);
  layout->addLayout(buttons);
  connect(m_start, &QPushButton::clicked, this, &LessonExercise::start);
  connect(m_check, &QPushButton::clicked, this, &LessonExercise::check);

  m_result = new QLabel(this);
  m_result->setWordWrap(true);
  m_result->setTextInteractionFlags(Qt::TextSelectableByMouse);
  m_result->setVisible(false);
  layout->addWidget(m_result);
  if (m_library.progress(m_lessonId) >= LessonProgress::ExercisePassed)
    showResult(tr("You have passed this exercise."), gradeStyle(true));

  addHint(m_lessonFolder);
}

// The checker is a child: destroying it kills a check still running, so closing the window
// leaves no engine behind.
LessonExercise::~LessonExercise() = default;

void LessonExercise::addHint(const QString& lessonFolder) {
  // The hint stays folded: a learner should try first, and a projected screen should not spoil
  // the exercise for the class.
  QFile hintFile(QDir(lessonFolder).filePath(QStringLiteral("hint.md")));
  if (!hintFile.open(QIODevice::ReadOnly)) return;
  auto* layout = static_cast<QVBoxLayout*>(this->layout());
  auto* toggle = new QToolButton(this);
  toggle->setText(tr("Show the hint"));
  toggle->setCheckable(true);
  toggle->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
  toggle->setArrowType(Qt::RightArrow);
  toggle->setAutoRaise(true);
  auto* hint = markdownLabel(QString::fromUtf8(hintFile.readAll()), this);
  hint->setVisible(false);
  auto* solution = new QPushButton(tr("Open the reference solution"), this);
  solution->setVisible(false);
  QString solutionPath = QDir(lessonFolder).filePath(QStringLiteral("solution.js"));
  solution->setEnabled(QFileInfo::exists(solutionPath));
  connect(solution, &QPushButton::clicked, this, [this, solutionPath] { Q_EMIT previewRequested(solutionPath); });
  connect(toggle, &QToolButton::toggled, this, [toggle, hint, solution](bool open) {
    toggle->setArrowType(open ? Qt::DownArrow : Qt::RightArrow);
    toggle->setText(open ? tr("Hide the hint") : tr("Show the hint"));
    hint->setVisible(open);
    solution->setVisible(open);
  });
  layout->addWidget(toggle, 0, Qt::AlignLeft);
  layout->addWidget(hint);
  layout->addWidget(solution, 0, Qt::AlignLeft);
}

QString LessonExercise::workspace() {
  QString folder = QSettings().value(QStringLiteral("lessons/exerciseFolder")).toString();
  if (folder.isEmpty())
    folder =
        QDir(QStandardPaths::writableLocation(QStandardPaths::AppDataLocation)).filePath(QStringLiteral("exercises"));
  return folder;
}

QString LessonExercise::copyFileFor(const QString& lessonId) {
  if (lessonId.isEmpty()) return {};
  return QDir(workspace()).filePath(lessonId + QStringLiteral("/my-solution.js"));
}

void LessonExercise::showResult(const QString& text, const QString& style) {
  m_result->setText(text);
  m_result->setStyleSheet(style);
  m_result->setVisible(true);
}

void LessonExercise::start() {
  QString file = copyFileFor(m_lessonId);
  if (!QFileInfo::exists(file)) {
    QString starter = QDir(m_lessonFolder).filePath(QStringLiteral("starter.js"));
    if (!QDir().mkpath(QFileInfo(file).absolutePath()) || !QFile::copy(starter, file)) {
      showResult(tr("Could not copy %1 to %2; check that the folder is writable (Settings "
                    "key lessons/exerciseFolder chooses another).")
                     .arg(QDir::toNativeSeparators(starter), QDir::toNativeSeparators(file)),
                 gradeStyle(false));
      return;
    }
    // The copy inherits the read-only bit of an installed lessons tree; the learner must edit it.
    QFile::setPermissions(file, QFile::permissions(file) | QFileDevice::WriteOwner);
  }
  m_start->setText(tr("Open my copy"));
  m_check->setEnabled(true);
  Q_EMIT previewRequested(file);
}

bool LessonExercise::isChecking() const { return m_checker->isChecking(); }

void LessonExercise::cancelCheck() { m_checker->cancel(); }

QString LessonExercise::resultText() const { return m_result->text(); }

void LessonExercise::check() {
  if (isChecking()) return;
  const QString file = copyFileFor(m_lessonId);
  if (!QFileInfo::exists(file))
    return showResult(tr("Start the exercise first: it creates your copy of starter.js."), gradeStyle(false));

  m_check->setEnabled(false);
  QString problem;
  if (!m_checker->start(m_lessonFolder, file, &problem)) {
    m_check->setEnabled(true);
    return showResult(problem, gradeStyle(false));
  }
  // An engine that cannot even be started may have answered already.
  if (m_checker->isChecking())
    showResult(m_checker->isSandboxed() ? tr("Checking in the sandbox… (the checker may take up to 20 seconds)")
                                        : tr("Checking… (the checker may take up to 20 seconds)"),
               QString());
}

void LessonExercise::onChecked(const ExerciseVerdict& verdict) {
  m_check->setEnabled(true);
  // The checker never ran: there is no verdict on the learner's code to report.
  if (verdict.kind == ExerciseVerdict::Kind::FailedToStart) return showResult(verdict.html, gradeStyle(false));
  if (verdict.passed()) m_library.advanceProgress(m_lessonId, LessonProgress::ExercisePassed);
  showResult(verdict.html, gradeStyle(verdict.passed()));
  Q_EMIT checked(verdict.passed());
}

}  // namespace loopscope::ui
