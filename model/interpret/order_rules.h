// "Predict the output, then see exactly where you were wrong": given the learner's predicted
// lines and a recorded run, finds the first line where the orders differ, the callback that
// printed the engine's line there, and the rule of the event loop that put it first — from a
// small table keyed on the two callbacks' families, phases and who scheduled them, never a guess.
// Pure functions of a finished Trace; any thread.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "interpret/callback_family.h"
#include "trace/trace.h"

namespace loopscope {

// Where one printed line came from.
struct PrintedLine {
  std::string text;
  int64_t asyncId = 0;        // the innermost running callback (1 = the main script)
  size_t callbackEnter = 0;   // index of that callback's CallbackEnter (the play head's target)
  Phase phase = Phase::Main;  // the phase that callback ran in
  CallbackFamily family = CallbackFamily::Other;
  bool scheduledFromIo = false;  // its creator was an I/O callback (fs, net, ...)
};

// Every stdout line the main thread printed, in order, with where it came from.
std::vector<PrintedLine> printedLines(const Trace& trace);

enum class OrderRule {
  SameOrder,         // nothing to explain: the prediction matches
  NeverPrinted,      // the learner predicted a line the program did not print
  SynchronousFirst,  // the main script runs to its end before any callback
  NextTickBeforePromises,
  DrainsBetweenCallbacks,  // nextTick + microtasks drain before the loop moves on
  CheckBeforeTimersAfterIo,
  TopLevelTimeoutFirst,  // this engine: the first timers phase starts > 1 ms after the script
  TimersByDueTime,
  QueueFirstInFirstOut,
  PollBeforeCheck,
  PhaseOrder,  // the loop's phases in order: timers, pending, poll, check, close
};

// The sentence a learner reads for a rule.
std::string_view ruleSentence(OrderRule rule);
// The rule that ran `first` before `other` (both from printedLines()).
OrderRule ruleFor(const PrintedLine& first, const PrintedLine& other);

struct OrderExplanation {
  OrderRule rule = OrderRule::SameOrder;
  size_t line = 0;                // 0-based index of the first differing line
  std::string predicted, actual;  // the learner's line there and the engine's
  size_t playHead = 0;            // position just before the callback that printed `actual`
  std::string sentence;           // what to tell the learner
};

// Compares the prediction with what the run printed (trailing whitespace ignored).
OrderExplanation explainFirstDifference(const Trace& trace, const std::vector<std::string>& predicted);

}  // namespace loopscope
