#include "lessons/lesson_panel.h"

#include <QLabel>
#include <QScrollArea>
#include <QSplitter>
#include <QStackedWidget>
#include <QTextBrowser>
#include <QVBoxLayout>

#include "engine_process.h"
#include "interpret/order_rules.h"
#include "lessons/lesson_exercise.h"
#include "lessons/lesson_library.h"
#include "lessons/lesson_quiz.h"
#include "lessons/lesson_reader.h"
#include "lessons/lesson_widgets.h"
#include "lessons/prediction_grade.h"

namespace loopscope::ui {

LessonPanel::LessonPanel(LessonLibrary& library, QWidget* parent) : QWidget(parent), m_library(library) {
  auto* layout = new QVBoxLayout(this);
  layout->setContentsMargins(0, 0, 0, 0);
  m_pages = new QStackedWidget(this);
  layout->addWidget(m_pages);

  m_placeholder = new QWidget(m_pages);
  auto* placeholderLayout = new QVBoxLayout(m_placeholder);
  auto* hint = new QLabel(tr("Choose a lesson from the list.\n\nEach lesson explains one part of the "
                             "machine, gives you snippets to run and watch, and ends with a quiz."),
                          m_placeholder);
  hint->setWordWrap(true);
  hint->setAlignment(Qt::AlignCenter);
  placeholderLayout->addWidget(hint);
  m_pages->addWidget(m_placeholder);

  // Reloading (a teacher saved a lesson) must not leave the panel pointing at freed structs.
  connect(&m_library, &LessonLibrary::lessonsChanged, this, [this] {
    if (m_lessonId.isEmpty()) return;
    if (const auto* l = lesson())
      buildLesson(*l);
    else
      clearLesson();
  });
}

// The parts are children; the exercise's checker kills its engine as it goes.
LessonPanel::~LessonPanel() = default;

const lessons::Lesson* LessonPanel::lesson() const { return m_library.find(m_lessonId); }

bool LessonPanel::showLesson(const QString& id) {
  const lessons::Lesson* l = m_library.find(id);
  if (!l) return false;
  m_lessonId = id;
  m_library.advanceProgress(id, LessonProgress::Opened);
  buildLesson(*l);
  if (!l->snippets.empty()) Q_EMIT snippetPreviewRequested(fromStd(l->snippets.front().path));
  return true;
}

void LessonPanel::clearLesson() {
  m_lessonId.clear();
  m_pages->setCurrentWidget(m_placeholder);
  dropLessonPage();
}

void LessonPanel::dropLessonPage() {
  // A check still running belongs to the lesson going away: its verdict must not land on another.
  if (m_exercise) m_exercise->cancelCheck();
  if (m_lessonPage) {
    m_pages->removeWidget(m_lessonPage);
    m_lessonPage->deleteLater();
  }
  m_lessonPage = nullptr;
  m_practice = nullptr;
  m_exercise = nullptr;
  m_quiz = nullptr;
}

void LessonPanel::buildLesson(const lessons::Lesson& l) {
  dropLessonPage();
  m_lessonPage = new QWidget(m_pages);
  auto* layout = new QVBoxLayout(m_lessonPage);
  layout->setContentsMargins(6, 6, 6, 6);
  auto* reader = new LessonReader(m_library, l, m_lessonPage);
  connect(reader, &LessonReader::snippetRequested, this, &LessonPanel::snippetRequested);
  layout->addWidget(reader->header());

  auto* splitter = new QSplitter(Qt::Vertical, m_lessonPage);
  splitter->setChildrenCollapsible(false);
  splitter->addWidget(reader->text());

  auto* practice = new QWidget;
  auto* practiceLayout = new QVBoxLayout(practice);
  practiceLayout->setContentsMargins(0, 0, 0, 0);
  if (reader->snippets()) practiceLayout->addWidget(reader->snippets());
  if (l.exercise) {
    m_exercise = new LessonExercise(m_library, l, practice);
    connect(m_exercise, &LessonExercise::previewRequested, this, &LessonPanel::snippetPreviewRequested);
    connect(m_exercise, &LessonExercise::aboutToCheck, this, &LessonPanel::aboutToCheckExercise);
    connect(m_exercise, &LessonExercise::checked, this, &LessonPanel::exerciseChecked);
    practiceLayout->addWidget(m_exercise);
  }
  if (!l.quiz.empty()) {
    m_quiz = new LessonQuiz(m_library, l, practice);
    connect(m_quiz, &LessonQuiz::runRequested, this, &LessonPanel::runForQuiz);
    connect(m_quiz, &LessonQuiz::timelineRequested, this, &LessonPanel::timelineRequested);
    connect(m_quiz, &LessonQuiz::callbackRequested, this, &LessonPanel::callbackRequested);
    practiceLayout->addWidget(m_quiz);
  }
  practiceLayout->addStretch(1);
  const bool hasPractice = !l.snippets.empty() || l.exercise || !l.quiz.empty();
  auto* scroll = new QScrollArea(splitter);
  m_practice = scroll;
  scroll->setVisible(hasPractice);
  scroll->setWidgetResizable(true);
  // Word-wrapped labels settle their width only after the vertical scroll bar appears; without
  // this the content keeps the wider first guess and is clipped behind a horizontal bar.
  scroll->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
  scroll->setFrameShape(QFrame::NoFrame);
  scroll->setWidget(practice);
  // The verdict may land below the fold of a short panel while the learner watches the views.
  if (m_quiz)
    connect(m_quiz, &LessonQuiz::gradeShown, scroll, [scroll](QWidget* grade) { scroll->ensureWidgetVisible(grade); });
  splitter->addWidget(scroll);
  splitter->setStretchFactor(0, 3);
  splitter->setStretchFactor(1, 2);
  layout->addWidget(splitter, 1);

  m_pages->addWidget(m_lessonPage);
  m_pages->setCurrentWidget(m_lessonPage);
}

// --- the quiz ---

int LessonPanel::quizCount() const { return m_quiz ? m_quiz->count() : 0; }
int LessonPanel::currentQuizItem() const { return m_quiz ? m_quiz->currentItem() : -1; }

void LessonPanel::selectQuizItem(int index) {
  if (m_quiz) m_quiz->selectItem(index);
}

QStringList LessonPanel::predictionOrder() const { return m_quiz ? m_quiz->predictionOrder() : QStringList(); }

void LessonPanel::setPredictionOrder(const QStringList& lines) {
  if (m_quiz) m_quiz->setPredictionOrder(lines);
}

void LessonPanel::moveSelectedLine(int delta) {
  if (m_quiz) m_quiz->moveSelectedLine(delta);
}

void LessonPanel::gradePrediction(const QStringList& actualStdoutLines, const QString& why, qint64 whyPosition) {
  if (m_quiz) m_quiz->gradePrediction(actualStdoutLines, why, whyPosition);
}

void LessonPanel::predictionRunFailed(const QString& sentence) {
  if (m_quiz) m_quiz->predictionRunFailed(sentence);
}

void LessonPanel::gradeRun(const RunOutcome& outcome, const Trace& trace) {
  // Graded on stdout alone: a deprecation warning on stderr is not part of the answer.
  if (outcome.kind != RunOutcome::Kind::Finished) return predictionRunFailed(outcome.describe(trace.size()));
  // Where the learner's order first parts from the engine's, and the rule that decided it.
  QString why;
  qint64 whyPosition = -1;
  std::vector<std::string> guess;
  for (const QString& line : predictionOrder()) guess.push_back(line.toStdString());
  const OrderExplanation x = explainFirstDifference(trace, guess);
  if (x.rule != OrderRule::SameOrder && x.rule != OrderRule::NeverPrinted) {
    why = tr("Line %1: you put \"%2\" here, but the engine printed \"%3\" first. %4")
              .arg(x.line + 1)
              .arg(QString::fromStdString(x.predicted), QString::fromStdString(x.actual),
                   QString::fromStdString(x.sentence));
    whyPosition = qint64(x.playHead + 1);  // the callback that printed it, running
  }
  gradePrediction(outputLinesOf(outcome.stdoutText), why, whyPosition);
}

bool LessonPanel::isWaitingForRun() const { return m_quiz && m_quiz->isWaitingForRun(); }

void LessonPanel::chooseOptions(const QList<int>& options) {
  if (m_quiz) m_quiz->chooseOptions(options);
}

void LessonPanel::checkChoice() {
  if (m_quiz) m_quiz->checkChoice();
}

QString LessonPanel::gradeText() const { return m_quiz ? m_quiz->gradeText() : QString(); }
qint64 LessonPanel::lastWhyPosition() const { return m_quiz ? m_quiz->lastWhyPosition() : -1; }
bool LessonPanel::lastGradeCorrect() const { return m_quiz && m_quiz->lastGradeCorrect(); }

// --- the exercise ---

QString LessonPanel::exerciseWorkspace() { return LessonExercise::workspace(); }
QString LessonPanel::exerciseFile() const { return LessonExercise::copyFileFor(m_lessonId); }

void LessonPanel::startExercise() {
  if (m_exercise) m_exercise->start();
}

void LessonPanel::checkExercise() {
  if (m_exercise) m_exercise->check();
}

bool LessonPanel::isCheckingExercise() const { return m_exercise && m_exercise->isChecking(); }
QString LessonPanel::exerciseResultText() const { return m_exercise ? m_exercise->resultText() : QString(); }

}  // namespace loopscope::ui
