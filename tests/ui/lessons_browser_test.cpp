// The lessons in the app: the library reads the real curriculum (and a teacher's folder), the
// browser lists it by track, and the panel's "predict the output" quiz is graded against a run of
// the real engine. Offscreen (QT_QPA_PLATFORM=offscreen); settings go to a temporary folder.
#include <gtest/gtest.h>

#include <QApplication>
#include <QDir>
#include <QFile>
#include <QListWidget>
#include <QProcess>
#include <QPushButton>
#include <QSettings>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>
#include <QToolButton>
#include <QTreeWidget>
#include <QTreeWidgetItemIterator>
#include <set>

#include "engine_process.h"
#include "lessons/lesson_browser.h"
#include "lessons/lesson_library.h"
#include "lessons/lesson_panel.h"
#include "lessons/prediction_grade.h"
#include "test_application.h"

// Readable failure messages for string comparisons (found by gtest through ADL).
static void PrintTo(const QString& text, std::ostream* os) { *os << '"' << text.toStdString() << '"'; }

using namespace loopscope;
using namespace loopscope::ui;

namespace {

const char kInsideIo[] = "inside-io.js";
const char kLesson02[] = "02-nexttick-setimmediate-settimeout";

// Every test gets empty settings in a temporary folder, so the learner's own progress and lesson
// folder are never read or touched.
class LessonsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    loopscope::test::testApplication();
    m_settings = std::make_unique<loopscope::test::IsolatedSettings>(QStringLiteral("LoopscopeLessonsTest"));
    ASSERT_TRUE(m_settings->isValid());
  }
  void TearDown() override { m_settings.reset(); }

  static QString engine() {
    QString path = qEnvironmentVariable("LOOPSCOPE_ENGINE");
    return path.isEmpty() ? EngineProcess::enginePath() : path;
  }

  // Runs a lesson snippet as the app does (lesson folder as working directory, with its options)
  // and returns its stdout lines.
  static QStringList runSnippet(const lessons::Snippet& snippet) {
    QProcess process;
    QFileInfo file(QString::fromStdString(snippet.path));
    process.setWorkingDirectory(file.absolutePath());
    QStringList args{QStringLiteral("run")};
    args << snippetRunOptions(snippet) << file.fileName() << snippetProgramArguments(snippet);
    process.start(engine(), args);
    EXPECT_TRUE(process.waitForFinished(60'000)) << "engine did not finish: " << engine().toStdString();
    EXPECT_EQ(process.exitCode(), 0) << process.readAllStandardError().toStdString();
    return outputLinesOf(process.readAllStandardOutput());
  }

  static QString artifact(const QString& name) {
    QDir().mkpath(QStringLiteral(LOOPSCOPE_TEST_ARTIFACTS));
    return QDir(QStringLiteral(LOOPSCOPE_TEST_ARTIFACTS)).filePath(name);
  }

  static int predictItemFor(const lessons::Lesson& lesson, const std::string& snippet) {
    for (size_t i = 0; i < lesson.quiz.size(); ++i)
      if (lesson.quiz[i].kind == lessons::QuizItem::Kind::Predict && lesson.quiz[i].snippet == snippet) return int(i);
    return -1;
  }

  static const lessons::Snippet* snippetNamed(const lessons::Lesson& lesson, const std::string& file) {
    for (const auto& s : lesson.snippets)
      if (s.file == file) return &s;
    return nullptr;
  }

  std::unique_ptr<loopscope::test::IsolatedSettings> m_settings;
};

QStringList fromStd(const std::vector<std::string>& lines) {
  QStringList out;
  for (const auto& l : lines) out << QString::fromStdString(l);
  return out;
}

void writeFile(const QString& path, const QByteArray& text) {
  QDir().mkpath(QFileInfo(path).absolutePath());
  QFile file(path);
  ASSERT_TRUE(file.open(QIODevice::WriteOnly));
  file.write(text);
}

QTreeWidgetItem* lessonItem(QTreeWidget* tree, const QString& id) {
  for (QTreeWidgetItemIterator it(tree); *it; ++it)
    if ((*it)->data(0, Qt::UserRole).toString() == id) return *it;
  return nullptr;
}

}  // namespace

