#include "interpret/order_rules.h"

#include <algorithm>

#include "interpret/records.h"

namespace loopscope {
namespace {

std::string trimmed(std::string_view s) {
  size_t end = s.find_last_not_of(" \t\r\n");
  return end == std::string_view::npos ? std::string() : std::string(s.substr(0, end + 1));
}

CallbackFamily familyOf(const Trace& trace, int64_t asyncId) {
  return asyncId == 1 ? CallbackFamily::MainScript : callbackFamily(trace.asyncType(asyncId));
}

bool isDrain(CallbackFamily f) { return f == CallbackFamily::NextTick || f == CallbackFamily::Microtask; }
bool isLoopCallback(CallbackFamily f) {
  return f == CallbackFamily::Timer || f == CallbackFamily::Immediate || f == CallbackFamily::Io ||
         f == CallbackFamily::Close;
}

}  // namespace

std::vector<PrintedLine> printedLines(const Trace& trace) {
  struct Running {
    int64_t asyncId;
    size_t enter;
    Phase phase;
  };
  std::vector<PrintedLine> out;
  std::vector<Running> stack;
  Phase phase = Phase::Main;
  const auto& events = trace.events();
  for (size_t i = 0; i < events.size(); ++i) {
    const Event& ev = events[i];
    if (ev.thread != kMainThread) continue;
    // Only a few kinds matter here; the rest pass by.
    if (ev.kind == EventKind::PhaseEnter) {
      phase = as<record::PhaseEnter>(ev).phase;
    } else if (ev.kind == EventKind::PhaseExit || ev.kind == EventKind::LoopEnd) {
      phase = Phase::Main;
    } else if (ev.kind == EventKind::CallbackEnter) {
      stack.push_back({as<record::CallbackEnter>(ev).asyncId, i, phase});
    } else if (ev.kind == EventKind::CallbackExit) {
      int64_t id = as<record::CallbackExit>(ev).asyncId;
      auto it = std::find_if(stack.rbegin(), stack.rend(), [&](const Running& r) { return r.asyncId == id; });
      if (it != stack.rend()) stack.erase(std::next(it).base(), stack.end());
    } else if (ev.kind == EventKind::Console) {
      auto console = as<record::Console>(ev);
      if (console.fd != 1) continue;
      Running at = stack.empty() ? Running{0, i, phase} : stack.back();
      const AsyncInfo* info = trace.async(at.asyncId);
      bool fromIo = info && familyOf(trace, info->trigger) == CallbackFamily::Io;
      // One console.log can print several lines.
      std::string_view text = trace.str(console.textString);
      while (!text.empty()) {
        size_t nl = text.find('\n');
        std::string_view line = text.substr(0, nl);
        out.push_back({trimmed(line), at.asyncId, at.enter, at.phase, familyOf(trace, at.asyncId), fromIo});
        if (nl == std::string_view::npos) break;
        text.remove_prefix(nl + 1);
      }
    }
  }
  return out;
}

OrderRule ruleFor(const PrintedLine& first, const PrintedLine& other) {
  const CallbackFamily a = first.family, b = other.family;
  if (a == CallbackFamily::MainScript) return OrderRule::SynchronousFirst;
  if (a == CallbackFamily::NextTick && b == CallbackFamily::Microtask) return OrderRule::NextTickBeforePromises;
  if (isDrain(a) && (isLoopCallback(b) || b == CallbackFamily::Other)) return OrderRule::DrainsBetweenCallbacks;
  if (a == CallbackFamily::Immediate && b == CallbackFamily::Timer && first.scheduledFromIo && other.scheduledFromIo)
    return OrderRule::CheckBeforeTimersAfterIo;
  if (a == CallbackFamily::Timer && b == CallbackFamily::Immediate && !first.scheduledFromIo && !other.scheduledFromIo)
    return OrderRule::TopLevelTimeoutFirst;
  if (a == b && a == CallbackFamily::Timer) return OrderRule::TimersByDueTime;
  if (a == b) return OrderRule::QueueFirstInFirstOut;
  if (a == CallbackFamily::Io && b == CallbackFamily::Immediate) return OrderRule::PollBeforeCheck;
  return OrderRule::PhaseOrder;
}

std::string_view ruleSentence(OrderRule rule) {
  switch (rule) {
    case OrderRule::SameOrder: return "Your order matches the run.";
    case OrderRule::NeverPrinted: return "The program never printed this line.";
    case OrderRule::SynchronousFirst:
      return "Synchronous code runs to its end before any queued callback: the main script finishes first.";
    case OrderRule::NextTickBeforePromises:
      return "The nextTick queue drains before the promise microtasks (in a CommonJS module; an ES "
             "module's body already runs as a microtask, so there promises come first).";
    case OrderRule::DrainsBetweenCallbacks:
      return "After the main script and after every callback, Node drains the nextTick queue and then "
             "the microtask queue before the event loop moves on.";
    case OrderRule::CheckBeforeTimersAfterIo:
      return "After an I/O callback (poll phase) the check phase comes next: setImmediate runs before a "
             "setTimeout(0) scheduled in the same callback, which waits for the next timers phase.";
    case OrderRule::TopLevelTimeoutFirst:
      return "At top level this Node 18 build reaches its first timers phase more than 1 ms after the "
             "script ends, so a setTimeout(0) is already due and runs before setImmediate (on "
             "faster-starting builds the order can vary).";
    case OrderRule::TimersByDueTime:
      return "Timers run in order of their due time (delay from when they were set), then in the order "
             "they were created.";
    case OrderRule::QueueFirstInFirstOut: return "Callbacks of one queue run first in, first out.";
    case OrderRule::PollBeforeCheck:
      return "Within an iteration the poll phase (I/O callbacks) comes before the check phase (setImmediate).";
    case OrderRule::PhaseOrder:
      return "Each loop iteration visits its phases in order: timers, pending, idle/prepare, poll, check, close.";
  }
  return "";
}

OrderExplanation explainFirstDifference(const Trace& trace, const std::vector<std::string>& predicted) {
  const std::vector<PrintedLine> printed = printedLines(trace);
  OrderExplanation x;
  const size_t n = std::max(printed.size(), predicted.size());
  size_t k = 0;
  while (k < n && k < printed.size() && k < predicted.size() && trimmed(predicted[k]) == printed[k].text) ++k;
  if (k == n) {
    x.sentence = std::string(ruleSentence(OrderRule::SameOrder));
    return x;
  }
  x.line = k;
  x.predicted = k < predicted.size() ? trimmed(predicted[k]) : std::string();
  if (k < printed.size()) {
    x.actual = printed[k].text;
    x.playHead = printed[k].callbackEnter;
  }
  // Where the learner's line really came (after k, as everything before k matched).
  auto later = std::find_if(printed.begin() + long(std::min(k, printed.size())), printed.end(),
                            [&](const PrintedLine& p) { return p.text == x.predicted; });
  if (k >= printed.size() || later == printed.end()) {
    x.rule = OrderRule::NeverPrinted;
  } else {
    x.rule = ruleFor(printed[k], *later);
  }
  x.sentence = std::string(ruleSentence(x.rule));
  return x;
}

}  // namespace loopscope
