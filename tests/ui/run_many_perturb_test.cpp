// Run ×N with "Perturb timing (seeded)": each run gets `--perturb base+i`, the table names the
// first seed of each order and marks each line fixed or timing-dependent, and "Replay this order"
// hands the main window that seed.
#include <gtest/gtest.h>

#include <QFile>
#include <QPushButton>
#include <QSignalSpy>
#include <QTableWidget>
#include <QTemporaryDir>
#include <QTest>

#include <optional>
#include <set>

#include "main_window.h"
#include "run_many_dialog.h"
#include "test_application.h"

using namespace loopscope;
using namespace loopscope::ui;

namespace {

// Settings that run `source`, written to `name` in `dir`.
RunSettings snippetSettings(const QTemporaryDir& dir, const QString& name, const QByteArray& source) {
  RunSettings settings;
  settings.snippetPath = dir.filePath(name);
  QFile file(settings.snippetPath);
  EXPECT_TRUE(file.open(QIODevice::WriteOnly));
  file.write(source);
  return settings;
}

}  // namespace

TEST(RunManyTallyTest, EachOrderKeepsTheSeedOfTheFirstRunThatPrintedItAndItsLinesAreClassified) {
  OutputOrderTally tally;
  const QStringList timeoutFirst{QStringLiteral("sync"), QStringLiteral("timeout"), QStringLiteral("immediate")};
  const QStringList immediateFirst{QStringLiteral("sync"), QStringLiteral("immediate"), QStringLiteral("timeout")};
  tally.add(timeoutFirst, 10);
  tally.add(immediateFirst, 11);
  tally.add(timeoutFirst, 12);
  tally.add(immediateFirst, 13);
  tally.add(timeoutFirst, 14);
  const auto rows = tally.rows();
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[0].lines, timeoutFirst);
  EXPECT_EQ(rows[0].count, 3);
  EXPECT_EQ(rows[0].firstSeed, std::optional<quint64>(10));
  EXPECT_EQ(rows[1].firstSeed, std::optional<quint64>(11));
  const std::vector<LinePlacement> expected{LinePlacement::FixedByRules, LinePlacement::TimingDependent,
                                            LinePlacement::TimingDependent};
  EXPECT_EQ(rows[0].placements, expected);
  EXPECT_EQ(rows[1].placements, expected);

  OutputOrderTally unperturbed;
  unperturbed.add(timeoutFirst);
  EXPECT_FALSE(unperturbed.rows()[0].firstSeed);
}

TEST(RunManyPerturbTest, PerturbedRunsShowBothRaceOrdersWithTheirFirstSeedsAndReplayEmitsTheSelectedSeed) {
  loopscope::test::testApplication();
  QTemporaryDir dir;
  RunManyDialog dialog(snippetSettings(dir, QStringLiteral("race.js"),
                                       "setTimeout(() => console.log('timeout'), 0);\n"
                                       "setImmediate(() => console.log('immediate'));\n"
                                       "process.nextTick(() => console.log('tick'));\n"));
  EXPECT_TRUE(dialog.perturbed()) << "perturbation is on by default";
  dialog.setPerturbation(true, 1);
  QSignalSpy done(&dialog, &RunManyDialog::allRunsDone);
  dialog.startRuns(20, false);
  ASSERT_TRUE(done.wait(120000));
  const auto rows = dialog.tally().rows();
  ASSERT_EQ(rows.size(), 2u) << "seeds 1..20 print both orders (tests/engine/perturb_test.cpp)";
  std::set<quint64> firstSeeds;
  for (const auto& row : rows) {
    ASSERT_TRUE(row.firstSeed);
    EXPECT_GE(*row.firstSeed, 1u);
    EXPECT_LE(*row.firstSeed, 20u);
    firstSeeds.insert(*row.firstSeed);
    ASSERT_EQ(row.lines.size(), 3);
    EXPECT_EQ(row.lines[0], QStringLiteral("tick"));
    EXPECT_EQ(row.placements[0], LinePlacement::FixedByRules);
    EXPECT_EQ(row.placements[1], LinePlacement::TimingDependent);
    EXPECT_EQ(row.placements[2], LinePlacement::TimingDependent);
  }
  EXPECT_TRUE(firstSeeds.count(1)) << "run 0 uses the base seed";

  // The table shows the seed and the marks.
  auto* table = dialog.findChild<QTableWidget*>();
  ASSERT_TRUE(table);
  ASSERT_EQ(table->rowCount(), 2);
  EXPECT_EQ(table->item(1, 2)->text(), QString::number(*rows[1].firstSeed));
  const QString output = table->item(1, 3)->text();
  EXPECT_TRUE(output.contains(QStringLiteral("tick    — fixed by the event loop's rules"))) << output.toStdString();
  EXPECT_TRUE(output.contains(QStringLiteral("timeout    — timing-dependent"))) << output.toStdString();

  dialog.resize(760, 520);
  dialog.grab().save(loopscope::test::artifactPath(QStringLiteral("run_many_perturbed.png")));

  // "Replay this order" on the second row emits that row's first seed.
  QSignalSpy replay(&dialog, &RunManyDialog::replayRequested);
  auto* replayButton = dialog.findChild<QPushButton*>(QStringLiteral("ReplayThisOrder"));
  ASSERT_TRUE(replayButton);
  EXPECT_FALSE(replayButton->isEnabled()) << "nothing selected yet";
  table->selectRow(1);
  ASSERT_TRUE(replayButton->isEnabled());
  replayButton->click();
  ASSERT_EQ(replay.count(), 1);
  EXPECT_EQ(replay.at(0).at(0).value<quint64>(), *rows[1].firstSeed);
  EXPECT_FALSE(dialog.requestReplay(2));
}

