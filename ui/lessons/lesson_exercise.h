// A lesson's exercise: the learner's working copy of starter.js, "Check my solution" (the
// lesson's checker, run by ExerciseChecker), its verdict, and the hint, folded until asked for.
//
// GUI thread only.
#pragma once

#include <QGroupBox>
#include <QString>

class QLabel;
class QPushButton;

namespace loopscope::lessons {
struct Lesson;
}

namespace loopscope::ui {

class ExerciseChecker;
class LessonLibrary;
struct ExerciseVerdict;

class LessonExercise : public QGroupBox {
  Q_OBJECT
 public:
  LessonExercise(LessonLibrary& library, const lessons::Lesson& lesson, QWidget* parent = nullptr);
  ~LessonExercise() override;

  // Where working copies live: QSettings "lessons/exerciseFolder", else the app's data folder.
  static QString workspace();
  // The learner's working copy for a lesson (outside the lessons tree, which must stay clean).
  static QString copyFileFor(const QString& lessonId);

  // Creates the working copy if needed and asks the editor to show it.
  void start();
  // Runs the checker on the working copy, after aboutToCheck.
  void check();
  bool isChecking() const;
  // Drops a check in progress; no verdict arrives for it.
  void cancelCheck();
  QString resultText() const;

 Q_SIGNALS:
  void previewRequested(const QString& path);
  void aboutToCheck(const QString& learnerFile);
  void checked(bool passed);

 private:
  void addHint(const QString& lessonFolder);
  void showResult(const QString& text, const QString& style);
  void onChecked(const ExerciseVerdict& verdict);

  LessonLibrary& m_library;
  QString m_lessonId;
  QString m_lessonFolder;
  QPushButton* m_start = nullptr;
  QPushButton* m_check = nullptr;
  QLabel* m_result = nullptr;
  ExerciseChecker* m_checker = nullptr;
};

}  // namespace loopscope::ui
