#include "lessons/prediction_grade.h"

#include <cstdint>
#include <utility>

#include "curriculum/lesson.h"

namespace loopscope::ui {

int PredictionGrade::rightCount() const {
  int count = 0;
  for (bool right : lineRight) count += right ? 1 : 0;
  return count;
}

PredictionGrade gradePrediction(const QStringList& guess, const QList<QStringList>& allowed,
                                const QStringList& actual) {
  PredictionGrade grade;
  grade.nondeterministic = allowed.size() > 1;
  grade.runMatchesLesson = allowed.contains(actual);
  // Any allowed order is right even if this particular run printed another one: with .orders the
  // lesson states that Node may print either, so the learner cannot be expected to guess the coin.
  grade.correct = grade.runMatchesLesson ? allowed.contains(guess) : guess == actual;
  grade.reference = grade.correct ? guess : actual;
  grade.lineRight.reserve(guess.size());
  for (qsizetype i = 0; i < guess.size(); ++i)
    grade.lineRight.push_back(i < grade.reference.size() && guess[i] == grade.reference[i]);
  return grade;
}

namespace {

// FNV-1a over UTF-8: stable across runs, platforms and Qt versions, unlike qHash whose seed may
// be randomised per process.
uint64_t stableHash(const QString& text) {
  uint64_t hash = 1469598103934665603ull;
  for (char byte : text.toUtf8()) {
    hash ^= static_cast<unsigned char>(byte);
    hash *= 1099511628211ull;
  }
  return hash;
}

// splitmix64: a tiny generator with a defined sequence (std::shuffle's use of the engine is
// implementation-defined, so the same seed could give another order with another library).
uint64_t nextRandom(uint64_t& state) {
  uint64_t z = (state += 0x9E3779B97F4A7C15ull);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
  return z ^ (z >> 31);
}

}  // namespace

QStringList shuffledForPrediction(const QStringList& lines, const QString& seed, const QList<QStringList>& allowed) {
  uint64_t state = stableHash(seed);
  QStringList shuffled = lines;
  // A handful of attempts is enough: with n lines and k allowed orders a shuffle is solved with
  // probability k/n!, and for tiny lists the rotation below guarantees an unsolved start.
  for (int attempt = 0; attempt < 16; ++attempt) {
    for (qsizetype i = shuffled.size() - 1; i > 0; --i) {
      auto j = static_cast<qsizetype>(nextRandom(state) % static_cast<uint64_t>(i + 1));
      shuffled.swapItemsAt(i, j);
    }
    if (!allowed.contains(shuffled)) return shuffled;
  }
  for (qsizetype rotation = 1; rotation < shuffled.size(); ++rotation) {
    QStringList rotated = shuffled.mid(rotation) + shuffled.mid(0, rotation);
    if (!allowed.contains(rotated)) return rotated;
  }
  return shuffled;  // every order is allowed (or all lines are equal): nothing to puzzle over
}

QStringList outputLinesOf(const QByteArray& stdoutText) {
  QStringList lines;
  for (const std::string& line : lessons::outputLines(stdoutText.toStdString())) lines << QString::fromStdString(line);
  return lines;
}

}  // namespace loopscope::ui