TEST(RunManyPerturbTest, UnperturbedRunsHaveNoSeedToReplay) {
  loopscope::test::testApplication();
  QTemporaryDir dir;
  RunManyDialog dialog(snippetSettings(dir, QStringLiteral("one.js"), "console.log('one');\n"));
  dialog.setPerturbation(false, 1);
  QSignalSpy done(&dialog, &RunManyDialog::allRunsDone);
  QSignalSpy replay(&dialog, &RunManyDialog::replayRequested);
  dialog.startRuns(2, false);
  ASSERT_TRUE(done.wait(60000));
  ASSERT_EQ(dialog.tally().rows().size(), 1u);
  EXPECT_FALSE(dialog.tally().rows()[0].firstSeed);
  EXPECT_FALSE(dialog.requestReplay(0));
  EXPECT_EQ(replay.count(), 0);
}

TEST(RunManyPerturbTest, TheWindowReplaysTheChosenSeedAndItsRecordingPrintsThatOrderAndNamesTheSeed) {
  loopscope::test::testApplication();
  QTemporaryDir dir;
  const QByteArray race =
      "setTimeout(() => console.log('timeout'), 0);\n"
      "setImmediate(() => console.log('immediate'));\n";
  RunSettings settings = snippetSettings(dir, QStringLiteral("race.js"), race);
  settings.traced = false;
  // The first seed under which the engine runs the immediate first (untraced, as Run ×N does).
  std::optional<quint64> immediateFirst;
  for (quint64 seed = 1; seed <= 40 && !immediateFirst; ++seed) {
    EngineProcess engine;
    RunSettings perturbed = settings;
    perturbed.extraOptions << QStringLiteral("--perturb") << QString::number(seed);
    QSignalSpy finished(&engine, &EngineProcess::finished);
    ASSERT_TRUE(engine.start(perturbed));
    ASSERT_TRUE(finished.wait(30'000));
    if (finished.front().front().value<RunOutcome>().stdoutText == "immediate\ntimeout\n") immediateFirst = seed;
  }
  ASSERT_TRUE(immediateFirst) << "no seed of 1..40 ran the immediate first";

  MainWindow window(MainWindow::Options{false});
  ASSERT_TRUE(window.loadSnippetFile(settings.snippetPath));
  QSignalSpy finished(&window, &MainWindow::runFinished);
  ASSERT_TRUE(window.runPerturbed(*immediateFirst));
  ASSERT_TRUE(finished.wait(60'000));
  EXPECT_EQ(finished.front().front().value<RunOutcome>().stdoutText, QByteArray("immediate\ntimeout\n"))
      << "the same seed gives the same order, traced as untraced";
  EXPECT_EQ(window.recording()->trace().meta("perturbation seed"), std::to_string(*immediateFirst));
}