TEST_F(LessonsTest, LibraryLoadsEveryBuiltInLessonGroupedByTheEightTracks) {
  LessonLibrary library;
  library.setFolders(LessonLibrary::builtInFolder(), {});
  ASSERT_GE(library.lessons().size(), 31u);
  std::set<std::string> tracksSeen;
  int lastTrack = -1;
  for (const auto& lesson : library.lessons()) {
    EXPECT_TRUE(lesson.problems.empty()) << lesson.id << ": " << lesson.problems.front();
    auto it = std::find(lessons::tracks().begin(), lessons::tracks().end(), lesson.track);
    ASSERT_NE(it, lessons::tracks().end()) << lesson.id;
    int track = int(it - lessons::tracks().begin());
    EXPECT_GE(track, lastTrack) << lesson.id << " is listed out of track order";
    lastTrack = track;
    tracksSeen.insert(lesson.track);
  }
  EXPECT_EQ(tracksSeen.size(), 8u);

  LessonBrowser browser(library);
  ASSERT_EQ(browser.tree()->topLevelItemCount(), 8);
  for (int i = 0; i < 8; ++i)
    EXPECT_TRUE(browser.tree()->topLevelItem(i)->text(0).startsWith(QString::fromStdString(lessons::tracks()[i])));
  EXPECT_EQ(browser.visibleLessonCount(), int(library.lessons().size()));
  QTreeWidgetItem* first = browser.tree()->topLevelItem(0)->child(0);
  EXPECT_EQ(first->data(0, Qt::UserRole).toString(), QStringLiteral("01-event-loop-phases"));
  EXPECT_TRUE(first->text(0).startsWith(QStringLiteral("1 · ")));

  browser.setFilterText(QStringLiteral("thread pool"));
  EXPECT_GT(browser.visibleLessonCount(), 0);
  EXPECT_LT(browser.visibleLessonCount(), int(library.lessons().size()));
  EXPECT_FALSE(lessonItem(browser.tree(), QStringLiteral("07-threadpool-saturation"))->isHidden());
  EXPECT_TRUE(lessonItem(browser.tree(), QStringLiteral("01-event-loop-phases"))->isHidden());
  browser.setFilterText(QStringLiteral("no such topic anywhere"));
  EXPECT_EQ(browser.visibleLessonCount(), 0);
  browser.setFilterText({});

  browser.resize(380, 760);
  browser.show();
  library.setProgress(QStringLiteral("01-event-loop-phases"), LessonProgress::QuizPassed);
  library.setProgress(QString::fromLatin1(kLesson02), LessonProgress::Opened);
  browser.selectLesson(QString::fromLatin1(kLesson02));
  EXPECT_TRUE(browser.grab().save(artifact(QStringLiteral("lessons-browser.png"))));
}

