#include "interpret/attribution.h"

#include "interpret/records.h"

namespace loopscope {

bool isInternalScript(std::string_view script) {
  if (script.starts_with("node:") || script.starts_with("internal/")) return true;
  // Workers preload the probe from a file the engine writes; its name says what it is.
  return script.find("loopscope-worker-probe") != std::string_view::npos;
}

bool isInternalCallback(const Trace& trace, int64_t asyncId) {
  if (asyncId == 1) return false;
  const AsyncInfo* info = trace.async(asyncId);
  const FunctionSiteInfo* site = info ? trace.site(info->site) : nullptr;
  return site && isInternalScript(site->script);
}

int64_t callbackOf(const Event& ev) {
  return std::visit(
      overloaded{
          [](const record::CallbackEnter& r) { return r.asyncId; },
          [](const record::CallbackExit& r) { return r.asyncId; }, [](const record::AsyncInit& r) { return r.asyncId; },
          [](const record::TimerScheduled& r) { return r.asyncId; },
          [](const record::TimerCleared& r) { return r.asyncId; },
          [](const record::ImmediateScheduled& r) { return r.asyncId; },
          [](const record::ImmediateCleared& r) { return r.asyncId; },
          [](const record::TickScheduled& r) { return r.asyncId; },
          [](const record::MicrotaskQueued& r) { return r.asyncId; },
          [](const record::HandleActive& r) { return r.asyncId; },
          [](const record::HandleClosed& r) { return r.asyncId; },
          [](const auto&) { return int64_t(0); },  // records about no one callback
      },
      decode(ev));
}

bool isInternalEvent(const Trace& trace, const Event& ev) {
  int64_t id = callbackOf(ev);
  return id != 0 && isInternalCallback(trace, id);
}

}  // namespace loopscope
