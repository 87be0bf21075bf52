// "What keeps the loop alive" (model/interpret/keep_alive.h) and "why did this run"
// (findOriginChain) on traces of real runs: timers pending until they fire, servers and sockets
// from the engine's libuv probes (HandleActive / HandleClosed) until they close, requests until
// their callback, child processes until they exit — and nothing at the end of a run that
// finished by itself.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <optional>

#include "harness.h"
#include "interpret/keep_alive.h"
#include "interpret/origins.h"
#include "interpret/records.h"

using namespace loopscope;
using namespace loopscope::test;

namespace {

struct Indexed {
  EngineRun run;
  KeepAliveIndex index;
  const Trace& trace() const { return run.trace.trace; }
};

// Runs `source` traced and indexes the whole trace.
std::unique_ptr<Indexed> runIndexed(const std::string& name, const std::string& source) {
  auto out = std::make_unique<Indexed>();
  out->run = runTraced(writeSnippet(name, source));
  EXPECT_EQ(out->run.exitCode, 0) << out->run.err;
  EXPECT_EQ(out->run.trace.status, ReadStatus::Ok) << out->run.trace.problem;
  for (size_t i = 0; i < out->trace().size(); ++i) out->index.add(out->trace(), i);
  return out;
}

// The first event of `kind` on the main thread about async resource `asyncId` (any id when 0)
// at or after `from`, or size_t(-1).
size_t find(const Trace& trace, EventKind kind, int64_t asyncId = 0, size_t from = 0) {
  const auto& events = trace.events();
  for (size_t i = from; i < events.size(); ++i)
    if (events[i].kind == kind && events[i].thread == kMainThread && (asyncId == 0 || events[i].a() == asyncId))
      return i;
  return size_t(-1);
}

// The async resource of the given type created on the main thread (first one), or 0.
int64_t resourceOfType(const Trace& trace, std::string_view type) {
  for (const Event& ev : trace.events())
    if (ev.kind == EventKind::AsyncInit && ev.thread == kMainThread &&
        trace.str(as<record::AsyncInit>(ev).typeString) == type)
      return ev.a();
  return 0;
}

// The first entry of a kind (a copy: at() answers with a new list each time).
std::optional<KeepAliveEntry> entryOf(const std::vector<KeepAliveEntry>& entries, KeepAliveKind kind) {
  auto it = std::find_if(entries.begin(), entries.end(), [kind](const KeepAliveEntry& e) { return e.kind == kind; });
  if (it == entries.end()) return std::nullopt;
  return *it;
}

}  // namespace

TEST(KeepAliveOfARealRun, ATimerKeepsTheLoopAliveFromSetTimeoutUntilItFires) {
  auto r = runIndexed("timer.js",
                      "let n = 0;\n"
                      "setTimeout(function later() {\n"
                      "  n++;\n"
                      "}, 20);\n");
  const Trace& t = r->trace();
  const size_t scheduled = find(t, EventKind::TimerScheduled);
  ASSERT_NE(scheduled, size_t(-1));
  const int64_t timer = t.events()[scheduled].a();
  const size_t fired = find(t, EventKind::CallbackEnter, timer);
  ASSERT_NE(fired, size_t(-1));

  EXPECT_EQ(entryOf(r->index.at(t, scheduled), KeepAliveKind::Timer), std::nullopt) << "not yet scheduled";
  const auto pending = r->index.at(t, scheduled + 1);
  const std::optional<KeepAliveEntry> e = entryOf(pending, KeepAliveKind::Timer);
  ASSERT_NE(e, std::nullopt);
  EXPECT_EQ(e->asyncId, timer);
  EXPECT_EQ(e->detail, "setTimeout 20 ms");
  EXPECT_EQ(e->function, "later");
  EXPECT_EQ(e->line, 2);
  EXPECT_EQ(e->createdAt, scheduled);
  // Still pending just before it runs (the loop waited in poll for it), gone once it starts.
  EXPECT_NE(entryOf(r->index.at(t, fired), KeepAliveKind::Timer), std::nullopt);
  EXPECT_EQ(entryOf(r->index.at(t, fired + 1), KeepAliveKind::Timer), std::nullopt);
  // Nothing is left: uv_run returned, the program exits.
  EXPECT_TRUE(r->index.at(t, t.size()).empty());
  EXPECT_TRUE(r->index.loopExitedAt(t.size()));
  EXPECT_FALSE(r->index.loopExitedAt(fired));
}

