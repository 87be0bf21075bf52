// libuv probes: the exact phases of the main loop and every thread-pool job.
//
// loopscope-engine links Debian's static libuv (1.44.2) and exports it, so libnode runs on this
// copy. The build (engine/CMakeLists.txt) makes two changes to that archive:
//  * --wrap for calls between libuv's own object files: the phase runners, uv__io_poll,
//    uv__work_submit, and epoll_wait/epoll_pwait (to time how long poll really blocked);
//  * objcopy renames uv_run, uv_queue_work and uv_fs_open (called by libnode through the dynamic
//    linker, which --wrap cannot reach) to loopscope_original_*, and makes the static work/done
//    functions of each pool request type global so the trampolines below can call them.
// Every loop that runs JavaScript is traced: the main thread's and each Worker's, under its own
// thread number (events.h).
// libuv 1.44's uv_run per iteration: timers, pending, idle, prepare, poll, [pending again, up to
// 8 rounds], check, close. Pending and close are static functions, so they are recorded as the
// exact spans between their wrapped neighbours.
// It also follows the program's own handles (servers, sockets, pipes, UDP sockets, file watchers)
// for "what keeps the loop alive": see the section of that name below.
// With `run --perturb SEED` the same wrappers also vary timing within bounds (perturb.h), traced
// or not; without it each such hook costs one branch on perturb::enabled().
#include <sys/epoll.h>
#include <unistd.h>
#include <uv.h>

#include <atomic>
#include <cstddef>
#include <cstdlib>
#include <cstring>
#include <string>
#include <unordered_map>

#include "control.h"
#include "perturb.h"
#include "probes.h"
#include "trace/install_paths.h"
#include "trace/recorder.h"

using loopscope::EventKind;
using loopscope::Phase;
namespace rec = loopscope::recorder;

extern "C" {
void __real_uv__run_timers(uv_loop_t* loop);
void __real_uv__run_idle(uv_loop_t* loop);
void __real_uv__run_prepare(uv_loop_t* loop);
void __real_uv__run_check(uv_loop_t* loop);
void __real_uv__io_poll(uv_loop_t* loop, int timeout);
void __real_uv__work_submit(uv_loop_t* loop, struct uv__work* w, int kind, void (*work)(struct uv__work*),
                            void (*done)(struct uv__work*, int));
int __real_epoll_wait(int epfd, struct epoll_event* events, int maxevents, int timeout);
int __real_epoll_pwait(int epfd, struct epoll_event* events, int maxevents, int timeout, const sigset_t* sigmask);
void __real_uv__stream_init(uv_loop_t* loop, uv_stream_t* stream, uv_handle_type type);

int loopscope_original_uv_run(uv_loop_t* loop, uv_run_mode mode);
int loopscope_original_uv_queue_work(uv_loop_t* loop, uv_work_t* req, uv_work_cb work_cb,
                                     uv_after_work_cb after_work_cb);
int loopscope_original_uv_fs_open(uv_loop_t* loop, uv_fs_t* req, const char* path, int flags, int mode, uv_fs_cb cb);
void loopscope_original_uv_close(uv_handle_t* handle, uv_close_cb close_cb);
int loopscope_original_uv_tcp_close_reset(uv_tcp_t* handle, uv_close_cb close_cb);
void loopscope_original_uv_ref(uv_handle_t* handle);
void loopscope_original_uv_unref(uv_handle_t* handle);
int loopscope_original_uv_listen(uv_stream_t* stream, int backlog, uv_connection_cb cb);
int loopscope_original_uv_read_start(uv_stream_t* stream, uv_alloc_cb alloc_cb, uv_read_cb read_cb);
int loopscope_original_uv_read_stop(uv_stream_t* stream);
int loopscope_original_uv_udp_init(uv_loop_t* loop, uv_udp_t* handle);
int loopscope_original_uv_udp_init_ex(uv_loop_t* loop, uv_udp_t* handle, unsigned int flags);
int loopscope_original_uv_udp_recv_start(uv_udp_t* handle, uv_alloc_cb alloc_cb, uv_udp_recv_cb recv_cb);
int loopscope_original_uv_udp_recv_stop(uv_udp_t* handle);
int loopscope_original_uv_fs_event_init(uv_loop_t* loop, uv_fs_event_t* handle);
int loopscope_original_uv_fs_event_start(uv_fs_event_t* handle, uv_fs_event_cb cb, const char* path,
                                         unsigned int flags);
int loopscope_original_uv_fs_event_stop(uv_fs_event_t* handle);
int loopscope_original_uv_fs_poll_init(uv_loop_t* loop, uv_fs_poll_t* handle);
int loopscope_original_uv_fs_poll_start(uv_fs_poll_t* handle, uv_fs_poll_cb cb, const char* path,
                                        unsigned int interval);
int loopscope_original_uv_fs_poll_stop(uv_fs_poll_t* handle);

// libuv's static pool functions, made global by objcopy.
void uv__fs_work(struct uv__work* w);
void uv__fs_done(struct uv__work* w, int status);
void uv__getaddrinfo_work(struct uv__work* w);
void uv__getaddrinfo_done(struct uv__work* w, int status);
void uv__getnameinfo_work(struct uv__work* w);
void uv__getnameinfo_done(struct uv__work* w, int status);
void uv__random_work(struct uv__work* w);
void uv__random_done(struct uv__work* w, int status);
}

