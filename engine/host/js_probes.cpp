#include "js_probes.h"

#include "interpret/heap_graph.h"

#include <node.h>

#include <algorithm>
#include <atomic>
#include <cmath>
#include <mutex>
#include <string>
#include <unordered_map>
#include <vector>

#include <v8-profiler.h>

#include "control.h"
#include "probe_js.h"
#include "probes.h"
#include "temp_files.h"
#include "trace/recorder.h"

namespace loopscope {
namespace rec = recorder;
using v8::FunctionCallbackInfo;
using v8::Isolate;
using v8::Local;
using v8::Value;

namespace {

// --- per-thread state (the main thread and each Worker run their own JavaScript) ---------------

thread_local int64_t lastInit = 0;              // asyncId of the newest async resource
thread_local std::string_view pendingPoolKind;  // work kind implied by the newest crypto request
thread_local int64_t pendingPoolAsyncId = 0;
thread_local bool zlibSeen = false;
thread_local int64_t callbacksSinceDrain = 0;
std::string uncaughtSummary;  // main thread only: a Worker's uncaught error does not end the run

// Function sites are keyed by where the function is defined, so a closure created a million
// times is described once. Ids are unique across threads.
thread_local std::unordered_map<uint64_t, int64_t> siteIds;
std::atomic<int64_t> nextSiteId{1};

uint8_t thread() { return probes::currentThread(); }

// Each isolate numbers its async resources from 1; a Worker's ids get its thread number in the
// high bits so that they never collide with the main thread's (Trace looks them up by id).
constexpr int kWorkerIdShift = 40;
int64_t globalAsyncId(int64_t id) {
  uint8_t t = thread();
  return t == kMainThread || id <= 0 ? id : (int64_t(t) << kWorkerIdShift) | id;
}

std::string toUtf8(Isolate* isolate, Local<Value> value) {
  v8::String::Utf8Value utf8(isolate, value);
  return *utf8 ? std::string(*utf8, size_t(utf8.length())) : std::string();
}

int64_t intArg(const FunctionCallbackInfo<Value>& info, int i) {
  Local<Value> v = info[i];
  if (v->IsInt32()) return v.As<v8::Int32>()->Value();
  if (v->IsNumber()) return int64_t(v.As<v8::Number>()->Value());
  return 0;
}

// `describe` gives the site's name and script name; it runs only the first time a site is seen,
// since asking V8 for names costs more than everything else here.
// A function defined at a position, a call made at it and a promise made there are different sites.
enum class SiteKind : uint64_t { Function = 0, Call = 1, Promise = 2 };

template <typename Describe>
int64_t siteFor(Isolate* isolate, int scriptId, int line, int column, SiteKind kind, Describe&& describe) {
  uint64_t key = (uint64_t(kind) << 62) ^ (uint64_t(uint32_t(scriptId)) << 40) ^ (uint64_t(uint32_t(line)) << 20) ^
                 uint64_t(uint32_t(column));
  auto it = siteIds.find(key);
  if (it != siteIds.end()) return it->second;
  int64_t id = nextSiteId.fetch_add(1);
  siteIds.emplace(key, id);
  auto [name, scriptName] = describe();
  std::string fnName = name.IsEmpty() ? "" : toUtf8(isolate, name);
  if (fnName.empty()) fnName = "(anonymous)";
  int64_t nameId = rec::intern(fnName);
  int64_t scriptId64 = scriptName.IsEmpty() ? 0 : rec::intern(toUtf8(isolate, scriptName));
  rec::record(EventKind::FunctionSite, thread(), id, nameId, scriptId64, line, column);
  return id;
}

// Where a function is defined (1-based line and column), 0 if it is not a function.
int64_t siteOfFunction(Isolate* isolate, Local<Value> value) {
  if (!value->IsFunction()) return 0;
  Local<v8::Function> fn = value.As<v8::Function>();
  for (int depth = 0; depth < 4; ++depth) {  // bound functions: describe their target
    Local<Value> target = fn->GetBoundFunction();
    if (!target->IsFunction()) break;
    fn = target.As<v8::Function>();
  }
  int line = fn->GetScriptLineNumber();
  int column = fn->GetScriptColumnNumber();
  if (line == v8::Function::kLineOffsetNotFound) return 0;
  return siteFor(isolate, fn->ScriptId(), line + 1, column + 1, SiteKind::Function, [&] {
    return std::pair<Local<Value>, Local<Value>>(fn->GetDebugName(), fn->GetScriptOrigin().ResourceName());
  });
}

// Where the user's code made a request: the innermost frame of the user's own code on the
// stack, named after the Node API it called (the outermost node: frame above it, e.g. "readFile").
int64_t siteOfCaller(Isolate* isolate) {
  Local<v8::StackTrace> stack = v8::StackTrace::CurrentStackTrace(isolate, 12);
  Local<v8::String> api;
  for (int i = 0; i < stack->GetFrameCount(); ++i) {
    Local<v8::StackFrame> frame = stack->GetFrame(isolate, i);
    Local<v8::String> script = frame->GetScriptName();
    if (script.IsEmpty()) continue;
    std::string name = toUtf8(isolate, script);
    if (name.rfind("node:", 0) == 0 || name.empty()) {
      Local<v8::String> fn = frame->GetFunctionName();
      if (!fn.IsEmpty() && fn->Length() > 0) api = fn;
      continue;
    }
    return siteFor(isolate, frame->GetScriptId(), frame->GetLineNumber(), frame->GetColumn(), SiteKind::Call, [&] {
      Local<v8::String> fnName = api.IsEmpty() ? frame->GetFunctionName() : api;
      return std::pair<Local<Value>, Local<Value>>(fnName.IsEmpty() ? Local<Value>() : Local<Value>(fnName), script);
    });
  }
  return 0;
}

// Pool work that reaches uv_queue_work comes from these async resource types.
std::string_view poolKindForType(std::string_view type) {
  if (type == "PBKDF2REQUEST") return "crypto.pbkdf2";
  if (type == "SCRYPTREQUEST") return "crypto.scrypt";
  if (type == "RANDOMBYTESREQUEST") return "crypto.randomBytes";
  if (type == "RANDOMPRIMEREQUEST") return "crypto.generatePrime";
  if (type == "CHECKPRIMEREQUEST") return "crypto.checkPrime";
  if (type == "KEYPAIRGENREQUEST") return "crypto.generateKeyPair";
  if (type == "KEYGENREQUEST") return "crypto.generateKey";
  if (type == "HASHREQUEST") return "crypto.hash";
  if (type == "HKDFREQUEST") return "crypto.hkdf";
  if (type == "SIGNREQUEST") return "crypto.sign";
  if (type == "CIPHERREQUEST") return "crypto.cipher";
  if (type == "DERIVEBITSREQUEST") return "crypto.deriveBits";
  if (type == "KEYEXPORTREQUEST") return "crypto.exportKey";
  if (type == "ZLIB") return "zlib";
  return {};
}

thread_local std::unordered_map<int64_t, std::string_view> poolKindByTypeId;

// Requests made by Node itself while finishing an earlier one (fs.readFile's open, stat, read,
// close) have no user frame on the stack: they take the site of the request that triggered them.
thread_local std::unordered_map<int64_t, int64_t> requestSites;

int64_t siteOfRequest(Isolate* isolate, int64_t asyncId, int64_t triggerAsyncId) {
  int64_t site = siteOfCaller(isolate);
  if (site == 0) {
    auto inherited = requestSites.find(triggerAsyncId);
    if (inherited != requestSites.end()) site = inherited->second;
  }
  if (site != 0) {
    if (requestSites.size() > 1'000'000) requestSites.clear();  // long runs: forget old requests
    requestSites[asyncId] = site;
  }
  return site;
}

// --- promise sites: which .then/.catch/.finally or await made a promise reaction ---------------
//
// A promise's reaction is created while the code that asked for it is still on the stack: the
// innermost frame of the learner's code is the `.then(...)` call or the `await`. Its position
// is V8's own; the word the script holds there tells a `.then` call from an `await` (V8 puts an
// await's position on the `await` keyword or on the awaited expression, right after it).

// The scripts' text, kept per script so a word can be read at a line and column (UTF-16, as
// V8 counts columns). Only the learner's scripts are read, each once.
struct ScriptText {
  std::u16string text;
  std::vector<size_t> lineStarts;  // offset of each line's first character
};
thread_local std::unordered_map<int, ScriptText> scriptTexts;

const ScriptText& scriptTextOf(Isolate* isolate, Local<v8::StackFrame> frame) {
  auto [it, fresh] = scriptTexts.try_emplace(frame->GetScriptId());
  if (!fresh) return it->second;
  ScriptText& script = it->second;
  Local<v8::String> source = frame->GetScriptSource();
  if (source.IsEmpty()) return script;
  script.text.resize(size_t(source->Length()));
  source->Write(isolate, reinterpret_cast<uint16_t*>(script.text.data()), 0, source->Length(),
                v8::String::NO_NULL_TERMINATION);
  script.lineStarts.push_back(0);
  for (size_t i = 0; i < script.text.size(); ++i)
    if (script.text[i] == u'\n') script.lineStarts.push_back(i + 1);
  return script;
}

bool isIdentifierChar(char16_t c) {
  return (c >= u'a' && c <= u'z') || (c >= u'A' && c <= u'Z') || (c >= u'0' && c <= u'9') || c == u'_' || c == u'$';
}

bool isBlank(char16_t c) { return c == u' ' || c == u'\t' || c == u'\n' || c == u'\r'; }

// The identifier that starts at `at`; ASCII only, a few letters are enough.
std::string wordAt(const std::u16string& t, size_t at) {
  std::string word;
  for (size_t i = at; i < t.size() && isIdentifierChar(t[i]) && word.size() < 16; ++i) word += char(t[i]);
  return word;
}

// Whether the expression that starts at `at` is the operand of an `await`: walks back over a
// member chain (`await fs.promises.readFile(...)` points at readFile) and a `new`.
bool followsAwait(const std::u16string& t, size_t at) {
  size_t pos = at;
  for (int steps = 0; steps < 32; ++steps) {
    while (pos > 0 && isBlank(t[pos - 1])) --pos;
    if (pos > 0 && t[pos - 1] == u'.') {
      --pos;
      if (pos > 0 && t[pos - 1] == u'?') --pos;
      while (pos > 0 && isBlank(t[pos - 1])) --pos;
      while (pos > 0 && isIdentifierChar(t[pos - 1])) --pos;
      continue;
    }
    size_t end = pos;
    while (pos > 0 && isIdentifierChar(t[pos - 1]) && end - pos < 16) --pos;
    std::string before = wordAt(t, pos);
    if (before == "new") continue;
    return before == "await";
  }
  return false;
}

// ".then handler", "after await in main", or "" when the position is not one of those (a
// promise made by Promise.resolve, new Promise, an async function's own promise, ...).
std::string reactionLabel(Isolate* isolate, Local<v8::StackFrame> frame) {
  const ScriptText& script = scriptTextOf(isolate, frame);
  size_t line = size_t(frame->GetLineNumber()), column = size_t(frame->GetColumn());
  if (line == 0 || column == 0 || line > script.lineStarts.size()) return {};
  size_t at = script.lineStarts[line - 1] + column - 1;
  if (at >= script.text.size()) return {};
  // V8 puts a call at its method's name (`.then(`) or, in a chain split over lines, at the
  // opening parenthesis (`  .catch(`): the word there or the one just before it.
  std::string word = wordAt(script.text, at);
  if (word.empty() && script.text[at] == u'(') {
    size_t end = at;
    while (end > 0 && isBlank(script.text[end - 1])) --end;
    size_t begin = end;
    while (begin > 0 && isIdentifierChar(script.text[begin - 1]) && end - begin < 16) --begin;
    word = wordAt(script.text, begin);
  }
  if (word == "then" || word == "catch" || word == "finally") return "." + word + " handler";
  if (word == "await" || followsAwait(script.text, at)) {
    std::string fn = toUtf8(isolate, frame->GetFunctionName());
    return fn.empty() ? std::string("after await") : "after await in " + fn;
  }
  return {};
}

// Whose code a script is, by script id, so that a stack is classified without reading names.
enum class ScriptOwner : uint8_t { Hook, Node, Learner };
thread_local std::unordered_map<int, ScriptOwner> scriptOwners;

ScriptOwner ownerOf(Isolate* isolate, Local<v8::StackFrame> frame) {
  auto [it, fresh] = scriptOwners.try_emplace(frame->GetScriptId(), ScriptOwner::Hook);
  if (fresh) {
    Local<v8::String> script = frame->GetScriptName();
    std::string name = script.IsEmpty() ? std::string() : toUtf8(isolate, script);
    // The async hook that called the probe, and the probe itself, are passed over.
    if (name.empty() || name == "node:internal/async_hooks" || name == "node:loopscope/probe")
      it->second = ScriptOwner::Hook;
    else if (name.rfind("node:", 0) == 0)
      it->second = ScriptOwner::Node;
    else
      it->second = ScriptOwner::Learner;
  }
  return it->second;
}

// Where a promise was made: the innermost frame below the hook itself. In the learner's code
// it is the `.then` call or the `await` (named as above); in Node's own code (fs.promises,
// streams, ...) it is Node's line, so the reaction is flagged as Node's (attribution.h).
int64_t siteOfPromise(Isolate* isolate) {
  // The hook's own frames (the probe's init, Node's emitInit and promiseInitHook) come first.
  Local<v8::StackTrace> stack = v8::StackTrace::CurrentStackTrace(isolate, 6);
  for (int i = 0; i < stack->GetFrameCount(); ++i) {
    Local<v8::StackFrame> frame = stack->GetFrame(isolate, i);
    const ScriptOwner owner = ownerOf(isolate, frame);
    if (owner == ScriptOwner::Hook) continue;
    return siteFor(isolate, frame->GetScriptId(), frame->GetLineNumber(), frame->GetColumn(), SiteKind::Promise, [&] {
      std::string label = owner == ScriptOwner::Node ? std::string() : reactionLabel(isolate, frame);
      Local<Value> fnName = label.empty()
                                ? Local<Value>(frame->GetFunctionName())
                                : Local<Value>(v8::String::NewFromUtf8(isolate, label.c_str()).ToLocalChecked());
      return std::pair<Local<Value>, Local<Value>>(fnName, frame->GetScriptName());
    });
  }
  return 0;
}

// Capturing a stack for each promise costs more than the rest of the hook (about 10 µs once V8
// has optimized the code that makes them: its frames must be translated back), so a run keeps
// full detail for the first kPromiseSiteBudget promises of each thread (far more than the
// snippets people teach with make) and records the later ones without a site, saying so.
constexpr int64_t kPromiseSiteBudget = 10'000;
thread_local int64_t promiseSitesLeft = kPromiseSiteBudget;

// A promise made with no JavaScript frame on the stack (inside V8's own Promise.prototype.finally
// machinery, run as a microtask) was made on behalf of the one that triggered it.
thread_local std::unordered_map<int64_t, int64_t> promiseSites;

int64_t siteOfPromiseWithinBudget(Isolate* isolate, int64_t asyncId, int64_t triggerAsyncId) {
  if (promiseSitesLeft > 0) {
    --promiseSitesLeft;
    int64_t site = siteOfPromise(isolate);
    if (site == 0) {
      auto trigger = promiseSites.find(triggerAsyncId);
      if (trigger != promiseSites.end()) site = trigger->second;
    }
    if (site != 0) promiseSites[asyncId] = site;  // at most kPromiseSiteBudget entries
    return site;
  }
  if (promiseSitesLeft == 0) {
    --promiseSitesLeft;
    std::string where = thread() == kMainThread ? "the main thread" : "a worker thread";
    rec::record(EventKind::Meta, thread(), rec::intern("promise sites"),
                rec::intern("recorded for the first " + std::to_string(kPromiseSiteBudget) + " promises of " + where +
                            "; later promise reactions carry no line"));
  }
  return 0;
}

// --- the native functions probe.js calls ------------------------------------------------------

void Intern(const FunctionCallbackInfo<Value>& info) {
  std::string text = toUtf8(info.GetIsolate(), info[0]);
  int64_t id = rec::intern(text);
  poolKindByTypeId[id] = poolKindForType(text);
  info.GetReturnValue().Set(double(id));
}

// timer(asyncId, triggerAsyncId, fn, delayMs, repeat)
void Timer(const FunctionCallbackInfo<Value>& info) {
  int64_t id = globalAsyncId(intArg(info, 0));
  lastInit = id;
  rec::record(EventKind::TimerScheduled, thread(), id, globalAsyncId(intArg(info, 1)),
              siteOfFunction(info.GetIsolate(), info[2]), intArg(info, 3), intArg(info, 4));
}

// scheduled(kind, asyncId, triggerAsyncId, fn) for immediates, ticks and queueMicrotask
void Scheduled(const FunctionCallbackInfo<Value>& info) {
  int64_t id = globalAsyncId(intArg(info, 1));
  lastInit = id;
  rec::record(EventKind(intArg(info, 0)), thread(), id, globalAsyncId(intArg(info, 2)),
              siteOfFunction(info.GetIsolate(), info[3]));
}

// init(asyncId, triggerAsyncId, typeId, withSite)
void Init(const FunctionCallbackInfo<Value>& info) {
  int64_t id = globalAsyncId(intArg(info, 0));
  int64_t typeId = intArg(info, 2);
  lastInit = id;
  int64_t trigger = globalAsyncId(intArg(info, 1));
  int64_t site = info[3]->IsTrue() ? siteOfRequest(info.GetIsolate(), id, trigger) : 0;
  rec::record(EventKind::AsyncInit, thread(), id, trigger, typeId, site);
  auto kind = poolKindByTypeId.find(typeId);
  if (kind != poolKindByTypeId.end() && !kind->second.empty()) {
    if (kind->second == "zlib") {
      zlibSeen = true;
    } else {
      pendingPoolKind = kind->second;
      pendingPoolAsyncId = id;
    }
  }
}

// promise(asyncId, triggerAsyncId, typeId)
void PromiseInit(const FunctionCallbackInfo<Value>& info) {
  int64_t id = globalAsyncId(intArg(info, 0));
  int64_t trigger = globalAsyncId(intArg(info, 1));
  lastInit = id;
  rec::record(EventKind::AsyncInit, thread(), id, trigger, intArg(info, 2),
              siteOfPromiseWithinBudget(info.GetIsolate(), id, trigger));
}

void Before(const FunctionCallbackInfo<Value>& info) {
  uint8_t t = thread();
  int64_t id = globalAsyncId(intArg(info, 0));
  if (t == kMainThread) control::beforeCallback(id);  // step mode drives the main loop
  ++callbacksSinceDrain;
  rec::record(EventKind::CallbackEnter, t, id);
}

void After(const FunctionCallbackInfo<Value>& info) {
  rec::record(EventKind::CallbackExit, thread(), globalAsyncId(intArg(info, 0)));
}

void Resolve(const FunctionCallbackInfo<Value>& info) {
  rec::record(EventKind::PromiseResolve, thread(), globalAsyncId(intArg(info, 0)));
}

// mainBody(starts): the main module's own code starts (1) or returned (0)
void MainBody(const FunctionCallbackInfo<Value>& info) {
  rec::record(EventKind::MainScriptBody, thread(), info[0]->IsTrue() ? 1 : 0);
}

// builtinLoad(starts, id): Node compiles and runs one of its own modules
void BuiltinLoad(const FunctionCallbackInfo<Value>& info) {
  int64_t idString = info[1]->IsString() ? rec::intern(toUtf8(info.GetIsolate(), info[1])) : 0;
  rec::record(EventKind::BuiltinModuleLoad, thread(), info[0]->IsTrue() ? 1 : 0, idString);
}

// cleared(kind, asyncId)
void Cleared(const FunctionCallbackInfo<Value>& info) {
  rec::record(EventKind(intArg(info, 0)), thread(), globalAsyncId(intArg(info, 1)));
}

// streamCreated(streamId, constructorName)
void StreamCreated(const FunctionCallbackInfo<Value>& info) {
  int64_t nameId = rec::intern(toUtf8(info.GetIsolate(), info[1]));
  rec::record(EventKind::StreamCreated, thread(), intArg(info, 0), nameId, siteOfCaller(info.GetIsolate()));
}

// stream(streamId, event, buffered, highWaterMark, side)
void Stream(const FunctionCallbackInfo<Value>& info) {
  rec::record(EventKind::StreamState, thread(), intArg(info, 0), intArg(info, 1), intArg(info, 2), intArg(info, 3),
              intArg(info, 4));
}

// console(fd, text)
void Console(const FunctionCallbackInfo<Value>& info) {
  int64_t textId = rec::freshString(toUtf8(info.GetIsolate(), info[1]));
  rec::record(EventKind::Console, thread(), intArg(info, 0), textId);
}

// childSpawn(pid, command)
void ChildSpawn(const FunctionCallbackInfo<Value>& info) {
  int64_t command = rec::intern(toUtf8(info.GetIsolate(), info[1]));
  rec::record(EventKind::ChildSpawn, thread(), intArg(info, 0), command, siteOfCaller(info.GetIsolate()));
}

// childExit(pid, code, signal)
void ChildExit(const FunctionCallbackInfo<Value>& info) {
  rec::record(EventKind::ChildExit, thread(), intArg(info, 0), intArg(info, 1),
              rec::intern(toUtf8(info.GetIsolate(), info[2])));
}

// ipc(pid, direction, bytes)
void Ipc(const FunctionCallbackInfo<Value>& info) {
  rec::record(EventKind::IpcMessage, thread(), intArg(info, 0), intArg(info, 1), intArg(info, 2));
}

// shapeCheck(label, same, fastA, fastB): the natives-syntax results probe.js computed.
void ShapeCheck(const FunctionCallbackInfo<Value>& info) {
  rec::record(EventKind::ShapeCheck, thread(), rec::intern(toUtf8(info.GetIsolate(), info[0])), info[1]->IsTrue(),
              info[2]->IsTrue(), info[3]->IsTrue());
}

// listeners(emitterId, eventName, count, constructorName)
void Listeners(const FunctionCallbackInfo<Value>& info) {
  Isolate* isolate = info.GetIsolate();
  rec::record(EventKind::ListenerCount, thread(), intArg(info, 0), rec::intern(toUtf8(isolate, info[1])),
              intArg(info, 2), rec::intern(toUtf8(isolate, info[3])));
}

// heapSnapshot(label): takes a V8 heap snapshot and records objects and bytes per constructor.
void HeapSnapshot(const FunctionCallbackInfo<Value>& info) {
  jsprobes::takeHeapSnapshot(info.GetIsolate(), toUtf8(info.GetIsolate(), info[0]));
}

// workerThread(threadId): numbers the calling Worker after Node's own threadId.
void WorkerThread(const FunctionCallbackInfo<Value>& info) { probes::numberThisWorker(int(intArg(info, 0))); }

// posted(targetThreadId, bytes): targetThreadId is Node's threadId (0 = main, -1 = unknown).
void Posted(const FunctionCallbackInfo<Value>& info) {
  int64_t target = intArg(info, 0);
  int64_t thread = target == 0                                                         ? kMainThread
                   : target > 0 && kFirstWorkerThread - 1 + target <= kMaxWorkerThread ? kFirstWorkerThread - 1 + target
                                                                                       : kOtherThread;
  rec::record(EventKind::MessagePosted, probes::currentThread(), thread, intArg(info, 1));
}

// uncaught(error, handled): message, location and name of an error no try/catch caught. When an
// 'uncaughtException' listener handled it the program goes on, so it is recorded but is not the
// error the run stopped on.
void Uncaught(const FunctionCallbackInfo<Value>& info) {
  Isolate* isolate = info.GetIsolate();
  Local<v8::Context> context = isolate->GetCurrentContext();
  Local<v8::Message> message = v8::Exception::CreateMessage(isolate, info[0]);
  std::string text = toUtf8(isolate, message->Get());
  std::string script = toUtf8(isolate, message->GetScriptResourceName());
  int line = message->GetLineNumber(context).FromMaybe(0);
  int column = message->GetStartColumn(context).FromMaybe(-1) + 1;
  std::string name;
  if (info[0]->IsObject()) {
    Local<Value> n;
    if (info[0].As<v8::Object>()->Get(context, v8::String::NewFromUtf8Literal(isolate, "name")).ToLocal(&n))
      name = toUtf8(isolate, n);
  }
  // V8's text reads "Uncaught TypeError: msg"; the name is recorded on its own.
  if (text.rfind("Uncaught ", 0) == 0) text.erase(0, 9);
  if (!name.empty() && text.rfind(name + ": ", 0) == 0) text.erase(0, name.size() + 2);
  rec::record(EventKind::UncaughtError, thread(), rec::intern(text), rec::intern(script), line, column,
              rec::intern(name));
  bool handled = info[1]->IsTrue();
  if (!handled && uncaughtSummary.empty() && thread() == kMainThread) {
    uncaughtSummary = (name.empty() ? "error" : name) + " at " + script;
    if (line > 0) uncaughtSummary += ":" + std::to_string(line) + ":" + std::to_string(column);
    uncaughtSummary += ": " + text;
  }
}

// workerProbePath(): the file Workers preload (--require) to install the probes on their own
// thread: probe.js plus the call that installs it with the linked binding. Written when the first
// Worker starts, so runs without Workers leave no file anywhere; "" if it could not be written
// (Workers then run unprobed; their loops are still traced).
std::mutex workerProbeMutex;
bool workerProbeTried = false;
std::string workerProbeFile;
bool workersProbed = false;  // set before any Worker exists

void WorkerProbePath(const FunctionCallbackInfo<Value>& info) {
  std::lock_guard lock(workerProbeMutex);  // Workers can start Workers
  if (!workerProbeTried) {
    workerProbeTried = true;
    std::string source = std::string(k_probe_js) +
                         "\ninstallProbes(process._linkedBinding('loopscope'), require, process, { worker: true });\n";
    std::string problem;
    workerProbeFile = tempfiles::createPrivateFile("worker-probe.js", source, problem);
  }
  info.GetReturnValue().Set(v8::String::NewFromUtf8(info.GetIsolate(), workerProbeFile.c_str()).ToLocalChecked());
}

// --- wrap(): how probe.js observes Node's methods without showing ------------------------------

// Calls an observer with the same receiver; what it throws is dropped (observing must never change
// what the program does), except V8's termination (--timeout, stop), which must go on unwinding.
bool callObserver(Isolate* isolate, Local<v8::Context> context, Local<Value> observer, Local<Value> receiver,
                  std::vector<Local<Value>>& args) {
  v8::TryCatch tryCatch(isolate);
  v8::MaybeLocal<Value> ignored = observer.As<v8::Function>()->Call(context, receiver, int(args.size()), args.data());
  (void)ignored;
  if (tryCatch.HasTerminated()) {
    tryCatch.ReThrow();
    return false;
  }
  return true;
}

// The wrapper's body: data = [original, before, after, names].
void CallWrapped(const FunctionCallbackInfo<Value>& info) {
  Isolate* isolate = info.GetIsolate();
  Local<v8::Context> context = isolate->GetCurrentContext();
  Local<v8::Array> data = info.Data().As<v8::Array>();
  Local<Value> original, before, after, names;
  if (!data->Get(context, 0).ToLocal(&original) || !data->Get(context, 1).ToLocal(&before) ||
      !data->Get(context, 2).ToLocal(&after) || !data->Get(context, 3).ToLocal(&names))
    return;
  std::vector<Local<Value>> args(size_t(info.Length()));
  for (int i = 0; i < info.Length(); ++i) args[size_t(i)] = info[i];
  Local<Value> receiver = info.This();

  // `names`: the before-observer only wants calls whose first argument is one of them (emit's
  // event names), so every other call costs one comparison here rather than a call into JS.
  bool wanted = before->IsFunction();
  if (wanted && names->IsArray()) {
    wanted = false;
    Local<v8::Array> list = names.As<v8::Array>();
    Local<Value> first = args.empty() ? Local<Value>(v8::Undefined(isolate)) : args[0];
    for (uint32_t i = 0; i < list->Length() && !wanted; ++i) {
      Local<Value> name;
      wanted = list->Get(context, i).ToLocal(&name) && name->StrictEquals(first);
    }
  }
  if (wanted && !callObserver(isolate, context, before, receiver, args)) return;

  Local<Value> result;
  if (!original.As<v8::Function>()->Call(context, receiver, int(args.size()), args.data()).ToLocal(&result))
    return;  // the original threw: the exception goes on to the caller untouched
  if (after->IsFunction()) {
    args.insert(args.begin(), result);
    if (!callObserver(isolate, context, after, receiver, args)) return;
  }
  info.GetReturnValue().Set(result);
}

// wrap(original, before, after, names): a function that does what `original` does (same receiver,
// arguments, result and exceptions, same name and length) after calling before(...args) and
// before returning calls after(result, ...args). It is a native function, so V8 leaves it out of
// Error stacks: a user's listener or _write sees exactly Node's frames, as under node.
void Wrap(const FunctionCallbackInfo<Value>& info) {
  Isolate* isolate = info.GetIsolate();
  Local<v8::Context> context = isolate->GetCurrentContext();
  if (!info[0]->IsFunction()) {
    info.GetReturnValue().Set(info[0]);
    return;
  }
  Local<v8::Function> original = info[0].As<v8::Function>();
  Local<v8::Array> data = v8::Array::New(isolate, 4);
  for (uint32_t i = 0; i < 4; ++i)
    if (data->Set(context, i, info[int(i)]).IsNothing()) return;
  int length = 0;
  Local<Value> lengthValue;
  if (original->Get(context, v8::String::NewFromUtf8Literal(isolate, "length")).ToLocal(&lengthValue) &&
      lengthValue->IsInt32())
    length = std::max(0, lengthValue.As<v8::Int32>()->Value());
  Local<v8::FunctionTemplate> tmpl = v8::FunctionTemplate::New(isolate, CallWrapped, data, Local<v8::Signature>(),
                                                               length, v8::ConstructorBehavior::kThrow);
  Local<v8::Function> wrapper;
  if (!tmpl->GetFunction(context).ToLocal(&wrapper)) return;
  Local<Value> name = original->GetName();
  if (name->IsString()) wrapper->SetName(name.As<v8::String>());
  info.GetReturnValue().Set(wrapper);
}

// --- V8 callbacks ---------------------------------------------------------------------------

void OnGcPrologue(Isolate*, v8::GCType type, v8::GCCallbackFlags) {
  rec::record(EventKind::GcBegin, thread(), int64_t(type));
}

// Bytes used in V8's spaces now, as GcEnd and HeapUsage record them.
struct UsedSpaces {
  int64_t newSpace = 0, oldSpace = 0, codeSpace = 0, mapSpace = 0, largeObjects = 0;
};

UsedSpaces usedSpaces(Isolate* isolate) {
  UsedSpaces used;
  v8::HeapSpaceStatistics s;
  for (size_t i = 0; i < isolate->NumberOfHeapSpaces(); ++i) {
    if (!isolate->GetHeapSpaceStatistics(&s, i)) continue;
    std::string_view name = s.space_name();
    auto bytes = int64_t(s.space_used_size());
    if (name == "new_space")
      used.newSpace = bytes;
    else if (name == "old_space")
      used.oldSpace = bytes;
    else if (name == "code_space")
      used.codeSpace = bytes;
    else if (name == "map_space")
      used.mapSpace = bytes;
    else if (name == "large_object_space" || name == "new_large_object_space" || name == "code_large_object_space")
      used.largeObjects += bytes;
  }
  return used;
}

void OnGcEpilogue(Isolate* isolate, v8::GCType type, v8::GCCallbackFlags) {
  const UsedSpaces used = usedSpaces(isolate);
  rec::record(EventKind::GcEnd, thread(), int64_t(type), used.newSpace, used.oldSpace, used.codeSpace, used.mapSpace,
              used.largeObjects);
}

// Atomics.wait on the main thread blocks the whole loop; V8 reports its start and its end.
void OnAtomicsWait(Isolate::AtomicsWaitEvent event, Local<v8::SharedArrayBuffer>, size_t offset, int64_t value,
                   double timeoutMs, Isolate::AtomicsWaitWakeHandle*, void*) {
  if (event == Isolate::AtomicsWaitEvent::kStartWait) {
    int64_t timeoutMicros = std::isfinite(timeoutMs) ? int64_t(timeoutMs * 1000) : -1;
    rec::record(EventKind::AtomicsWaitStart, thread(), int64_t(offset), value, timeoutMicros);
    return;
  }
  AtomicsWaitResult result = AtomicsWaitResult::Stopped;
  switch (event) {
    case Isolate::AtomicsWaitEvent::kWokenUp: result = AtomicsWaitResult::Woken; break;
    case Isolate::AtomicsWaitEvent::kTimedOut: result = AtomicsWaitResult::TimedOut; break;
    case Isolate::AtomicsWaitEvent::kNotEqual: result = AtomicsWaitResult::NotEqual; break;
    case Isolate::AtomicsWaitEvent::kTerminatedExecution: result = AtomicsWaitResult::Terminated; break;
    default: break;
  }
  rec::record(EventKind::AtomicsWaitEnd, thread(), int64_t(result));
}

// V8 calls this after every microtask checkpoint, also empty ones; only checkpoints that follow
// a callback are worth an event.
void OnMicrotasksCompleted(Isolate*, void*) {
  if (callbacksSinceDrain == 0) return;
  callbacksSinceDrain = 0;
  rec::record(EventKind::MicrotaskDrainEnd, thread());
}

void setMethod(Isolate* isolate, Local<v8::Context> context, Local<v8::Object> target, const char* name,
               v8::FunctionCallback callback) {
  Local<v8::Function> fn = v8::FunctionTemplate::New(isolate, callback)->GetFunction(context).ToLocalChecked();
  target->Set(context, v8::String::NewFromUtf8(isolate, name).ToLocalChecked(), fn).Check();
}

}  // namespace

namespace probes {
int64_t lastInitAsyncId() { return lastInit; }
std::pair<std::string_view, int64_t> pendingQueueWorkKind() {
  if (!pendingPoolKind.empty()) {
    auto kind = std::exchange(pendingPoolKind, std::string_view());
    return {kind, std::exchange(pendingPoolAsyncId, 0)};
  }
  return {zlibSeen ? "zlib" : "work", 0};
}
}  // namespace probes

namespace jsprobes {

void installV8Callbacks(Isolate* isolate) {
  isolate->AddGCPrologueCallback(OnGcPrologue);
  isolate->AddGCEpilogueCallback(OnGcEpilogue);
  isolate->AddMicrotasksCompletedCallback(OnMicrotasksCompleted, nullptr);
  isolate->SetAtomicsWaitCallback(OnAtomicsWait, nullptr);
}

void recordHeapAtStart(Isolate* isolate) {
  const UsedSpaces used = usedSpaces(isolate);
  rec::record(EventKind::HeapUsage, thread(), used.newSpace, used.oldSpace, used.codeSpace, used.mapSpace,
              used.largeObjects);
}

void removeV8Callbacks(Isolate* isolate) {
  isolate->RemoveGCPrologueCallback(OnGcPrologue);
  isolate->RemoveGCEpilogueCallback(OnGcEpilogue);
  isolate->RemoveMicrotasksCompletedCallback(OnMicrotasksCompleted, nullptr);
  isolate->SetAtomicsWaitCallback(nullptr, nullptr);
}

const std::string& firstUncaughtError() { return uncaughtSummary; }

namespace {

// V8's object graph as interpret/heap_graph.h takes it: each node's own size, its constructor
// (only objects, closures, arrays and strings are listed; V8's internals are not), and the nodes
// it keeps alive (weak and shortcut edges keep nothing alive). The dominator tree and retained
// sizes are computed there, V8-free and unit-tested on hand-made graphs.
HeapGraph graphOf(Isolate* isolate, const v8::HeapSnapshot& snapshot) {
  const int count = snapshot.GetNodesCount();
  const size_t nodes = static_cast<size_t>(count);
  std::unordered_map<v8::SnapshotObjectId, int> indexOf;
  indexOf.reserve(nodes);
  for (int i = 0; i < count; ++i) indexOf.emplace(snapshot.GetNode(i)->GetId(), i);

  HeapGraph g;
  g.selfBytes.resize(nodes);
  g.classOf.assign(nodes, -1);
  g.strongEdges.resize(nodes);
  std::unordered_map<std::string, int> classIndex;
  for (int i = 0; i < count; ++i) {
    const v8::HeapGraphNode* node = snapshot.GetNode(i);
    g.selfBytes[size_t(i)] = int64_t(node->GetShallowSize());
    for (int k = 0; k < node->GetChildrenCount(); ++k) {
      const v8::HeapGraphEdge* edge = node->GetChild(k);
      if (edge->GetType() == v8::HeapGraphEdge::kWeak || edge->GetType() == v8::HeapGraphEdge::kShortcut) continue;
      auto it = indexOf.find(edge->GetToNode()->GetId());
      if (it != indexOf.end()) g.strongEdges[size_t(i)].push_back(it->second);
    }
    auto type = node->GetType();
    if (type != v8::HeapGraphNode::kObject && type != v8::HeapGraphNode::kClosure &&
        type != v8::HeapGraphNode::kArray && type != v8::HeapGraphNode::kString)
      continue;
    std::string name = type == v8::HeapGraphNode::kString    ? "(string)"
                       : type == v8::HeapGraphNode::kArray   ? "(array)"
                       : type == v8::HeapGraphNode::kClosure ? "(closure)"
                                                             : toUtf8(isolate, node->GetName());
    auto [it, fresh] = classIndex.emplace(name, int(g.classNames.size()));
    if (fresh) g.classNames.push_back(name);
    g.classOf[size_t(i)] = it->second;
  }
  auto root = indexOf.find(snapshot.GetRoot()->GetId());
  g.root = root == indexOf.end() ? 0 : root->second;
  return g;
}

}  // namespace

void takeHeapSnapshot(Isolate* isolate, const std::string& label) {
  static std::atomic<int64_t> snapshots{0};
  v8::HandleScope scope(isolate);
  const v8::HeapSnapshot* snapshot = isolate->GetHeapProfiler()->TakeHeapSnapshot();
  if (!snapshot) return;
  int64_t objects = 0, bytes = 0;
  auto byClass = retentionByClass(graphOf(isolate, *snapshot), objects, bytes);
  const_cast<v8::HeapSnapshot*>(snapshot)->Delete();
  int64_t number = ++snapshots;
  std::vector<std::pair<std::string, ClassRetention>> rows(byClass.begin(), byClass.end());
  std::sort(rows.begin(), rows.end(), [](auto& a, auto& b) {
    return std::max(a.second.retainedBytes, a.second.selfBytes) > std::max(b.second.retainedBytes, b.second.selfBytes);
  });
  if (rows.size() > 60) rows.resize(60);  // the classes that hold most memory
  for (const auto& [name, summary] : rows)
    rec::record(EventKind::HeapClass, thread(), number, rec::intern(name), summary.objects, summary.selfBytes,
                summary.retainedBytes);
  rec::record(EventKind::HeapSnapshot, thread(), number, rec::intern(label), objects, bytes);
}

void fillBinding(Isolate* isolate, Local<v8::Context> context, Local<v8::Object> binding) {
  setMethod(isolate, context, binding, "intern", Intern);
  setMethod(isolate, context, binding, "timer", Timer);
  setMethod(isolate, context, binding, "scheduled", Scheduled);
  setMethod(isolate, context, binding, "init", Init);
  setMethod(isolate, context, binding, "promise", PromiseInit);
  setMethod(isolate, context, binding, "mainBody", MainBody);
  setMethod(isolate, context, binding, "builtinLoad", BuiltinLoad);
  setMethod(isolate, context, binding, "before", Before);
  setMethod(isolate, context, binding, "after", After);
  setMethod(isolate, context, binding, "resolve", Resolve);
  setMethod(isolate, context, binding, "cleared", Cleared);
  setMethod(isolate, context, binding, "streamCreated", StreamCreated);
  setMethod(isolate, context, binding, "stream", Stream);
  setMethod(isolate, context, binding, "console", Console);
  setMethod(isolate, context, binding, "uncaught", Uncaught);
  setMethod(isolate, context, binding, "childSpawn", ChildSpawn);
  setMethod(isolate, context, binding, "childExit", ChildExit);
  setMethod(isolate, context, binding, "ipc", Ipc);
  setMethod(isolate, context, binding, "shapeCheck", ShapeCheck);
  setMethod(isolate, context, binding, "listeners", Listeners);
  setMethod(isolate, context, binding, "heapSnapshot", HeapSnapshot);
  setMethod(isolate, context, binding, "workerThread", WorkerThread);
  setMethod(isolate, context, binding, "posted", Posted);
  setMethod(isolate, context, binding, "wrap", Wrap);
  auto constant = [&](const char* name, int value) {
    binding->Set(context, v8::String::NewFromUtf8(isolate, name).ToLocalChecked(), v8::Integer::New(isolate, value))
        .Check();
  };
  constant("IMMEDIATE", int(EventKind::ImmediateScheduled));
  constant("TICK", int(EventKind::TickScheduled));
  constant("MICROTASK", int(EventKind::MicrotaskQueued));
  constant("TIMER_CLEARED", int(EventKind::TimerCleared));
  constant("IMMEDIATE_CLEARED", int(EventKind::ImmediateCleared));
  if (workersProbed) setMethod(isolate, context, binding, "workerProbePath", WorkerProbePath);
}

Local<v8::Object> makeBinding(Isolate* isolate, Local<v8::Context> context) {
  Local<v8::Object> binding = v8::Object::New(isolate);
  fillBinding(isolate, context, binding);
  return binding;
}

// process._linkedBinding('loopscope') in a Worker: the same functions, recording under the
// Worker's thread number, and V8's callbacks on the Worker's own isolate.
void initLinkedBinding(Local<v8::Object> exports, Local<Value>, Local<v8::Context> context, void*) {
  Isolate* isolate = context->GetIsolate();
  fillBinding(isolate, context, exports);
  if (thread() != kMainThread) installV8Callbacks(isolate);
}

void registerForWorkers(node::Environment* env) {
  workersProbed = true;
  node::AddLinkedBinding(env, "loopscope", initLinkedBinding, nullptr);
}

}  // namespace jsprobes
}  // namespace loopscope
