// The lessons the app offers: the built-in curriculum (lessons/ in the source tree) plus a
// teacher's own folder chosen in Settings, and how far the learner got in each.
//
// Lessons are read with the engine's Qt-free loader (model/curriculum/lesson.h), so the app shows
// exactly what `loopscope-engine lessons check` verifies. A malformed lesson is kept and listed
// with its problems: a teacher editing one must see what is wrong, and the others still load.
//
// GUI thread only (QSettings is read and written on every progress change).
#pragma once

#include <QObject>
#include <QString>
#include <QStringList>
#include <vector>

#include "curriculum/lesson.h"

class QWidget;

namespace loopscope::ui {

// Ordered: progress only moves forward through openLesson()/advanceProgress().
enum class LessonProgress { NotStarted, Opened, QuizPassed, ExercisePassed };

// Interview lessons give a model answer under a "## Model answer" heading. Shown at once it
// would answer the question before the learner tried; folded, it waits behind a link, and
// revealing it (after answering) is what completes a lesson that has no quiz or exercise.
bool hasModelAnswer(const QString& markdown);
// `markdown` with the model answer section (up to the next level-2 heading) replaced by a
// paragraph inviting the learner to answer first and a link to kRevealModelAnswerUrl.
QString withModelAnswerFolded(const QString& markdown);
inline constexpr char kRevealModelAnswerUrl[] = "loopscope:reveal-model-answer";

// "not started", "opened", "quiz passed", "exercise passed": the words stored in the settings.
QString progressName(LessonProgress progress);
LessonProgress progressFromName(const QString& name);

class LessonLibrary : public QObject {
  Q_OBJECT
 public:
  // Reads the built-in folder and the user folder from the settings.
  explicit LessonLibrary(QObject* parent = nullptr);

  // $LOOPSCOPE_LESSONS if set, else the lessons/ folder of the source tree the app was built from.
  static QString builtInFolder();
  // The teacher's folder (QSettings "lessons/userFolder"); "" when none is chosen.
  static QString userFolder();
  static void setUserFolder(const QString& folder);
  // Settings ▸ Lessons folder…: asks for a folder, stores it and returns it ("" if cancelled;
  // cancelling keeps the previous choice). Call reload() on the library afterwards.
  static QString chooseUserLessonFolder(QWidget* parent);

  // Reads both folders again (after the teacher edited a lesson or chose another folder).
  void reload();
  // Reads these folders instead of the defaults from now on ("" = none); for tests and tools.
  void setFolders(const QString& builtInFolder, const QString& userFolder);

  // Every lesson, by track (in lessons::tracks() order; unknown tracks last), then order, then id.
  const std::vector<lessons::Lesson>& lessons() const { return m_lessons; }
  const lessons::Lesson* find(const QString& id) const;
  // find(), but also accepts a lesson's number ("2" or "02" for 02-nexttick-...), which is what a
  // teacher says in class. nullptr when nothing or more than one lesson matches.
  const lessons::Lesson* resolve(const QString& idOrNumber) const;
  // The snippet whose full path is `path`, and the lesson holding it; nullptr if none.
  const lessons::Snippet* findSnippet(const QString& path, const lessons::Lesson** lesson = nullptr) const;
  // Whether the lesson came from the user folder (possibly replacing a built-in one).
  bool isUserLesson(const QString& id) const;
  // Folder-level problems ("the lessons folder … does not exist"), shown above the list.
  QStringList folderProblems() const { return m_folderProblems; }

  // --- progress (QSettings "lessons/progress/<id>") ---
  LessonProgress progress(const QString& id) const;
  void setProgress(const QString& id, LessonProgress progress);
  // Sets the progress only if it is further than what is stored (opening a passed lesson again
  // must not take its tick away).
  void advanceProgress(const QString& id, LessonProgress progress);
  // Quiz items answered correctly, by index (QSettings "lessons/quizPassed/<id>").
  QList<int> passedQuizItems(const QString& id) const;
  void markQuizItemPassed(const QString& id, int index);
  // Forgets every lesson's progress (a shared classroom machine, a fresh start).
  void resetProgress();

 Q_SIGNALS:
  void lessonsChanged();
  void progressChanged(const QString& id);

 private:
  QString m_builtInFolder;
  QString m_userFolder;
  bool m_foldersFixed = false;  // setFolders() was called: ignore the environment and settings
  std::vector<lessons::Lesson> m_lessons;
  QStringList m_userLessonIds;
  QStringList m_folderProblems;
};

// For `loopscope --lesson ID`: the path of the lesson's first snippet. On failure returns "" and
// one sentence in `error`, e.g. "no lesson 'x'; known lessons: 01-event-loop-phases, …".
QString lessonSnippetForAutomation(const LessonLibrary& library, const QString& id, QString* error);

// The `loopscope-engine run` options and program arguments a snippet needs (X.options, X.args);
// the run must use them for its output to match the lesson (e.g. --threadpool-size 1).
QStringList snippetRunOptions(const lessons::Snippet& snippet);
QStringList snippetProgramArguments(const lessons::Snippet& snippet);
// The --threadpool-size in X.options, or `fallback` when it sets none.
int snippetThreadpoolSize(const lessons::Snippet& snippet, int fallback);

}  // namespace loopscope::ui
