// `run --perturb SEED`: seeded timing perturbation (engine/host/perturb.h). It must make the
// orders Node leaves to timing show up, keep every order the event loop's rules fix, be
// reproducible from its seed, say so in a recording, and change nothing when it is not asked for.
#include <gtest/gtest.h>

#include <algorithm>
#include <set>
#include <sstream>

#include "harness.h"

using namespace loopscope;
using namespace loopscope::test;

namespace {

// The race Node's documentation calls non-deterministic, after three lines whose order the rules
// fix: the main script, then the nextTick queue, then the microtask queue, all before the loop.
constexpr const char kRace[] =
    "setTimeout(() => console.log('timeout'), 0);\n"
    "setImmediate(() => console.log('immediate'));\n"
    "Promise.resolve().then(() => console.log('promise'));\n"
    "process.nextTick(() => console.log('tick'));\n"
    "console.log('sync');\n";
constexpr const char kTimeoutFirst[] = "sync\ntick\npromise\ntimeout\nimmediate\n";
constexpr const char kImmediateFirst[] = "sync\ntick\npromise\nimmediate\ntimeout\n";
constexpr int kSeeds = 40;

std::string raceFile() {
  static const std::string path = writeSnippet("race.js", kRace);
  return path;
}

EngineRun runPerturbedUntraced(uint64_t seed) {
  return runEngine({"run", "--no-trace", "--perturb", std::to_string(seed), raceFile()});
}

}  // namespace

TEST(PerturbEngine, SeedsShowBothOrdersOfTheTimeoutImmediateRaceWhileTheRuleFixedLinesKeepTheirPlace) {
  std::set<std::string> outputs;
  for (int seed = 1; seed <= kSeeds; ++seed) {
    EngineRun run = runPerturbedUntraced(uint64_t(seed));
    ASSERT_EQ(run.exitCode, 0) << "seed " << seed << ": " << run.err;
    // sync, tick and promise come first in every run: perturbation never breaks the rules.
    EXPECT_EQ(run.out.rfind("sync\ntick\npromise\n", 0), 0u) << "seed " << seed << ":\n" << run.out;
    EXPECT_TRUE(run.out == kTimeoutFirst || run.out == kImmediateFirst) << "seed " << seed << ":\n" << run.out;
    outputs.insert(run.out);
  }
  EXPECT_TRUE(outputs.count(kTimeoutFirst)) << "no seed of 1.." << kSeeds << " let the timeout win";
  EXPECT_TRUE(outputs.count(kImmediateFirst)) << "no seed of 1.." << kSeeds << " let the immediate win";
}

TEST(PerturbEngine, TheSameSeedGivesTheSameOrderAgain) {
  std::set<std::string> seen;
  for (uint64_t seed : {1u, 2u, 3u, 4u, 5u, 6u, 7u, 8u}) {
    EngineRun first = runPerturbedUntraced(seed);
    EngineRun again = runPerturbedUntraced(seed);
    ASSERT_EQ(first.exitCode, 0) << first.err;
    ASSERT_EQ(again.exitCode, 0) << again.err;
    EXPECT_EQ(first.out, again.out) << "seed " << seed;
    seen.insert(first.out);
  }
  // A traced run takes the same first-iteration decision as an untraced one with that seed.
  for (uint64_t seed : {1u, 2u, 3u, 4u}) {
    EngineRun traced = runTraced(raceFile(), {"--perturb", std::to_string(seed)});
    ASSERT_EQ(traced.exitCode, 0) << traced.err;
    EXPECT_EQ(traced.out, runPerturbedUntraced(seed).out) << "seed " << seed;
  }
}

TEST(PerturbEngine, APerturbedRecordingCarriesItsSeedAndInfoPrintsIt) {
  EngineRun run = runTraced(raceFile(), {"--perturb", "18446744073709551615"});
  ASSERT_EQ(run.exitCode, 0) << run.err;
  ASSERT_EQ(run.trace.status, ReadStatus::Ok) << run.trace.problem;
  EXPECT_EQ(run.trace.trace.meta("perturbation seed"), "18446744073709551615");
  EngineRun info = runEngine({"info", run.tracePath});
  ASSERT_EQ(info.exitCode, 0) << info.err;
  EXPECT_NE(info.out.find("perturbation seed: 18446744073709551615\n"), std::string::npos) << info.out;
}

TEST(PerturbEngine, WithoutPerturbTracedAndUntracedRunsPrintWhatTheyAlwaysPrinted) {
  // Node 18 on this engine reaches its first timers phase more than 1 ms after the main script,
  // so unperturbed, the timeout always wins (README, Run ×N).
  EngineRun traced = runTraced(raceFile());
  ASSERT_EQ(traced.exitCode, 0) << traced.err;
  EXPECT_EQ(traced.out, kTimeoutFirst);
  EXPECT_EQ(traced.trace.trace.meta("perturbation seed"), "") << "an unperturbed run is not marked";
  EngineRun untraced = runEngine({"run", "--no-trace", raceFile()});
  ASSERT_EQ(untraced.exitCode, 0) << untraced.err;
  EXPECT_EQ(untraced.out, kTimeoutFirst);
  EXPECT_EQ(untraced.err, "");
}

TEST(PerturbEngine, PerturbedThreadPoolJobsAndTimersStillAllComplete) {
  // Pool jobs go through the perturbed trampolines in untraced runs too; every callback runs once.
  const std::string file = writeSnippet("pool.js",
                                        "const fs = require('fs'), crypto = require('crypto');\n"
                                        "let done = 0; const end = () => { if (++done === 6) console.log('all'); };\n"
                                        "for (let i = 0; i < 3; ++i) fs.stat(__filename, end);\n"
                                        "crypto.pbkdf2('a', 'b', 10, 8, 'sha1', end);\n"
                                        "setTimeout(end, 5);\n"
                                        "setImmediate(end);\n");
  for (bool traced : {false, true}) {
    EngineRun run =
        traced ? runTraced(file, {"--perturb", "3"}) : runEngine({"run", "--no-trace", "--perturb", "3", file});
    ASSERT_EQ(run.exitCode, 0) << run.err;
    EXPECT_EQ(run.out, "all\n") << (traced ? "traced" : "untraced");
  }
}

TEST(PerturbEngine, ABadSeedGetsOneSentenceAndExitTwo) {
  const std::string file = raceFile();
  for (const std::vector<std::string>& args : {std::vector<std::string>{"run", "--perturb", "abc", file},
                                               {"run", "--no-trace", "--perturb", "-1", file},
                                               {"run", "--perturb", "18446744073709551616", file},
                                               {"run", "--perturb", "12x", file},
                                               {"run", "--perturb", " 7", file},
                                               {"run", file, "--perturb"},
                                               {"run", "--perturb"}}) {
    EngineRun run = runEngine(args);
    std::ostringstream shown;
    for (const auto& a : args) shown << a << ' ';
    if (args.back() == "--perturb" && args.size() == 3) {
      // `--perturb` after FILE is the program's own argument: the program runs normally.
      EXPECT_EQ(run.exitCode, 0) << shown.str() << run.err;
      continue;
    }
    EXPECT_EQ(run.exitCode, 2) << shown.str() << run.err;
    EXPECT_EQ(run.out, "") << shown.str();
    EXPECT_EQ(std::count(run.err.begin(), run.err.end(), '\n'), 1) << shown.str() << run.err;
    EXPECT_NE(run.err.find("--perturb"), std::string::npos) << shown.str() << run.err;
  }
}