TEST_F(LessonsTest, MalformedUserLessonIsListedWithItsProblemAndTheOthersStillLoad) {
  QTemporaryDir user;
  writeFile(user.filePath(QStringLiteral("90-half-written/lesson.md")),
            "---\norder: 90\ntrack: Event loop\ncovers: timers\n---\nNo title yet.\n");
  writeFile(user.filePath(QStringLiteral("91-my-timers/lesson.md")),
            "---\ntitle: My own timers lesson\norder: 91\ntrack: Event loop\ncovers: timers\n---\nHello class.\n");
  // Same id as a built-in lesson: the teacher's version wins.
  writeFile(user.filePath(QStringLiteral("01-event-loop-phases/lesson.md")),
            "---\ntitle: Phases, as our class does them\norder: 1\ntrack: Event loop\ncovers: "
            "event-loop-phases\n---\nOurs.\n");
  QSettings().setValue(QStringLiteral("lessons/userFolder"), user.path());

  LessonLibrary library;  // reads the user folder from the settings
  EXPECT_EQ(LessonLibrary::userFolder(), QDir::cleanPath(user.path()));
  const lessons::Lesson* broken = library.find(QStringLiteral("90-half-written"));
  ASSERT_NE(broken, nullptr);
  ASSERT_FALSE(broken->problems.empty());
  EXPECT_NE(broken->problems.front().find("title"), std::string::npos);
  ASSERT_NE(library.find(QStringLiteral("91-my-timers")), nullptr);
  EXPECT_TRUE(library.isUserLesson(QStringLiteral("91-my-timers")));
  ASSERT_NE(library.find(QStringLiteral("07-threadpool-saturation")), nullptr);
  EXPECT_EQ(library.find(QStringLiteral("01-event-loop-phases"))->title, "Phases, as our class does them");
  EXPECT_GE(library.lessons().size(), 33u);

  LessonBrowser browser(library);
  QTreeWidgetItem* item = lessonItem(browser.tree(), QStringLiteral("90-half-written"));
  ASSERT_NE(item, nullptr);
  EXPECT_TRUE(item->toolTip(0).contains(QStringLiteral("missing &#x27;title:&#x27;")) ||
              item->toolTip(0).contains(QStringLiteral("missing 'title:'")))
      << item->toolTip(0).toStdString();
  EXPECT_FALSE(item->icon(0).isNull());

  LessonPanel panel(library);
  EXPECT_TRUE(panel.showLesson(QStringLiteral("90-half-written")));  // opens, shows its problems
  panel.resize(480, 400);
  panel.show();
  EXPECT_TRUE(panel.grab().save(artifact(QStringLiteral("lessons-panel-problems.png"))));

  // A folder that went away is a sentence, not a crash.
  QSettings().setValue(QStringLiteral("lessons/userFolder"), user.filePath(QStringLiteral("gone")));
  library.reload();
  ASSERT_EQ(library.folderProblems().size(), 1);
  EXPECT_TRUE(library.folderProblems().front().contains(QStringLiteral("does not exist")));
  EXPECT_EQ(library.find(QStringLiteral("90-half-written")), nullptr);
  EXPECT_EQ(panel.lessonId(), QString());  // the panel let go of the vanished lesson
}

