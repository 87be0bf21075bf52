// V8 and JavaScript probes: the native functions the probe script (probe.js) calls from its
// async_hooks and stream/console patches, and V8's GC and microtask callbacks.
#pragma once

#include <v8.h>

namespace node {
class Environment;
}

#include <string>

namespace loopscope::jsprobes {

// Adds the GC and microtask callbacks to the isolate.
void installV8Callbacks(v8::Isolate* isolate);
void removeV8Callbacks(v8::Isolate* isolate);
// Records V8's heap as it is before the program runs (HeapUsage): until the first GC, the only
// reading of it.
void recordHeapAtStart(v8::Isolate* isolate);
// The object holding the native probe functions, handed to probe.js.
v8::Local<v8::Object> makeBinding(v8::Isolate* isolate, v8::Local<v8::Context> context);

// "TypeError at file:line:col: message" for the first error nothing caught, "" if none.
const std::string& firstUncaughtError();

// Makes the probe functions available to Workers as process._linkedBinding('loopscope'), and
// lets probe.js ask for the file Workers preload to install the probes on their own thread
// (written to the run's private directory when the first Worker starts).
void registerForWorkers(node::Environment* env);

// Takes a heap snapshot now (main thread) and records objects and bytes per constructor.
void takeHeapSnapshot(v8::Isolate* isolate, const std::string& label);

}  // namespace loopscope::jsprobes