TEST(KeepAliveOfARealRun, AListeningServerKeepsItAliveUntilCloseAndItsSocketsWhileTheyRead) {
  auto r = runIndexed("server.js",
                      "const net = require('net');\n"
                      "const server = net.createServer((socket) => socket.end('bye'));\n"
                      "server.listen(0, '127.0.0.1', () => {\n"
                      "  const client = net.connect(server.address().port, '127.0.0.1');\n"
                      "  client.on('data', () => {});\n"
                      "  client.on('end', () => setTimeout(() => server.close(), 20));\n"
                      "});\n");
  const Trace& t = r->trace();
  const int64_t server = resourceOfType(t, "TCPSERVERWRAP");
  ASSERT_NE(server, 0);
  const size_t listening = find(t, EventKind::HandleActive, server);
  const size_t closed = find(t, EventKind::HandleClosed, server);
  ASSERT_NE(listening, size_t(-1)) << "the engine records the server starting to listen";
  ASSERT_NE(closed, size_t(-1)) << "and its close";
  ASSERT_LT(listening, closed);
  EXPECT_EQ(as<record::HandleActive>(t.events()[listening]).keepsLoopAlive, true);

  EXPECT_EQ(entryOf(r->index.at(t, listening), KeepAliveKind::Server), std::nullopt) << "created, not yet listening";
  const auto whileListening = r->index.at(t, listening + 1);
  const std::optional<KeepAliveEntry> s = entryOf(whileListening, KeepAliveKind::Server);
  ASSERT_NE(s, std::nullopt);
  EXPECT_EQ(s->asyncId, server);
  EXPECT_EQ(s->type, "TCPSERVERWRAP");
  EXPECT_EQ(s->detail, "server listening (TCP)");
  // listen() with a host makes the server in a nextTick of Node's net module: no line of the
  // program is on the stack then, so the server names the program's code that led to it.
  EXPECT_TRUE(s->siteInherited);
  EXPECT_EQ(s->function, "main script");
  EXPECT_EQ(std::filesystem::path(s->file).filename(), "server.js");
  EXPECT_EQ(s->createdAt, find(t, EventKind::AsyncInit, server));

  // The client's socket reads while connected: a socket keeps the loop alive too, with its line.
  const int64_t client = resourceOfType(t, "TCPWRAP");
  const size_t clientReads = find(t, EventKind::HandleActive, client);
  ASSERT_NE(clientReads, size_t(-1));
  const auto connected = r->index.at(t, clientReads + 1);
  auto socket = std::find_if(connected.begin(), connected.end(),
                             [client](const KeepAliveEntry& e) { return e.asyncId == client; });
  ASSERT_NE(socket, connected.end());
  EXPECT_EQ(socket->kind, KeepAliveKind::Socket);
  EXPECT_EQ(socket->line, 4) << "net.connect(...)";
  EXPECT_FALSE(socket->siteInherited);

  EXPECT_NE(entryOf(r->index.at(t, closed), KeepAliveKind::Server), std::nullopt);
  EXPECT_EQ(entryOf(r->index.at(t, closed + 1), KeepAliveKind::Server), std::nullopt) << "closed";
  EXPECT_TRUE(r->index.at(t, t.size()).empty());
}