namespace loopscope::probes {
namespace {

uv_loop_t* mainLoop = nullptr;
std::atomic<bool> workerLoopsTraced{false};
std::atomic<int> workersSeen{0};
thread_local bool onMainThread = false;
thread_local uint8_t poolSlot = 0;  // 0 until this pool thread runs its first job

// Each thread that runs an event loop (the main thread, every worker_threads Worker) keeps its
// own bookkeeping and records its phases under its own thread number.
struct LoopThread {
  uv_loop_t* loop = nullptr;  // the loop this thread traces; nullptr = not traced
  bool decided = false;       // whether this thread's first uv_run was seen
  uint8_t thread = kOtherThread;
  int64_t iteration = 0;
  int runMode = UV_RUN_DEFAULT;
  bool closeOpen = false;  // the close span is open until the next timers run or uv_run returns
  bool postPollPending = false;
  bool inPoll = false;
  int64_t blockedNs = 0;
};
thread_local LoopThread lt;
std::atomic<int> poolSlotsSeen{0};
thread_local int workerThread = -1;  // this thread's number as a Worker, once it has one

uint8_t workerThreadNumber() {
  if (workerThread < 0) {
    int n = workersSeen.fetch_add(1) + 1;
    workerThread = kFirstWorkerThread - 1 + n <= kMaxWorkerThread ? kFirstWorkerThread - 1 + n : kOtherThread;
  }
  return uint8_t(workerThread);
}

bool tracingThisLoop(uv_loop_t* loop) { return loop == lt.loop && rec::active(); }

// Called when uv_run is entered: decides once per thread whether its loop is traced.
void adoptLoop(uv_loop_t* loop) {
  if (lt.decided) return;
  lt.decided = true;
  if (onMainThread && loop == mainLoop) {
    lt.loop = loop;
    lt.thread = kMainThread;
  } else if (workerLoopsTraced.load() && !onMainThread && poolSlot == 0) {
    // A Worker's loop. (Node's platform scheduler runs a loop too, but it enters uv_run while
    // the platform starts, before worker loops are traced, so it is never adopted.)
    uint8_t thread = workerThreadNumber();
    if (thread == kOtherThread) return;
    lt.loop = loop;
    lt.thread = thread;
  }
}

void enterPhase(Phase phase, int64_t extra = 0) {
  if (lt.thread == kMainThread) control::beforePhase(phase);
  rec::record(EventKind::PhaseEnter, lt.thread, int64_t(phase), extra);
}
void exitPhase(Phase phase, int64_t extra = 0) { rec::record(EventKind::PhaseExit, lt.thread, int64_t(phase), extra); }

uint8_t currentPoolThread() {
  if (poolSlot == 0) {
    int slot = poolSlotsSeen.fetch_add(1) + 1;
    poolSlot = uint8_t(slot <= kMaxPoolSlots ? slot : kMaxPoolSlots);
  }
  return poolSlot;
}

// Work submitted before the loop first runs (fs, crypto, dns calls in the main script) is the main
// thread's too.
uint8_t submittingThread() { return lt.loop ? lt.thread : onMainThread ? kMainThread : kOtherThread; }

int64_t jobId(const struct uv__work* w) { return int64_t(reinterpret_cast<uintptr_t>(w)); }

// One work/done trampoline pair per request type, so no lookup table is needed to find the
// original functions again.
template <void (*Work)(struct uv__work*)>
void timedWork(struct uv__work* w) {
  uint8_t slot = currentPoolThread();
  rec::record(EventKind::PoolStart, slot, jobId(w));
  if (perturb::enabled()) perturb::beforePoolJob(slot);  // the job takes a little longer
  Work(w);
  rec::record(EventKind::PoolEnd, slot, jobId(w));
}

template <void (*Done)(struct uv__work*, int)>
void timedDone(struct uv__work* w, int status) {
  uint8_t thread = submittingThread();
  int64_t id = jobId(w);
  rec::record(EventKind::PoolDone, thread, id);
  Done(w, status);  // may free the request: only its address is used afterwards
  rec::record(EventKind::PoolDoneEnd, thread, id);
}

const char* fsWorkName(uv_fs_type type) {
  switch (type) {
    case UV_FS_OPEN: return "fs.open";
    case UV_FS_CLOSE: return "fs.close";
    case UV_FS_READ: return "fs.read";
    case UV_FS_WRITE: return "fs.write";
    case UV_FS_SENDFILE: return "fs.sendfile";
    case UV_FS_STAT: return "fs.stat";
    case UV_FS_LSTAT: return "fs.lstat";
    case UV_FS_FSTAT: return "fs.fstat";
    case UV_FS_FTRUNCATE: return "fs.ftruncate";
    case UV_FS_UTIME: return "fs.utime";
    case UV_FS_FUTIME: return "fs.futime";
    case UV_FS_ACCESS: return "fs.access";
    case UV_FS_CHMOD: return "fs.chmod";
    case UV_FS_FCHMOD: return "fs.fchmod";
    case UV_FS_FSYNC: return "fs.fsync";
    case UV_FS_FDATASYNC: return "fs.fdatasync";
    case UV_FS_UNLINK: return "fs.unlink";
    case UV_FS_RMDIR: return "fs.rmdir";
    case UV_FS_MKDIR: return "fs.mkdir";
    case UV_FS_MKDTEMP: return "fs.mkdtemp";
    case UV_FS_RENAME: return "fs.rename";
    case UV_FS_SCANDIR: return "fs.scandir";
    case UV_FS_LINK: return "fs.link";
    case UV_FS_SYMLINK: return "fs.symlink";
    case UV_FS_READLINK: return "fs.readlink";
    case UV_FS_CHOWN: return "fs.chown";
    case UV_FS_FCHOWN: return "fs.fchown";
    case UV_FS_REALPATH: return "fs.realpath";
    case UV_FS_COPYFILE: return "fs.copyfile";
    case UV_FS_LCHOWN: return "fs.lchown";
    case UV_FS_OPENDIR: return "fs.opendir";
    case UV_FS_READDIR: return "fs.readdir";
    case UV_FS_CLOSEDIR: return "fs.closedir";
    case UV_FS_STATFS: return "fs.statfs";
    case UV_FS_MKSTEMP: return "fs.mkstemp";
    case UV_FS_LUTIME: return "fs.lutime";
    default: return "fs";
  }
}

void recordSubmit(const struct uv__work* w, std::string_view kind, int64_t asyncId) {
  if (!rec::active()) return;  // an untraced run goes through the trampolines when perturbed
  static thread_local std::string lastKind;
  static thread_local int64_t lastKindId = 0;
  if (kind != lastKind) {  // runs of the same kind of job are the common case
    lastKind = kind;
    lastKindId = rec::intern(kind);
  }
  rec::record(EventKind::PoolSubmit, submittingThread(), jobId(w), lastKindId, asyncId);
}

void queueWorkTrampoline(uv_work_t* req);
void queueAfterTrampoline(uv_work_t* req, int status);

// --- What keeps the loop alive ---------------------------------------------------------------
// uv_run goes on while the loop has an active, referenced handle (a listening server, a socket
// that reads, a file watcher), a request in flight, or a handle still closing. Requests, timers
// and immediates are recorded already; the handles of the program's own objects are followed
// here. Node builds each such object's async resource first (its init hook records it, and the
// probe remembers its asyncId as the newest) and initialises the libuv handle right after, so the
// handle is tied to that asyncId; a reader checks that the resource's type is one that owns such
// a handle. Each thread that runs JavaScript follows the handles of its own loop.
struct FollowedHandle {
  int64_t asyncId = 0;
  bool keepsLoopAlive = false;  // as last recorded
};
thread_local std::unordered_map<const uv_handle_t*, FollowedHandle> followedHandles;

void followHandle(const uv_handle_t* handle) {
  if (!rec::active()) return;
  int64_t asyncId = lastInitAsyncId();
  if (asyncId != 0) followedHandles[handle] = FollowedHandle{asyncId, false};
}

// Records whether the handle keeps its loop alive, if that changed since it was last recorded.
void noteHandle(const uv_handle_t* handle) {
  if (followedHandles.empty()) return;
  auto it = followedHandles.find(handle);
  if (it == followedHandles.end()) return;
  const bool keeps = uv_is_active(handle) && uv_has_ref(handle) && !uv_is_closing(handle);
  if (keeps == it->second.keepsLoopAlive || !rec::active()) return;
  it->second.keepsLoopAlive = keeps;
  rec::record(EventKind::HandleActive, currentThread(), it->second.asyncId, keeps ? 1 : 0);
}

// libuv also stops handles by itself (a socket that reached its end): checked where uv_run
// decides whether the loop is alive, at its start and at each iteration's.
void noteEveryHandle() {
  for (const auto& followed : followedHandles) noteHandle(followed.first);
}

void handleClosing(const uv_handle_t* handle) {
  if (followedHandles.empty()) return;
  auto it = followedHandles.find(handle);
  if (it == followedHandles.end()) return;
  if (rec::active()) rec::record(EventKind::HandleClosed, currentThread(), it->second.asyncId);
  followedHandles.erase(it);
}

template <typename Handle>
int noted(Handle* handle, int result) {
  noteHandle(reinterpret_cast<const uv_handle_t*>(handle));
  return result;
}

template <typename Handle>
int followed(Handle* handle, int result) {
  if (result == 0) followHandle(reinterpret_cast<const uv_handle_t*>(handle));
  return result;
}

}  // namespace

void setMainLoop(uv_loop_t* loop) {
  mainLoop = loop;
  onMainThread = true;
}

void traceWorkerLoops() { workerLoopsTraced = true; }

void numberThisWorker(int threadId) {
  if (workerThread < 0 && threadId > 0 && kFirstWorkerThread - 1 + threadId <= kMaxWorkerThread)
    workerThread = kFirstWorkerThread - 1 + threadId;
}

uint8_t currentThread() {
  if (onMainThread) return kMainThread;
  if (poolSlot != 0) return poolSlot;
  // JavaScript runs on the main thread and on Workers only, so a JS probe on any other thread
  // is a Worker's (its script starts before its loop does).
  return workerThreadNumber();
}

}  // namespace loopscope::probes

