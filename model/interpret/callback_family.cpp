#include "interpret/callback_family.h"

namespace loopscope {

CallbackFamily callbackFamily(std::string_view type) {
  if (type == "main") return CallbackFamily::MainScript;
  if (type == "Timeout") return CallbackFamily::Timer;
  if (type == "Immediate") return CallbackFamily::Immediate;
  if (type == "TickObject") return CallbackFamily::NextTick;
  if (type == "PROMISE" || type == "Microtask") return CallbackFamily::Microtask;
  if (type.empty()) return CallbackFamily::Other;
  // Close callbacks have no async_hooks type of their own; the engine reports what is closing.
  if (type.find("CLOSE") != std::string_view::npos || type == "close") return CallbackFamily::Close;
  return CallbackFamily::Io;  // FSREQCALLBACK, TCPWRAP, GETADDRINFOREQWRAP, ...
}

Phase homePhase(CallbackFamily family) {
  switch (family) {
    case CallbackFamily::Timer: return Phase::Timers;
    case CallbackFamily::Immediate: return Phase::Check;
    case CallbackFamily::Io: return Phase::Poll;
    case CallbackFamily::Close: return Phase::Close;
    case CallbackFamily::MainScript:
    case CallbackFamily::NextTick:
    case CallbackFamily::Microtask:
    case CallbackFamily::Other: return Phase::Main;
  }
  return Phase::Main;
}

}  // namespace loopscope