TEST(KeepAliveOfARealRun, AServerListeningOnAPipeNamesTheLineThatCalledListen) {
  auto r = runIndexed("pipe_server.js",
                      "const net = require('net');\n"
                      "const server = net.createServer();\n"
                      "server.listen(require('path').join(__dirname, 's.sock'));\n"
                      "setTimeout(() => server.close(), 30);\n");
  const Trace& t = r->trace();
  const int64_t server = resourceOfType(t, "PIPESERVERWRAP");
  ASSERT_NE(server, 0);
  const size_t listening = find(t, EventKind::HandleActive, server);
  ASSERT_NE(listening, size_t(-1));
  const std::optional<KeepAliveEntry> s = entryOf(r->index.at(t, listening + 1), KeepAliveKind::Server);
  ASSERT_NE(s, std::nullopt);
  EXPECT_EQ(s->type, "PIPESERVERWRAP");
  EXPECT_EQ(s->line, 3);
  EXPECT_FALSE(s->siteInherited);
  EXPECT_EQ(entryOf(r->index.at(t, t.size()), KeepAliveKind::Server), std::nullopt);
}

TEST(KeepAliveOfARealRun, AnUnrefdServerDoesNotKeepTheLoopAlive) {
  auto r = runIndexed("unref.js",
                      "const server = require('net').createServer();\n"
                      "server.listen(0, '127.0.0.1', () => server.unref());\n");
  const Trace& t = r->trace();
  const int64_t server = resourceOfType(t, "TCPSERVERWRAP");
  const size_t listening = find(t, EventKind::HandleActive, server);
  ASSERT_NE(listening, size_t(-1));
  EXPECT_NE(entryOf(r->index.at(t, listening + 1), KeepAliveKind::Server), std::nullopt);
  const size_t unrefd = find(t, EventKind::HandleActive, server, listening + 1);
  ASSERT_NE(unrefd, size_t(-1)) << "unref() is recorded";
  EXPECT_FALSE(as<record::HandleActive>(t.events()[unrefd]).keepsLoopAlive);
  EXPECT_EQ(entryOf(r->index.at(t, unrefd + 1), KeepAliveKind::Server), std::nullopt);
  // The program ended with the server still open: uv_run found nothing referenced.
  EXPECT_TRUE(r->index.loopExitedAt(t.size()));
}

TEST(KeepAliveOfARealRun, AnFsRequestIsPendingUntilItsCallbackAndAnIntervalUntilCleared) {
  auto r = runIndexed("requests.js",
                      "const fs = require('fs');\n"
                      "fs.stat(__filename, function statted() {\n"
                      "  let ticks = 0;\n"
                      "  const every = setInterval(() => {\n"
                      "    if (++ticks === 3) clearInterval(every);\n"
                      "  }, 2);\n"
                      "});\n");
  const Trace& t = r->trace();
  const int64_t stat = resourceOfType(t, "FSREQCALLBACK");
  ASSERT_NE(stat, 0);
  const size_t created = find(t, EventKind::AsyncInit, stat);
  const size_t called = find(t, EventKind::CallbackEnter, stat);
  ASSERT_NE(called, size_t(-1));
  const std::optional<KeepAliveEntry> request = entryOf(r->index.at(t, created + 1), KeepAliveKind::Request);
  ASSERT_NE(request, std::nullopt);
  EXPECT_EQ(request->asyncId, stat);
  EXPECT_EQ(request->line, 2);
  // Once its work is on the thread pool the entry says which.
  const size_t submitted = find(t, EventKind::PoolSubmit, 0, created);
  ASSERT_NE(submitted, size_t(-1));
  const std::optional<KeepAliveEntry> onPool = entryOf(r->index.at(t, submitted + 1), KeepAliveKind::Request);
  ASSERT_NE(onPool, std::nullopt);
  EXPECT_EQ(onPool->detail, "fs.stat on the thread pool");
  EXPECT_EQ(entryOf(r->index.at(t, called + 1), KeepAliveKind::Request), std::nullopt);

  const size_t scheduled = find(t, EventKind::TimerScheduled, 0, called);
  ASSERT_NE(scheduled, size_t(-1));
  const int64_t interval = t.events()[scheduled].a();
  const size_t firstRun = find(t, EventKind::CallbackEnter, interval);
  const size_t cleared = find(t, EventKind::TimerCleared, interval);
  ASSERT_NE(cleared, size_t(-1));
  const std::optional<KeepAliveEntry> every = entryOf(r->index.at(t, firstRun + 1), KeepAliveKind::Interval);
  ASSERT_NE(every, std::nullopt) << "an interval stays after it runs";
  EXPECT_EQ(every->detail, "setInterval 2 ms");
  EXPECT_EQ(entryOf(r->index.at(t, cleared + 1), KeepAliveKind::Interval), std::nullopt);
  EXPECT_TRUE(r->index.at(t, t.size()).empty());
}

