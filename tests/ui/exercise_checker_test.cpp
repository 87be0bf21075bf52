// ExerciseChecker without a window: a built-in exercise's check.js, run on the real engine
// through EngineProcess's node mode, passes the lesson's own solution and turns its starter down
// with the checker's own words. The learner's copy lies in a trusted folder so the checker runs
// unsandboxed here; tests/ui/sandbox_app_test.cpp checks every built-in exercise in the sandbox.
#include <gtest/gtest.h>

#include <QDir>
#include <QFile>
#include <QSignalSpy>
#include <QTemporaryDir>

#include <memory>

#include "lessons/exercise_checker.h"
#include "lessons/lesson_library.h"
#include "run_trust.h"
#include "test_application.h"

using namespace loopscope;
using namespace loopscope::ui;
using loopscope::test::IsolatedSettings;

namespace {

constexpr char kLessonId[] = "28-exercise-1-lag-monitor";

class ExerciseCheckerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    loopscope::test::testApplication();
    if (qEnvironmentVariable("LOOPSCOPE_SANDBOX") == QLatin1String("1"))
      GTEST_SKIP() << "LOOPSCOPE_SANDBOX=1 sandboxes every checker; these tests run one unsandboxed";
    m_settings = std::make_unique<IsolatedSettings>(QStringLiteral("loopscope-exercise-checker-test"));
    ASSERT_TRUE(m_work.isValid());
    ASSERT_TRUE(trustFolder(m_work.path()));
    m_library = std::make_unique<LessonLibrary>();
    m_library->setFolders(LessonLibrary::builtInFolder(), {});
    const lessons::Lesson* lesson = m_library->find(QString::fromLatin1(kLessonId));
    ASSERT_NE(lesson, nullptr);
    ASSERT_TRUE(lesson->exercise);
    m_lessonFolder = QString::fromStdString(lesson->dir);
  }
  void TearDown() override {
    m_library.reset();
    m_settings.reset();
  }

  // Checks a copy of the lesson's `fileName` (solution.js, starter.js) as the learner's file.
  ExerciseVerdict checkCopyOf(const QString& fileName) {
    const QString copy = m_work.filePath(QStringLiteral("my-solution.js"));
    QFile::remove(copy);
    EXPECT_TRUE(QFile::copy(QDir(m_lessonFolder).filePath(fileName), copy));
    ExerciseChecker checker;
    QSignalSpy aboutToRead(&checker, &ExerciseChecker::aboutToRead);
    QSignalSpy checked(&checker, &ExerciseChecker::checked);
    QString problem;
    EXPECT_TRUE(checker.start(m_lessonFolder, copy, &problem)) << problem.toStdString();
    EXPECT_EQ(aboutToRead.size(), 1);
    EXPECT_FALSE(checker.isSandboxed()) << "the learner's folder is trusted and the lesson shipped";
    EXPECT_TRUE(checker.isChecking());
    if (checked.isEmpty()) { EXPECT_TRUE(checked.wait(100'000)) << "the checker gave no verdict within 100 s"; }
    EXPECT_FALSE(checker.isChecking());
    return checked.isEmpty() ? ExerciseVerdict{} : checked.takeFirst().at(0).value<ExerciseVerdict>();
  }

  std::unique_ptr<IsolatedSettings> m_settings;
  QTemporaryDir m_work;
  std::unique_ptr<LessonLibrary> m_library;
  QString m_lessonFolder;
};

}  // namespace

TEST_F(ExerciseCheckerTest, BuiltInExerciseSolutionPassesItsCheckerOnTheRealEngine) {
  const ExerciseVerdict verdict = checkCopyOf(QStringLiteral("solution.js"));
  EXPECT_EQ(verdict.kind, ExerciseVerdict::Kind::Passed) << verdict.html.toStdString();
  EXPECT_TRUE(verdict.passed());
  EXPECT_TRUE(verdict.html.startsWith(QStringLiteral("<b>Passed.</b>"))) << verdict.html.toStdString();
}

TEST_F(ExerciseCheckerTest, BuiltInExerciseStarterIsNotYetAndListsWhatTheCheckerSaysIsMissing) {
  const ExerciseVerdict verdict = checkCopyOf(QStringLiteral("starter.js"));
  EXPECT_EQ(verdict.kind, ExerciseVerdict::Kind::NotYet) << verdict.html.toStdString();
  EXPECT_FALSE(verdict.passed());
  EXPECT_TRUE(verdict.html.startsWith(QStringLiteral("<b>Not yet.</b> The checker says:<ul><li>")))
      << verdict.html.toStdString();
}

TEST_F(ExerciseCheckerTest, CancelledCheckGivesNoVerdictAndLeavesNothingRunning) {
  const QString copy = m_work.filePath(QStringLiteral("my-solution.js"));
  ASSERT_TRUE(QFile::copy(QDir(m_lessonFolder).filePath(QStringLiteral("solution.js")), copy));
  ExerciseChecker checker;
  QSignalSpy checked(&checker, &ExerciseChecker::checked);
  ASSERT_TRUE(checker.start(m_lessonFolder, copy));
  ASSERT_TRUE(checker.isChecking());
  checker.cancel();
  EXPECT_FALSE(checker.isChecking());
  // The solution's check takes about five seconds; a verdict leaking out of the cancelled check
  // would have arrived by now.
  EXPECT_FALSE(checked.wait(10'000));
}