using namespace loopscope;
using namespace loopscope::probes;

extern "C" {

int uv_run(uv_loop_t* loop, uv_run_mode mode) {
  if (perturb::enabled()) perturb::loopStarting(loop, mode);
  if (rec::active()) adoptLoop(loop);
  if (!tracingThisLoop(loop)) return loopscope_original_uv_run(loop, mode);
  lt.runMode = mode;
  rec::record(EventKind::LoopStart, lt.thread, int64_t(mode));
  noteEveryHandle();
  int alive = loopscope_original_uv_run(loop, mode);
  if (lt.closeOpen && tracingThisLoop(loop)) {
    exitPhase(Phase::Close);
    lt.closeOpen = false;
  }
  noteEveryHandle();
  if (rec::active()) rec::record(EventKind::LoopEnd, lt.thread, alive);
  return alive;
}

void __wrap_uv__run_timers(uv_loop_t* loop) {
  // Perturbed: due timers may wait one iteration (perturb.h); the phase itself is still entered.
  const bool runTimers = !perturb::enabled() || perturb::runTimersNow(loop);
  if (!tracingThisLoop(loop)) {
    if (runTimers) __real_uv__run_timers(loop);
    return;
  }
  // In UV_RUN_ONCE mode uv_run runs timers once more at the end of the same iteration.
  bool trailing = lt.runMode == UV_RUN_ONCE && lt.closeOpen;
  if (lt.closeOpen) {
    exitPhase(Phase::Close);
    lt.closeOpen = false;
  }
  if (!trailing) {
    noteEveryHandle();
    rec::record(EventKind::Iteration, lt.thread, ++lt.iteration);
  }
  enterPhase(Phase::Timers);
  if (runTimers) __real_uv__run_timers(loop);
  exitPhase(Phase::Timers);
  if (!trailing) enterPhase(Phase::Pending);
}

void __wrap_uv__run_idle(uv_loop_t* loop) {
  if (!tracingThisLoop(loop)) return __real_uv__run_idle(loop);
  exitPhase(Phase::Pending);
  enterPhase(Phase::Idle);
  __real_uv__run_idle(loop);
  exitPhase(Phase::Idle);
}

void __wrap_uv__run_prepare(uv_loop_t* loop) {
  if (!tracingThisLoop(loop)) return __real_uv__run_prepare(loop);
  enterPhase(Phase::Prepare);
  __real_uv__run_prepare(loop);
  exitPhase(Phase::Prepare);
}

void __wrap_uv__io_poll(uv_loop_t* loop, int timeout) {
  if (!tracingThisLoop(loop)) {
    if (perturb::enabled()) perturb::beforePoll(loop, timeout);
    return __real_uv__io_poll(loop, timeout);
  }
  enterPhase(Phase::Poll, timeout);
  // Inside the poll span: on a real machine the I/O would simply have been ready later.
  if (perturb::enabled()) perturb::beforePoll(loop, timeout);
  lt.blockedNs = 0;
  lt.inPoll = true;
  __real_uv__io_poll(loop, timeout);
  lt.inPoll = false;
  exitPhase(Phase::Poll, lt.blockedNs);
  // uv_run drains the pending queue again (up to 8 rounds) between poll and check.
  enterPhase(Phase::Pending, 1);
  lt.postPollPending = true;
}

void __wrap_uv__run_check(uv_loop_t* loop) {
  if (perturb::enabled()) perturb::checkRan(loop);
  if (!tracingThisLoop(loop)) return __real_uv__run_check(loop);
  if (lt.postPollPending) {
    exitPhase(Phase::Pending, 1);
    lt.postPollPending = false;
  }
  enterPhase(Phase::Check);
  __real_uv__run_check(loop);
  exitPhase(Phase::Check);
  enterPhase(Phase::Close);
  lt.closeOpen = true;
}

int __wrap_epoll_wait(int epfd, struct epoll_event* events, int maxevents, int timeout) {
  if (!lt.inPoll) return __real_epoll_wait(epfd, events, maxevents, timeout);
  uint64_t t0 = rec::now();
  int n = __real_epoll_wait(epfd, events, maxevents, timeout);
  lt.blockedNs += int64_t(rec::now() - t0);
  return n;
}

int __wrap_epoll_pwait(int epfd, struct epoll_event* events, int maxevents, int timeout, const sigset_t* sigmask) {
  if (!lt.inPoll) return __real_epoll_pwait(epfd, events, maxevents, timeout, sigmask);
  uint64_t t0 = rec::now();
  int n = __real_epoll_pwait(epfd, events, maxevents, timeout, sigmask);
  lt.blockedNs += int64_t(rec::now() - t0);
  return n;
}

// fs, dns and crypto.randomFill reach the pool here; uv_queue_work (crypto jobs, zlib) below.
void __wrap_uv__work_submit(uv_loop_t* loop, struct uv__work* w, int kind, void (*work)(struct uv__work*),
                            void (*done)(struct uv__work*, int)) {
  if (!rec::active() && !perturb::enabled()) return __real_uv__work_submit(loop, w, kind, work, done);
  if (work == uv__fs_work) {
    // The work item is embedded in its uv_fs_t, whose fs_type says which operation it is.
    auto* req = reinterpret_cast<uv_fs_t*>(reinterpret_cast<char*>(w) - offsetof(uv_fs_t, work_req));
    recordSubmit(w, fsWorkName(req->fs_type), lastInitAsyncId());
    return __real_uv__work_submit(loop, w, kind, timedWork<uv__fs_work>, timedDone<uv__fs_done>);
  }
  if (work == uv__getaddrinfo_work) {
    recordSubmit(w, "dns.lookup", lastInitAsyncId());
    return __real_uv__work_submit(loop, w, kind, timedWork<uv__getaddrinfo_work>, timedDone<uv__getaddrinfo_done>);
  }
  if (work == uv__getnameinfo_work) {
    recordSubmit(w, "dns.lookupService", lastInitAsyncId());
    return __real_uv__work_submit(loop, w, kind, timedWork<uv__getnameinfo_work>, timedDone<uv__getnameinfo_done>);
  }
  if (work == uv__random_work) {
    recordSubmit(w, "crypto.randomFill", lastInitAsyncId());
    return __real_uv__work_submit(loop, w, kind, timedWork<uv__random_work>, timedDone<uv__random_done>);
  }
  recordSubmit(w, "work", 0);
  __real_uv__work_submit(loop, w, kind, work, done);
}

// uv_queue_work's request keeps the user's callbacks in two of uv_req_t's reserved pointers,
// which libuv 1.44 leaves untouched on Unix; Node uses `data` for itself.
int uv_queue_work(uv_loop_t* loop, uv_work_t* req, uv_work_cb work_cb, uv_after_work_cb after_work_cb) {
  if ((!rec::active() && !perturb::enabled()) || work_cb == nullptr)
    return loopscope_original_uv_queue_work(loop, req, work_cb, after_work_cb);
  req->reserved[0] = reinterpret_cast<void*>(work_cb);
  req->reserved[1] = reinterpret_cast<void*>(after_work_cb);
  auto [kind, asyncId] = pendingQueueWorkKind();
  recordSubmit(&req->work_req, kind, asyncId);
  return loopscope_original_uv_queue_work(loop, req, queueWorkTrampoline,
                                          after_work_cb ? queueAfterTrampoline : nullptr);
}

// The handles of "what keeps the loop alive". TCP sockets and servers, pipes and TTYs are all
// initialised through uv__stream_init (called across libuv's object files, so --wrap sees it);
// libnode calls the others directly, through the renamed originals.
void __wrap_uv__stream_init(uv_loop_t* loop, uv_stream_t* stream, uv_handle_type type) {
  __real_uv__stream_init(loop, stream, type);
  followHandle(reinterpret_cast<const uv_handle_t*>(stream));
}
int uv_udp_init(uv_loop_t* loop, uv_udp_t* handle) {
  return followed(handle, loopscope_original_uv_udp_init(loop, handle));
}
int uv_udp_init_ex(uv_loop_t* loop, uv_udp_t* handle, unsigned int flags) {
  return followed(handle, loopscope_original_uv_udp_init_ex(loop, handle, flags));
}
int uv_fs_event_init(uv_loop_t* loop, uv_fs_event_t* handle) {
  return followed(handle, loopscope_original_uv_fs_event_init(loop, handle));
}
int uv_fs_poll_init(uv_loop_t* loop, uv_fs_poll_t* handle) {
  return followed(handle, loopscope_original_uv_fs_poll_init(loop, handle));
}

void uv_close(uv_handle_t* handle, uv_close_cb close_cb) {
  handleClosing(handle);
  loopscope_original_uv_close(handle, close_cb);
}
int uv_tcp_close_reset(uv_tcp_t* handle, uv_close_cb close_cb) {
  int result = loopscope_original_uv_tcp_close_reset(handle, close_cb);
  if (result == 0) handleClosing(reinterpret_cast<const uv_handle_t*>(handle));
  return result;
}

void uv_ref(uv_handle_t* handle) {
  loopscope_original_uv_ref(handle);
  noteHandle(handle);
}
void uv_unref(uv_handle_t* handle) {
  loopscope_original_uv_unref(handle);
  noteHandle(handle);
}
int uv_listen(uv_stream_t* stream, int backlog, uv_connection_cb cb) {
  return noted(stream, loopscope_original_uv_listen(stream, backlog, cb));
}
int uv_read_start(uv_stream_t* stream, uv_alloc_cb alloc_cb, uv_read_cb read_cb) {
  return noted(stream, loopscope_original_uv_read_start(stream, alloc_cb, read_cb));
}
int uv_read_stop(uv_stream_t* stream) { return noted(stream, loopscope_original_uv_read_stop(stream)); }
int uv_udp_recv_start(uv_udp_t* handle, uv_alloc_cb alloc_cb, uv_udp_recv_cb recv_cb) {
  return noted(handle, loopscope_original_uv_udp_recv_start(handle, alloc_cb, recv_cb));
}
int uv_udp_recv_stop(uv_udp_t* handle) { return noted(handle, loopscope_original_uv_udp_recv_stop(handle)); }
int uv_fs_event_start(uv_fs_event_t* handle, uv_fs_event_cb cb, const char* path, unsigned int flags) {
  return noted(handle, loopscope_original_uv_fs_event_start(handle, cb, path, flags));
}
int uv_fs_event_stop(uv_fs_event_t* handle) { return noted(handle, loopscope_original_uv_fs_event_stop(handle)); }
int uv_fs_poll_start(uv_fs_poll_t* handle, uv_fs_poll_cb cb, const char* path, unsigned int interval) {
  return noted(handle, loopscope_original_uv_fs_poll_start(handle, cb, path, interval));
}
int uv_fs_poll_stop(uv_fs_poll_t* handle) { return noted(handle, loopscope_original_uv_fs_poll_stop(handle)); }

// Debian's libnode reads five JavaScript builtins from /usr/share/nodejs at start-up. When that
// package tree is not installed system-wide, the read is redirected to the copy that
// scripts/setup-deps.sh unpacked beside the build (or to $LOOPSCOPE_NODE_SHARE).
int uv_fs_open(uv_loop_t* loop, uv_fs_t* req, const char* path, int flags, int mode, uv_fs_cb cb) {
  static constexpr char kSystemShare[] = "/usr/share/nodejs/";
  if (path && std::strncmp(path, kSystemShare, sizeof kSystemShare - 1) == 0 && ::access(path, R_OK) != 0) {
    std::string redirected = loopscope::nodeShareDir() + "/" + (path + sizeof kSystemShare - 1);
    return loopscope_original_uv_fs_open(loop, req, redirected.c_str(), flags, mode, cb);
  }
  return loopscope_original_uv_fs_open(loop, req, path, flags, mode, cb);
}

}  // extern "C"

namespace loopscope::probes {
namespace {

void queueWorkTrampoline(uv_work_t* req) {
  uint8_t slot = currentPoolThread();
  rec::record(EventKind::PoolStart, slot, jobId(&req->work_req));
  if (perturb::enabled()) perturb::beforePoolJob(slot);
  reinterpret_cast<uv_work_cb>(req->reserved[0])(req);
  rec::record(EventKind::PoolEnd, slot, jobId(&req->work_req));
}

void queueAfterTrampoline(uv_work_t* req, int status) {
  uint8_t thread = submittingThread();
  int64_t id = jobId(&req->work_req);
  rec::record(EventKind::PoolDone, thread, id);
  reinterpret_cast<uv_after_work_cb>(req->reserved[1])(req, status);
  rec::record(EventKind::PoolDoneEnd, thread, id);
}

}  // namespace
}  // namespace loopscope::probes