TEST(KeepAliveOfARealRun, AChildProcessKeepsItAliveUntilItExits) {
  auto r = runIndexed("child.js",
                      "const { spawn } = require('child_process');\n"
                      "const child = spawn('/bin/sleep', ['0.05']);\n"
                      "child.on('exit', () => {});\n");
  const Trace& t = r->trace();
  const size_t spawned = find(t, EventKind::ChildSpawn);
  const size_t exited = find(t, EventKind::ChildExit);
  ASSERT_NE(spawned, size_t(-1));
  ASSERT_NE(exited, size_t(-1));
  const std::optional<KeepAliveEntry> child = entryOf(r->index.at(t, spawned + 1), KeepAliveKind::ChildProcess);
  ASSERT_NE(child, std::nullopt);
  EXPECT_EQ(child->line, 2);
  EXPECT_NE(child->detail.find("sleep"), std::string::npos) << child->detail;
  EXPECT_EQ(entryOf(r->index.at(t, exited + 1), KeepAliveKind::ChildProcess), std::nullopt);
}

TEST(OriginOfARealRun, ATimeoutInsideAnImmediateInsideANextTickLeadsBackToTheMainScript) {
  EngineRun run = runTraced(writeSnippet("nested.js",
                                         "process.nextTick(function tick() {\n"
                                         "  setImmediate(function immediate() {\n"
                                         "    setTimeout(function timeout() {\n"
                                         "      console.log('nested');\n"
                                         "    }, 1);\n"
                                         "  });\n"
                                         "});\n"));
  ASSERT_EQ(run.trace.status, ReadStatus::Ok) << run.trace.problem;
  const Trace& t = run.trace.trace;
  const size_t scheduled = find(t, EventKind::TimerScheduled);
  ASSERT_NE(scheduled, size_t(-1));
  const std::vector<OriginStep> chain = findOriginChain(t, t.events()[scheduled].a());
  ASSERT_EQ(chain.size(), 4u);
  const char* types[] = {"Timeout", "Immediate", "TickObject", ""};
  for (size_t k = 0; k < 3; ++k) {
    EXPECT_EQ(chain[k].type, types[k]);
    EXPECT_EQ(chain[k].label.substr(0, chain[k].label.find(' ')), std::string(k == 0   ? "timeout"
                                                                              : k == 1 ? "immediate"
                                                                                       : "tick"));
    ASSERT_TRUE(chain[k].createdKnown && chain[k].ranKnown) << k;
    EXPECT_TRUE(createsAsyncResource(t.events()[chain[k].createdAt].kind));
    EXPECT_EQ(t.events()[chain[k].ranAt].kind, EventKind::CallbackEnter);
    // Created while the next step ran: between that step's start and its own run.
    EXPECT_GT(chain[k].createdAt, chain[k + 1].ranAt);
    EXPECT_LT(chain[k].createdAt, chain[k].ranAt);
  }
  EXPECT_EQ(chain[3].asyncId, 1);
  EXPECT_EQ(chain[3].label, "main script");
  EXPECT_FALSE(chain[3].createdKnown);
  EXPECT_TRUE(chain[3].ranKnown);
  // The same chain as the index kept beside a trace gives.
  OriginIndex index;
  for (size_t i = 0; i < t.size(); ++i) index.add(t, i);
  const std::vector<OriginStep> indexed = index.chain(t, chain[0].asyncId);
  ASSERT_EQ(indexed.size(), chain.size());
  for (size_t k = 0; k < chain.size(); ++k) {
    EXPECT_EQ(indexed[k].asyncId, chain[k].asyncId);
    EXPECT_EQ(indexed[k].createdAt, chain[k].createdAt);
  }
}