TEST_F(LessonsTest, PredictQuizShowsShuffledLinesAndIsGradedByTheRealEngine) {
  LessonLibrary library;
  library.setFolders(LessonLibrary::builtInFolder(), {});
  const lessons::Lesson* lesson = library.find(QString::fromLatin1(kLesson02));
  ASSERT_NE(lesson, nullptr);
  int item = predictItemFor(*lesson, kInsideIo);
  ASSERT_GE(item, 0);
  const lessons::Snippet* snippet = snippetNamed(*lesson, kInsideIo);
  ASSERT_NE(snippet, nullptr);
  ASSERT_EQ(snippet->expectation, lessons::Snippet::Expectation::Exact);
  QStringList expected = fromStd(snippet->outputs.front());

  LessonPanel panel(library);
  QSignalSpy preview(&panel, &LessonPanel::snippetPreviewRequested);
  QSignalSpy runs(&panel, &LessonPanel::runForQuiz);
  ASSERT_TRUE(panel.showLesson(QString::fromLatin1(kLesson02)));
  EXPECT_EQ(preview.count(), 1);
  EXPECT_EQ(library.progress(QString::fromLatin1(kLesson02)), LessonProgress::Opened);
  EXPECT_EQ(panel.quizCount(), int(lesson->quiz.size()));
  panel.selectQuizItem(item);

  // Shuffled: the same lines, not already in the answer's order, and the same puzzle every time.
  QStringList shown = panel.predictionOrder();
  QStringList sortedShown = shown, sortedExpected = expected;
  sortedShown.sort();
  sortedExpected.sort();
  EXPECT_EQ(sortedShown, sortedExpected);
  EXPECT_NE(shown, expected);
  LessonPanel again(library);
  again.showLesson(QString::fromLatin1(kLesson02));
  again.selectQuizItem(item);
  EXPECT_EQ(again.predictionOrder(), shown);

  // The current item's list and button (the other items' pages are hidden in their stack).
  QListWidget* list = nullptr;
  for (QListWidget* l : panel.findChildren<QListWidget*>())
    if (l->isVisibleTo(&panel)) list = l;
  ASSERT_NE(list, nullptr);
  QPushButton* check = nullptr;
  for (QPushButton* b : panel.findChildren<QPushButton*>())
    if (b->text() == QStringLiteral("Check by running") && b->isVisibleTo(&panel)) check = b;
  ASSERT_NE(check, nullptr);

  QStringList actual = runSnippet(*snippet);
  ASSERT_EQ(actual, expected) << "the engine no longer prints what the lesson says";

  panel.setPredictionOrder(expected);
  // "Check by running" asks the window for a run of this snippet.
  check->click();
  ASSERT_EQ(runs.count(), 1);
  EXPECT_EQ(runs.front().front().toString(), QString::fromStdString(snippet->path));
  EXPECT_TRUE(panel.isWaitingForRun());
  panel.gradePrediction(actual);
  EXPECT_FALSE(panel.isWaitingForRun());
  EXPECT_TRUE(panel.lastGradeCorrect());
  EXPECT_TRUE(panel.gradeText().startsWith(QStringLiteral("Correct — this is what the engine printed")))
      << panel.gradeText().toStdString();
  EXPECT_EQ(library.passedQuizItems(QString::fromLatin1(kLesson02)), QList<int>{item});
  EXPECT_EQ(QSettings().value(QStringLiteral("lessons/progress/%1").arg(QString::fromLatin1(kLesson02))).toString(),
            QStringLiteral("opened"));  // other quiz items are still open

  QStringList wrong = expected;
  std::reverse(wrong.begin(), wrong.end());
  panel.setPredictionOrder(wrong);
  panel.gradePrediction(actual);
  EXPECT_FALSE(panel.lastGradeCorrect());
  EXPECT_TRUE(panel.gradeText().startsWith(QStringLiteral("Not yet: 0 of 2 lines are in the right place")))
      << panel.gradeText().toStdString();
  EXPECT_TRUE(panel.gradeText().contains(expected.front()));

  panel.resize(560, 980);
  panel.show();
  EXPECT_TRUE(panel.grab().save(artifact(QStringLiteral("lessons-panel-predict-wrong.png"))));

  // Keyboard reordering: Alt+Up on the bottom line puts it on top.
  list->setFocus();
  list->setCurrentRow(1);
  QTest::keyClick(list, Qt::Key_Up, Qt::AltModifier);
  EXPECT_EQ(panel.predictionOrder(), expected);
  EXPECT_EQ(list->currentRow(), 0);
}

TEST_F(LessonsTest, AnyAllowedOrderOfANondeterministicSnippetIsCorrect) {
  LessonLibrary library;
  library.setFolders(LessonLibrary::builtInFolder(), {});
  const lessons::Lesson* lesson = library.find(QString::fromLatin1(kLesson02));
  ASSERT_NE(lesson, nullptr);
  int item = predictItemFor(*lesson, "four-queues.js");
  ASSERT_GE(item, 0);
  const lessons::Snippet* snippet = snippetNamed(*lesson, "four-queues.js");
  ASSERT_EQ(snippet->expectation, lessons::Snippet::Expectation::Orders);
  ASSERT_EQ(snippet->outputs.size(), 2u);

  LessonPanel panel(library);
  panel.showLesson(QString::fromLatin1(kLesson02));
  panel.selectQuizItem(item);
  QStringList actual = runSnippet(*snippet);
  QStringList first = fromStd(snippet->outputs[0]), second = fromStd(snippet->outputs[1]);
  ASSERT_TRUE(actual == first || actual == second);
  QStringList other = actual == first ? second : first;

  panel.setPredictionOrder(other);
  panel.gradePrediction(actual);
  EXPECT_TRUE(panel.lastGradeCorrect()) << panel.gradeText().toStdString();
  EXPECT_TRUE(panel.gradeText().contains(QStringLiteral("nondeterministic")));
  // Narrow, as beside the views in the main window.
  panel.resize(440, 900);
  panel.show();
  EXPECT_TRUE(panel.grab().save(artifact(QStringLiteral("lessons-panel-orders-narrow.png"))));

  QStringList wrong = actual;
  std::reverse(wrong.begin(), wrong.end());
  panel.setPredictionOrder(wrong);
  panel.gradePrediction(actual);
  EXPECT_FALSE(panel.lastGradeCorrect());
}

