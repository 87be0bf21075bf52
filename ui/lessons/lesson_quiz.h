// A lesson's quiz (quiz.md), one tab per item: "predict the output" items, graded against the
// lines a real run printed (runRequested, then gradePrediction), and multiple-choice items, graded
// on the spot with their explanation. lesson_panel.h tells the whole round trip.
//
// GUI thread only.
#pragma once

#include <QGroupBox>
#include <QList>
#include <QString>
#include <QStringList>

#include <memory>
#include <vector>

class QTabBar;
class QStackedWidget;

namespace loopscope::lessons {
struct Lesson;
}

namespace loopscope::ui {

class LessonLibrary;
struct QuizItemView;

class LessonQuiz : public QGroupBox {
  Q_OBJECT
 public:
  LessonQuiz(LessonLibrary& library, const lessons::Lesson& lesson, QWidget* parent = nullptr);
  ~LessonQuiz() override;

  int count() const { return int(m_items.size()); }
  int currentItem() const;
  void selectItem(int index);

  // The current predict item's lines, top to bottom, as the learner ordered them.
  QStringList predictionOrder() const;
  // Puts the current predict item's lines in this order (the lines must be the item's lines).
  void setPredictionOrder(const QStringList& lines);
  // Moves the selected line of the current predict item up (-1) or down (+1).
  void moveSelectedLine(int delta);
  // Grades the item that asked for a run (or the current predict item when none is waiting).
  // `why`/`whyPosition`: see LessonPanel::gradePrediction.
  void gradePrediction(const QStringList& actualStdoutLines, const QString& why, qint64 whyPosition);
  void predictionRunFailed(const QString& sentence);
  bool isWaitingForRun() const { return m_waitingItem >= 0; }

  void chooseOptions(const QList<int>& options);
  void checkChoice();

  QString gradeText() const { return m_gradeText; }
  qint64 lastWhyPosition() const { return m_whyPosition; }
  bool lastGradeCorrect() const { return m_lastGradeCorrect; }

 Q_SIGNALS:
  // "Check by running" on a predict item: run this snippet and hand its stdout back.
  void runRequested(const QString& snippetPath);
  void timelineRequested();
  void callbackRequested(qint64 position);
  // A verdict appeared; it may lie below the fold of a short panel.
  void gradeShown(QWidget* grade);

 private:
  QWidget* buildPredictItem(const lessons::Lesson& lesson, int index, QuizItemView& view);
  QWidget* buildChoiceItem(const lessons::Lesson& lesson, int index, QuizItemView& view);
  QuizItemView* currentView() const;
  void requestRun(int index);
  void gradeItem(int index, const QStringList& actual, const QString& why, qint64 whyPosition);
  void clearMarks(int index);
  void showGrade(QuizItemView& view, const QString& html, bool correct);
  void itemPassed(int index);
  void updateTabTitles();

  LessonLibrary& m_library;
  QString m_lessonId;
  QTabBar* m_tabs = nullptr;
  QStackedWidget* m_stack = nullptr;
  std::vector<std::unique_ptr<QuizItemView>> m_items;
  int m_waitingItem = -1;
  QString m_gradeText;
  qint64 m_whyPosition = -1;
  bool m_lastGradeCorrect = false;
};

}  // namespace loopscope::ui
