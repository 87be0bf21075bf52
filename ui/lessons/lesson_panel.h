// One lesson, beside the views: its text (Markdown), its snippets with a button to load each into
// the editor, the exercise (working copy, checker, collapsible hint) and the quiz. The panel only
// composes them (LessonReader, LessonExercise, LessonQuiz) and keeps one interface for the window
// and the tests.
//
// Quiz items come from the lesson's quiz.md. "Predict the output" shows the snippet's expected
// lines shuffled (the same way every time for the same lesson, so a class sees one puzzle); the
// learner orders them by dragging or with Alt+Up/Alt+Down, then "Check by running" asks the
// window to run the snippet on the real engine (runForQuiz) and the window hands the run's stdout
// back to gradePrediction(). The engine, not the lesson file, has the last word. Multiple-choice
// items are graded on the spot and show their explanation.
//
// GUI thread only.
#pragma once

#include <QList>
#include <QStringList>
#include <QWidget>

namespace loopscope {
class Trace;
}

class QScrollArea;
class QStackedWidget;

namespace loopscope::lessons {
struct Lesson;
}

namespace loopscope::ui {

class LessonExercise;
class LessonLibrary;
struct RunOutcome;
class LessonQuiz;

class LessonPanel : public QWidget {
  Q_OBJECT
 public:
  explicit LessonPanel(LessonLibrary& library, QWidget* parent = nullptr);
  ~LessonPanel() override;

  // Shows the lesson, marks it opened and emits snippetPreviewRequested for its first snippet (so
  // the editor follows the lesson without running it: running would give the quiz away).
  // Returns false (and shows nothing new) for an unknown id.
  bool showLesson(const QString& id);
  QString lessonId() const { return m_lessonId; }
  // Back to the "choose a lesson" page.
  void clearLesson();

  // --- the quiz ---
  int quizCount() const;
  int currentQuizItem() const;
  void selectQuizItem(int index);
  // The current predict item's lines, top to bottom, as the learner ordered them.
  QStringList predictionOrder() const;
  // Puts the current predict item's lines in this order (the lines must be the item's lines).
  void setPredictionOrder(const QStringList& lines);
  // Moves the selected line of the current predict item up (-1) or down (+1): Alt+Up/Alt+Down.
  void moveSelectedLine(int delta);
  // The run that "Check by running" asked for has ended: grades the item that asked for it (or
  // the current predict item when none is waiting) against the lines the engine printed.
  // `why`, when given, names the first line where the prediction went wrong and the event-loop
  // rule that decided it (interpret/order_rules.h); `whyPosition` is where the callback that
  // printed the engine's line starts (the "show me" link seeks there).
  void gradePrediction(const QStringList& actualStdoutLines, const QString& why = {}, qint64 whyPosition = -1);
  // The run asked for by runForQuiz could not give an answer (crash, time-out, stopped): shows
  // `sentence` and lets the learner try again.
  void predictionRunFailed(const QString& sentence);
  // The run that "Check by running" asked for ended as `outcome`, recording `trace`: grades the
  // prediction against its stdout and, when it is wrong, names the first wrong line and the rule
  // that decided it (interpret/order_rules.h); a run that did not finish cannot grade it.
  void gradeRun(const RunOutcome& outcome, const Trace& trace);
  bool isWaitingForRun() const;
  // Multiple choice: ticks exactly these options (0-based) of the current item, then grades them.
  void chooseOptions(const QList<int>& options);
  void checkChoice();
  // The last grade given (predict or choice), as plain text, and whether it was right.
  QString gradeText() const;
  // Where "Show the callback that printed it" of the last wrong prediction seeks (-1: none).
  qint64 lastWhyPosition() const;
  bool lastGradeCorrect() const;

  // --- the exercise ---
  // The learner's working copy of starter.js (outside the lessons tree, which must stay clean).
  QString exerciseFile() const;
  // Creates the working copy if needed and asks the editor to show it.
  void startExercise();
  // Runs the lesson's checker on the working copy (after aboutToCheckExercise, so the window can
  // save the editor first). The result arrives through exerciseChecked().
  void checkExercise();
  bool isCheckingExercise() const;
  QString exerciseResultText() const;
  // Where working copies live: QSettings "lessons/exerciseFolder", else the app's data folder.
  static QString exerciseWorkspace();

 Q_SIGNALS:
  // "Load & run" on a snippet: load it into the editor and run it.
  void snippetRequested(const QString& path);
  // Load into the editor without running (opening a lesson, starting an exercise).
  void snippetPreviewRequested(const QString& path);
  // "Check by running": run this snippet (with the lesson's options, see snippetRunOptions) and
  // call gradePrediction() with its stdout lines, or predictionRunFailed().
  void runForQuiz(const QString& snippetPath);
  // Emitted just before the checker reads the learner's file: save it if the editor holds it.
  void aboutToCheckExercise(const QString& learnerFile);
  void exerciseChecked(bool passed);
  // The learner followed "see it in the timeline" after a wrong prediction.
  void timelineRequested();
  // The learner followed "show the callback" beside the rule that decided a wrong prediction.
  void callbackRequested(qint64 position);

 private:
  const lessons::Lesson* lesson() const;
  void buildLesson(const lessons::Lesson& lesson);
  QScrollArea* buildPractice(const lessons::Lesson& lesson, QWidget* parent);
  void dropLessonPage();

  LessonLibrary& m_library;
  QString m_lessonId;
  QStackedWidget* m_pages = nullptr;
  QWidget* m_placeholder = nullptr;
  // Rebuilt for every lesson, with the parts below; they go with it.
  QWidget* m_lessonPage = nullptr;
  QScrollArea* m_practice = nullptr;  // snippets, exercise and quiz, below the text
  LessonExercise* m_exercise = nullptr;
  LessonQuiz* m_quiz = nullptr;
};

}  // namespace loopscope::ui
