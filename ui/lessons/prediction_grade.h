// "Predict the output" quizzes without a GUI: how the learner's lines are shuffled before they
// start, and how their order is graded against what the engine really printed. Kept apart from
// the panel so the rules are unit-tested and the panel only draws them.
#pragma once

#include <QList>
#include <QString>
#include <QStringList>
#include <vector>

namespace loopscope::ui {

struct PredictionGrade {
  bool correct = false;
  // The run's stdout is one of the outputs the lesson allows. When it is not, the engine is
  // trusted over the lesson (the lesson may be out of date), and the panel says so.
  bool runMatchesLesson = false;
  // The lesson allows several orders (X.orders): Node itself is nondeterministic here.
  bool nondeterministic = false;
  // One flag per guessed line: is it where the reference order has it?
  std::vector<bool> lineRight;
  // The order the guess was marked against: the guess itself when it is correct (it may be a
  // different allowed order than the one this run printed), otherwise what the engine printed.
  QStringList reference;
  int rightCount() const;
};

// `allowed` holds the lesson's complete allowed outputs (one for X.expected, several for
// X.orders); `actual` is the run's stdout split into lines (trailing empty lines dropped).
PredictionGrade gradePrediction(const QStringList& guess, const QList<QStringList>& allowed, const QStringList& actual);

// The lines in an order that is the same every time for the same `seed` (the lesson id and
// snippet), so a teacher and a class see the same puzzle; it is never one of the `allowed`
// orders when another order exists, so the puzzle never starts solved.
QStringList shuffledForPrediction(const QStringList& lines, const QString& seed, const QList<QStringList>& allowed);

// Splits a run's stdout as the lesson checker does (lessons/README.md §3).
QStringList outputLinesOf(const QByteArray& stdoutText);

}  // namespace loopscope::ui
