// What the libuv probes (uv_probes.cpp) and the V8/JavaScript probes (js_probes.cpp) share.
#pragma once

#include <cstdint>
#include <string_view>
#include <utility>

struct uv_loop_s;

namespace loopscope::probes {

// Only this loop (the main Environment's) is traced, and only from the thread that calls this.
void setMainLoop(uv_loop_s* loop);
// From now on, loops that other threads run (worker_threads Workers) are traced too.
void traceWorkerLoops();
// The thread number events from the calling thread carry (events.h): 0 main, pool slot, Worker.
uint8_t currentThread();
// A Worker's probe calls this first: worker n is the Worker whose worker_threads.threadId is n.
void numberThisWorker(int threadId);

// The asyncId of the async resource most recently created on the main thread: fs, dns and
// crypto requests are created in JavaScript immediately before their work is submitted.
int64_t lastInitAsyncId();

// The kind of work behind the next uv_queue_work call (crypto jobs, zlib) and its request's
// asyncId when known.
std::pair<std::string_view, int64_t> pendingQueueWorkKind();

}  // namespace loopscope::probes
