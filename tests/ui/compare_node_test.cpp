// Run ▸ Compare with node: this engine and the node on the PATH, side by side (issue 8 §5).
#include <gtest/gtest.h>

#include <QFile>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTimer>

#include "compare_node_dialog.h"
#include "main_window.h"
#include "run_trust.h"
#include "test_application.h"

using namespace loopscope;
using namespace loopscope::ui;
using loopscope::test::IsolatedSettings;

namespace {

// libuv's version differs between this engine (1.44) and a Node 20+ (1.45 and later).
constexpr char kVersions[] =
    "console.log('before the loop');\n"
    "console.log('libuv ' + process.versions.uv);\n"
    "setImmediate(() => console.log('check'));\n";

QString writeSnippet(const QTemporaryDir& dir, const QByteArray& source) {
  const QString path = dir.filePath(QStringLiteral("versions.js"));
  QFile file(path);
  EXPECT_TRUE(file.open(QIODevice::WriteOnly));
  file.write(source);
  return path;
}

}  // namespace

TEST(CompareWithNode, FirstDifferentLineIsWhereTwoOutputsPartOrMinusOneWhenTheyAreTheSame) {
  const QStringList abc{QStringLiteral("a"), QStringLiteral("b"), QStringLiteral("c")};
  EXPECT_EQ(firstDifferentLine(abc, abc), -1);
  EXPECT_EQ(firstDifferentLine(abc, {QStringLiteral("a"), QStringLiteral("x"), QStringLiteral("c")}), 1);
  EXPECT_EQ(firstDifferentLine(abc, {QStringLiteral("a"), QStringLiteral("b")}), 2) << "one ran out first";
  EXPECT_EQ(firstDifferentLine({}, abc), 0);
}

TEST(CompareWithNode, TheEngineAndThePathsNodeRunTheSnippetSideBySideAndPartWhereTheirVersionsShow) {
  loopscope::test::testApplication();
  const QString node = CompareWithNodeDialog::nodeOnPath();
  if (node.isEmpty()) GTEST_SKIP() << "no node on the PATH on this machine";
  QTemporaryDir dir;
  RunSettings settings;
  settings.snippetPath = writeSnippet(dir, kVersions);
  CompareWithNodeDialog dialog(settings, node);
  QSignalSpy done(&dialog, &CompareWithNodeDialog::bothFinished);
  dialog.start();
  ASSERT_TRUE(done.wait(60'000));
  ASSERT_TRUE(dialog.isDone());
  EXPECT_FALSE(dialog.nodeVersion().isEmpty());
  ASSERT_EQ(dialog.engineLines().size(), 3) << dialog.engineLines().join('|').toStdString();
  ASSERT_EQ(dialog.nodeLines().size(), 3) << dialog.nodeLines().join('|').toStdString();
  EXPECT_EQ(dialog.engineLines()[0], dialog.nodeLines()[0]);
  EXPECT_EQ(dialog.engineLines()[1], QStringLiteral("libuv 1.44.2")) << "Node 18's libuv";
  dialog.resize(980, 420);
  EXPECT_TRUE(dialog.grab().save(loopscope::test::artifactPath(QStringLiteral("compare_with_node.png"))));
  if (dialog.nodeLines()[1] != dialog.engineLines()[1]) {
    EXPECT_TRUE(dialog.summary().contains(QStringLiteral("line 2"))) << dialog.summary().toStdString();
  } else {
    EXPECT_TRUE(dialog.summary().contains(QStringLiteral("same output"))) << dialog.summary().toStdString();
  }
}

TEST(CompareWithNode, ANodeThatCannotBeStartedLeavesNothingToCompareAndSaysWhy) {
  loopscope::test::testApplication();
  QTemporaryDir dir;
  RunSettings settings;
  settings.snippetPath = writeSnippet(dir, kVersions);
  CompareWithNodeDialog dialog(settings, dir.filePath(QStringLiteral("no-such-node")));
  QSignalSpy done(&dialog, &CompareWithNodeDialog::bothFinished);
  dialog.start();
  ASSERT_TRUE(done.wait(60'000));
  EXPECT_TRUE(dialog.summary().startsWith(QStringLiteral("Nothing to compare"))) << dialog.summary().toStdString();
  EXPECT_TRUE(dialog.summary().contains(QStringLiteral("could not be started"))) << dialog.summary().toStdString();
  EXPECT_EQ(dialog.engineLines().size(), 3) << "the engine's side still ran";
}

TEST(CompareWithNode, TheWindowComparesTrustedCodeButDoesNotHandCodeThatWouldRunSandboxedToThePathsNode) {
  loopscope::test::testApplication();
  if (CompareWithNodeDialog::nodeOnPath().isEmpty()) GTEST_SKIP() << "no node on the PATH on this machine";
  IsolatedSettings isolated(QStringLiteral("loopscope-compare-node-test"));
  MainWindow window(MainWindow::Options{false});
  QAction* compare = loopscope::test::actionFor(window, QKeySequence(Qt::CTRL | Qt::ALT | Qt::Key_F5));
  ASSERT_NE(compare, nullptr);
  bool dialogOpened = false;
  auto closeTheDialogWhenItOpens = [&] {
    QTimer::singleShot(0, &window, [&] {
      if (auto* dialog = window.findChild<CompareWithNodeDialog*>()) {
        dialogOpened = true;
        dialog->reject();
      }
    });
  };

  window.setSnippetText(QString::fromLatin1(kVersions), QStringLiteral("versions.js"));  // unsaved: sandboxed
  closeTheDialogWhenItOpens();
  compare->trigger();
  QCoreApplication::processEvents();
  EXPECT_FALSE(dialogOpened);
  EXPECT_TRUE(window.bannerText().contains(QStringLiteral("outside Loopscope's sandbox")))
      << window.bannerText().toStdString();

  QTemporaryDir trusted;
  ASSERT_TRUE(trustFolder(trusted.path()));
  ASSERT_TRUE(window.loadSnippetFile(writeSnippet(trusted, kVersions)));
  closeTheDialogWhenItOpens();
  compare->trigger();
  EXPECT_TRUE(dialogOpened) << "a trusted snippet is compared";
}