TEST_F(LessonsTest, ChoiceQuizShowsItsExplanationAndPassingEveryItemMarksTheQuizPassed) {
  LessonLibrary library;
  library.setFolders(LessonLibrary::builtInFolder(), {});
  const QString id = QString::fromLatin1(kLesson02);
  const lessons::Lesson* lesson = library.find(id);
  LessonPanel panel(library);
  panel.showLesson(id);
  int choice = -1;
  for (int i = 0; i < int(lesson->quiz.size()); ++i)
    if (lesson->quiz[i].kind == lessons::QuizItem::Kind::Choice) choice = i;
  ASSERT_GE(choice, 0);
  QList<int> right, wrong;
  for (int i = 0; i < int(lesson->quiz[choice].choices.size()); ++i)
    (lesson->quiz[choice].choices[i].right ? right : wrong) << i;

  panel.selectQuizItem(choice);
  panel.chooseOptions({wrong.front()});
  panel.checkChoice();
  EXPECT_FALSE(panel.lastGradeCorrect());
  EXPECT_TRUE(panel.gradeText().startsWith(QStringLiteral("Not quite")));
  panel.chooseOptions(right);
  panel.checkChoice();
  EXPECT_TRUE(panel.lastGradeCorrect());
  panel.resize(560, 980);
  panel.show();
  EXPECT_TRUE(panel.grab().save(artifact(QStringLiteral("lessons-panel-choice.png"))));

  // Answer every predict item with the engine's output: the lesson's quiz is then passed.
  for (int i = 0; i < int(lesson->quiz.size()); ++i) {
    if (lesson->quiz[i].kind != lessons::QuizItem::Kind::Predict) continue;
    QStringList actual = runSnippet(*snippetNamed(*lesson, lesson->quiz[i].snippet));
    panel.selectQuizItem(i);
    panel.setPredictionOrder(actual);
    panel.gradePrediction(actual);
    EXPECT_TRUE(panel.lastGradeCorrect()) << panel.gradeText().toStdString();
  }
  EXPECT_EQ(library.progress(id), LessonProgress::QuizPassed);
  EXPECT_EQ(QSettings().value(QStringLiteral("lessons/progress/%1").arg(id)).toString(), QStringLiteral("quiz passed"));
  // Opening the lesson again keeps its tick.
  panel.showLesson(id);
  EXPECT_EQ(library.progress(id), LessonProgress::QuizPassed);
}

TEST_F(LessonsTest, ExerciseCheckerFailsTheStarterAndPassesTheSolution) {
  LessonLibrary library;
  library.setFolders(LessonLibrary::builtInFolder(), {});
  const QString id = QStringLiteral("28-exercise-1-lag-monitor");
  const lessons::Lesson* lesson = library.find(id);
  ASSERT_NE(lesson, nullptr);
  qputenv("LOOPSCOPE_ENGINE", engine().toLocal8Bit());
  LessonPanel panel(library);
  panel.showLesson(id);
  QSignalSpy preview(&panel, &LessonPanel::snippetPreviewRequested);
  QSignalSpy checked(&panel, &LessonPanel::exerciseChecked);
  panel.startExercise();
  ASSERT_EQ(preview.count(), 1);
  QString copy = preview.front().front().toString();
  EXPECT_EQ(copy, panel.exerciseFile());
  EXPECT_TRUE(copy.startsWith(m_settings->path()));  // never inside the lessons tree

  panel.checkExercise();
  ASSERT_TRUE(checked.wait(90'000));
  EXPECT_FALSE(checked.front().front().toBool());
  EXPECT_TRUE(panel.exerciseResultText().contains(QStringLiteral("Not yet")))
      << panel.exerciseResultText().toStdString();

  QFile::remove(copy);
  ASSERT_TRUE(QFile::copy(QDir(QString::fromStdString(lesson->dir)).filePath(QStringLiteral("solution.js")), copy));
  panel.checkExercise();
  ASSERT_TRUE(checked.wait(90'000));
  EXPECT_TRUE(checked.back().front().toBool()) << panel.exerciseResultText().toStdString();
  EXPECT_EQ(library.progress(id), LessonProgress::ExercisePassed);
  // The hint is folded until asked for.
  QToolButton* hint = nullptr;
  for (QToolButton* b : panel.findChildren<QToolButton*>())
    if (b->text() == QStringLiteral("Show the hint")) hint = b;
  ASSERT_NE(hint, nullptr);
  hint->click();
  EXPECT_EQ(hint->text(), QStringLiteral("Hide the hint"));
  panel.resize(560, 900);
  panel.show();
  EXPECT_TRUE(panel.grab().save(artifact(QStringLiteral("lessons-panel-exercise.png"))));
}

TEST_F(LessonsTest, AutomationFindsALessonsFirstSnippetOrSaysWhichLessonsExist) {
  LessonLibrary library;
  library.setFolders(LessonLibrary::builtInFolder(), {});
  QString error;
  QString path = lessonSnippetForAutomation(library, QString::fromLatin1(kLesson02), &error);
  EXPECT_TRUE(path.endsWith(QStringLiteral("/four-queues.js"))) << path.toStdString();
  EXPECT_EQ(lessonSnippetForAutomation(library, QStringLiteral("2"), &error), path);  // by number
  EXPECT_TRUE(lessonSnippetForAutomation(library, QStringLiteral("x"), &error).isEmpty());
  EXPECT_TRUE(error.startsWith(QStringLiteral("no lesson 'x'; known lessons: 01-event-loop-phases, 02-")))
      << error.toStdString();
}

TEST(PredictionGrade, ShuffleIsStableAndNeverStartsSolved) {
  QStringList lines{QStringLiteral("a"), QStringLiteral("b")};
  for (int i = 0; i < 20; ++i) {
    QString seed = QStringLiteral("lesson-%1").arg(i);
    QStringList shuffled = shuffledForPrediction(lines, seed, {lines});
    EXPECT_EQ(shuffled, (QStringList{QStringLiteral("b"), QStringLiteral("a")}));
  }
  QStringList five{QStringLiteral("1"), QStringLiteral("2"), QStringLiteral("3"), QStringLiteral("4"),
                   QStringLiteral("5")};
  EXPECT_EQ(shuffledForPrediction(five, QStringLiteral("s"), {five}),
            shuffledForPrediction(five, QStringLiteral("s"), {five}));
  EXPECT_NE(shuffledForPrediction(five, QStringLiteral("s"), {five}), five);
}

TEST(PredictionGrade, TheEngineHasTheLastWordWhenItDisagreesWithTheLesson) {
  QStringList lesson{QStringLiteral("x"), QStringLiteral("y")};
  QStringList engine{QStringLiteral("y"), QStringLiteral("x")};
  PredictionGrade grade = gradePrediction(engine, {lesson}, engine);
  EXPECT_TRUE(grade.correct);
  EXPECT_FALSE(grade.runMatchesLesson);
  grade = gradePrediction(lesson, {lesson}, engine);
  EXPECT_FALSE(grade.correct);
  EXPECT_EQ(grade.rightCount(), 0);
}
