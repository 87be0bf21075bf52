// How a sandboxed run is put together (docs/sandbox.md is the user-facing description):
//
//  outside   loopscope-engine run --sandbox ... FILE
//              finds FILE's folder, opens the output files itself (the sandbox cannot see them)
//              and passes them on as /dev/fd/N, then forks bubblewrap and waits for it.
//  bwrap     builds a new root: the system folders read-only, a private /proc, /dev and /tmp, an
//              empty $HOME, the original folder read-only at kSourceMount, an empty tmpfs at the
//              folder's own path, the engine and libnode read-only; new user, mount, PID, network
//              (loopback only), IPC and UTS namespaces; no further user namespaces; a seccomp filter.
//  inside    the same engine, started with the same arguments minus --sandbox, sees the inside
//              marker, copies kSourceMount into the folder's path (so paths, __dirname and the
//              trace's file names are the same as outside), lowers its resource limits, and
//              carries on in main() as an ordinary run.
//
// Copying inside rather than into a host scratch folder means nothing is left on disk when a run
// is killed: the copy lives in a tmpfs that disappears with the sandbox's mount namespace.
#include "sandbox.h"
#include "trace/install_paths.h"

#include <dlfcn.h>
#include <fcntl.h>
#include <link.h>
#include <linux/audit.h>
#include <linux/close_range.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <signal.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstddef>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <optional>
#include <set>
#include <string>
#include <vector>

extern char** environ;

namespace loopscope {
namespace {
namespace fs = std::filesystem;

// LOOPSCOPE_SANDBOX=1 sandboxes every `run` and FILE command line (the lessons checker's runs
// inherit it); 0 or unset leaves it to --sandbox.
constexpr const char kForceEnv[] = "LOOPSCOPE_SANDBOX";
// Set only inside; trusted only together with kInsideMarkerPath, which nothing outside a
// sandbox can create (it lives under /run, which only root may write).
constexpr const char kInsideEnv[] = "LOOPSCOPE_SANDBOX_INSIDE";
constexpr const char kInsideMarkerPath[] = "/run/loopscope-sandbox/inside";
// The folder to fill with the scratch copy; removed once copied, so forked children do not copy.
constexpr const char kFolderEnv[] = "LOOPSCOPE_SANDBOX_FOLDER";
constexpr const char kSourceMount[] = "/run/loopscope-sandbox/source";
// Colon-separated files or folders shown read-only inside at their own paths: the learner's own
// exercise file, which the lesson's checker (run from the lesson folder) loads.
constexpr const char kReadEnv[] = "LOOPSCOPE_SANDBOX_READ";

// The scratch copy is made in memory; a lesson folder is a few kilobytes, so these limits only
// stop a snippet opened from a big folder (Downloads, a whole project) from being copied whole.
constexpr size_t kMaxCopiedEntries = 5000;
constexpr uintmax_t kMaxCopiedBytes = 256ull << 20;
constexpr const char kFolderTmpfsSize[] = "536870912";  // the copy plus what the program writes
constexpr const char kTmpTmpfsSize[] = "268435456";
constexpr const char kHomeTmpfsSize[] = "67108864";

// Resource limits inside. Threads count as processes for RLIMIT_NPROC, and a traced engine has
// about 15 (V8 platform, thread pool, recorder, JIT reader), so 512 leaves room for Workers and a
// few forked children but stops a fork bomb. The kernel (5.14+) counts RLIMIT_NPROC per user
// namespace when it is set inside one, so the user's other processes do not count against it.
constexpr rlim_t kMaxProcesses = 512;
constexpr rlim_t kMaxCpuSeconds = 600;
constexpr rlim_t kMaxFileBytes = 1ull << 30;  // a trace of a long run fits; a disk-filler does not

constexpr int kSandboxFailed = 125;

int fail(const std::string& sentence, int code) {
  std::fprintf(stderr, "loopscope-engine: %s\n", sentence.c_str());
  return code;
}

// What the command line asks for, found without running the real option parser (main.cpp owns
// that and reports bad options itself, inside the sandbox).
struct CommandLine {
  std::vector<char*> args;  // argv[1..] with every --sandbox removed
  bool sandboxFlag = false;
  bool runsProgram = false;  // `run ...` or a node command line; not info/timeline/export/lessons
  bool nodeMode = false;
  std::optional<size_t> fileIndex;     // into args
  std::vector<size_t> outputIndices;   // values of --trace, --export-chrome, --export-csv
  std::optional<size_t> controlIndex;  // value of --control
  bool evalCode = false;               // node's -e/-p: there is no FILE whose folder to copy
};

bool is(const char* arg, std::initializer_list<const char*> names) {
  for (const char* name : names)
    if (std::strcmp(arg, name) == 0) return true;
  return false;
}

CommandLine parseCommandLine(int argc, char** argv) {
  CommandLine line;
  line.args.assign(argv + 1, argv + argc);
  auto& args = line.args;
  if (!args.empty() && is(args[0], {"--sandbox"})) {
    line.sandboxFlag = true;
    args.erase(args.begin());
  }
  if (args.empty() || is(args[0], {"info", "timeline", "export", "lessons", "--help", "-h", "help", "--version"}))
    return line;
  line.runsProgram = true;
  line.nodeMode = !is(args[0], {"run"});
  size_t i = line.nodeMode ? 0 : 1;
  while (i < args.size()) {
    const char* a = args[i];
    if (is(a, {"--sandbox"})) {
      line.sandboxFlag = true;
      args.erase(args.begin() + long(i));
      continue;
    }
    if (is(a, {"--"})) {
      if (i + 1 < args.size()) line.fileIndex = i + 1;
      break;
    }
    if (a[0] != '-') {
      line.fileIndex = i;
      break;
    }
    if (line.nodeMode) {
      if (is(a, {"-e", "--eval", "-p", "--print", "-pe"}) || !std::strncmp(a, "--eval=", 7) ||
          !std::strncmp(a, "--print=", 8))
        line.evalCode = true;
      // Node options whose value is the next argument; the rest are flags or use '='.
      i += is(a, {"-r", "--require", "--loader", "--experimental-loader", "--import", "--title", "-C", "--conditions",
                  "-e", "--eval", "-p", "--print", "-pe"})
               ? 2
               : 1;
    } else {
      if (is(a, {"--trace", "--export-chrome", "--export-csv"})) line.outputIndices.push_back(i + 1);
      if (is(a, {"--control"}) && i + 1 < args.size()) line.controlIndex = i + 1;
      i += is(a, {"--trace", "--export-chrome", "--export-csv", "--threadpool-size", "--timeout",
                  "--max-old-space-size", "--control", "--perturb"})
               ? 2
               : 1;
    }
  }
  std::erase_if(line.outputIndices, [&](size_t index) { return index >= args.size(); });
  return line;
}

// Writes the remaining arguments back into argv, for main() to parse.
void rewriteArgv(int& argc, char** argv, const std::vector<char*>& args) {
  for (size_t i = 0; i < args.size(); ++i) argv[i + 1] = args[i];
  argc = int(args.size()) + 1;
  argv[argc] = nullptr;
}

// --- inside the sandbox -------------------------------------------------------------------

bool insideSandbox() {
  const char* marker = std::getenv(kInsideEnv);
  return marker && std::strcmp(marker, "1") == 0 && ::access(kInsideMarkerPath, F_OK) == 0;
}

std::string tooBig(const std::string& folder) {
  return "the snippet's folder '" + folder + "' is too big to copy into the sandbox (over " +
         std::to_string(kMaxCopiedEntries) + " files or " + std::to_string(kMaxCopiedBytes >> 20) +
         " MB): move the snippet into a folder of its own and run it from there.";
}

// Copies `from` into `to` without following symbolic links (a link to ~/.ssh stays a link, and
// leads nowhere inside). Returns "" or the reason it could not.
std::string copyFolder(const fs::path& from, const fs::path& to) {
  std::error_code ec;
  fs::recursive_directory_iterator it(from, fs::directory_options::skip_permission_denied, ec);
  if (ec) return "cannot read the snippet's folder '" + to.string() + "': " + ec.message() + ".";
  size_t entries = 0;
  uintmax_t bytes = 0;
  for (; it != fs::recursive_directory_iterator(); it.increment(ec)) {
    if (ec) return "cannot read the snippet's folder '" + to.string() + "': " + ec.message() + ".";
    if (++entries > kMaxCopiedEntries) return tooBig(to.string());
    const fs::path source = it->path();
    const fs::path target = to / source.lexically_relative(from);
    const fs::file_status status = it->symlink_status(ec);
    std::error_code ignored;
    // Already there: bubblewrap mounted the engine or libnode at this path (the folder holds them).
    if (fs::exists(fs::symlink_status(target, ignored))) {
      if (fs::is_directory(status)) it.disable_recursion_pending();
      continue;
    }
    if (fs::is_symlink(status)) {
      fs::create_symlink(fs::read_symlink(source, ignored), target, ignored);
    } else if (fs::is_directory(status)) {
      fs::create_directory(target, source, ignored);
    } else if (fs::is_regular_file(status)) {
      bytes += it->file_size(ignored);
      if (bytes > kMaxCopiedBytes) return tooBig(to.string());
      // A file the user cannot read is not copied; the program meets ENOENT, as it would EACCES.
      fs::copy_file(source, target, ignored);
    }
    // Sockets, FIFOs and devices are not copied: inside, they would lead nowhere.
  }
  return "";
}

void lowerLimit(int resource, rlim_t value) {
  rlimit limit{};
  if (getrlimit(resource, &limit) != 0) return;
  limit.rlim_max = std::min(limit.rlim_max, value);
  limit.rlim_cur = std::min(limit.rlim_cur, limit.rlim_max);
  setrlimit(resource, &limit);
}

// The first process inside: fill the scratch folder, then set the limits every descendant inherits.
int prepareInside() {
  const char* folder = std::getenv(kFolderEnv);
  if (!folder) return -1;  // a forked child: the first process did this
  const std::string target = folder;
  ::unsetenv(kFolderEnv);
  lowerLimit(RLIMIT_NPROC, kMaxProcesses);
  lowerLimit(RLIMIT_CPU, kMaxCpuSeconds);
  lowerLimit(RLIMIT_FSIZE, kMaxFileBytes);
  lowerLimit(RLIMIT_CORE, 0);
  if (std::string problem = copyFolder(kSourceMount, target); !problem.empty()) return fail(problem, kSandboxFailed);
  return -1;
}

// --- outside: building the sandbox ---------------------------------------------------------

// LOOPSCOPE_BWRAP names the program outright (an install elsewhere, or a test making it fail).
std::optional<std::string> findBubblewrap() {
  if (const char* chosen = std::getenv("LOOPSCOPE_BWRAP"); chosen && *chosen)
    return ::access(chosen, X_OK) == 0 ? std::optional<std::string>(chosen) : std::nullopt;
  if (const char* path = std::getenv("PATH")) {
    std::string dirs = path;
    for (size_t start = 0; start <= dirs.size();) {
      size_t end = dirs.find(':', start);
      if (end == std::string::npos) end = dirs.size();
      std::string candidate = dirs.substr(start, end - start) + "/bwrap";
      if (end > start && candidate[0] == '/' && ::access(candidate.c_str(), X_OK) == 0) return candidate;
      start = end + 1;
    }
  }
  if (::access("/usr/bin/bwrap", X_OK) == 0) return "/usr/bin/bwrap";
  return std::nullopt;
}

// System folders are shared read-only; on merged-/usr systems /bin, /lib... are symbolic links
// into /usr and are recreated as such. Everything else on the host (other users' homes, /srv,
// /mnt, /media, /var, /run with its sockets) is simply absent.
const char* const kSystemFolders[] = {"/usr", "/etc", "/bin", "/sbin", "/lib", "/lib32", "/lib64", "/libx32"};

bool underSystemFolder(const std::string& path) {
  for (const char* dir : kSystemFolders) {
    size_t n = std::strlen(dir);
    if (path.compare(0, n, dir) == 0 && (path.size() == n || path[n] == '/')) return true;
  }
  return false;
}

bool isSameOrInside(const fs::path& inner, const fs::path& outer) {
  auto [o, i] = std::mismatch(outer.begin(), outer.end(), inner.begin(), inner.end());
  return o == outer.end();
}

// Every shared object this engine loaded from outside the system folders (libnode from the
// project's .deps, say): the dynamic linker inside must find them at the same paths.
std::vector<std::string> privateLibraries() {
  std::vector<std::string> paths;
  dl_iterate_phdr(
      [](dl_phdr_info* info, size_t, void* data) {
        const char* name = info->dlpi_name;
        if (name && name[0] == '/' && !underSystemFolder(name))
          static_cast<std::vector<std::string>*>(data)->push_back(name);
        return 0;
      },
      &paths);
  return paths;
}

// The engine looks for libnode's JavaScript builtins here when /usr/share/nodejs lacks them
// (see uv_fs_open in host/uv_probes.cpp).
std::string nodeShareFolder() { return loopscope::nodeShareDir(); }

bool passesThroughEnvironment(const std::string& name) {
  static const std::set<std::string> kept{"PATH",        "LANG", "LANGUAGE", "TERM",    "COLORTERM",         "NO_COLOR",
                                          "FORCE_COLOR", "TZ",   "USER",     "LOGNAME", "UV_THREADPOOL_SIZE"};
  if (kept.count(name)) return true;
  if (name.rfind("LC_", 0) == 0) return true;
  return name.rfind("LOOPSCOPE_", 0) == 0 && name != kInsideEnv && name != kFolderEnv && name != kReadEnv;
}

// A seccomp filter (classic BPF) that refuses, with EPERM, system calls a JavaScript program
// never needs and that mainly widen the kernel's attack surface, or would let it reach out of
// its namespaces: module loading, new mounts, namespace changes, keyrings, BPF, perf, io_uring,
// userfaultfd, ptrace, handle-based opens (the classic container escape), and faking terminal
// input (TIOCSTI). Only written for x86-64; elsewhere the namespaces stand alone.
std::vector<sock_filter> seccompFilter() {
  std::vector<sock_filter> f;
#if defined(__x86_64__)
  auto statement = [&](uint16_t code, uint32_t k) { f.push_back(BPF_STMT(code, k)); };
  auto jump = [&](uint16_t code, uint32_t k, uint8_t ifTrue, uint8_t ifFalse) {
    f.push_back(BPF_JUMP(code, k, ifTrue, ifFalse));
  };
  const uint32_t refuse = SECCOMP_RET_ERRNO | (EPERM & SECCOMP_RET_DATA);
  statement(BPF_LD | BPF_W | BPF_ABS, offsetof(seccomp_data, arch));
  jump(BPF_JMP | BPF_JEQ | BPF_K, AUDIT_ARCH_X86_64, 1, 0);
  statement(BPF_RET | BPF_K, SECCOMP_RET_KILL_PROCESS);  // i386 calls would dodge the list below
  statement(BPF_LD | BPF_W | BPF_ABS, offsetof(seccomp_data, nr));
  jump(BPF_JMP | BPF_JGE | BPF_K, 0x40000000, 0, 1);  // x32 numbers, same reason
  statement(BPF_RET | BPF_K, refuse);
  // ioctl: only the terminal-injection requests are refused.
  jump(BPF_JMP | BPF_JEQ | BPF_K, SYS_ioctl, 0, 5);
  statement(BPF_LD | BPF_W | BPF_ABS, offsetof(seccomp_data, args[1]));
  jump(BPF_JMP | BPF_JEQ | BPF_K, TIOCSTI, 2, 0);
  jump(BPF_JMP | BPF_JEQ | BPF_K, TIOCLINUX, 1, 0);
  statement(BPF_RET | BPF_K, SECCOMP_RET_ALLOW);
  statement(BPF_RET | BPF_K, refuse);
  for (long nr : {SYS_ptrace,
                  SYS_process_vm_readv,
                  SYS_process_vm_writev,
                  SYS_bpf,
                  SYS_perf_event_open,
                  SYS_userfaultfd,
                  SYS_keyctl,
                  SYS_add_key,
                  SYS_request_key,
                  SYS_kexec_load,
                  SYS_kexec_file_load,
                  SYS_init_module,
                  SYS_finit_module,
                  SYS_delete_module,
                  SYS_mount,
                  SYS_umount2,
                  SYS_pivot_root,
                  SYS_chroot,
                  SYS_swapon,
                  SYS_swapoff,
                  SYS_reboot,
                  SYS_setns,
                  SYS_unshare,
                  SYS_acct,
                  SYS_quotactl,
                  SYS_open_by_handle_at,
                  SYS_name_to_handle_at,
                  SYS_io_uring_setup,
                  SYS_io_uring_enter,
                  SYS_io_uring_register,
                  SYS_syslog,
                  SYS_uselib,
                  SYS_vhangup,
                  SYS_fsopen,
                  SYS_fsconfig,
                  SYS_fsmount,
                  SYS_fspick,
                  SYS_move_mount,
                  SYS_open_tree,
                  SYS_mount_setattr}) {
    jump(BPF_JMP | BPF_JEQ | BPF_K, uint32_t(nr), 0, 1);
    statement(BPF_RET | BPF_K, refuse);
  }
  statement(BPF_RET | BPF_K, SECCOMP_RET_ALLOW);
#endif
  return f;
}

// An anonymous file holding the filter, for bwrap --seccomp (it reads it before exec).
int seccompFilterFd() {
  std::vector<sock_filter> filter = seccompFilter();
  if (filter.empty()) return -1;
  int fd = static_cast<int>(syscall(SYS_memfd_create, "loopscope-seccomp", 0));
  if (fd < 0) return -1;
  const size_t size = filter.size() * sizeof(sock_filter);
  if (::write(fd, filter.data(), size) != ssize_t(size) || ::lseek(fd, 0, SEEK_SET) != 0) {
    ::close(fd);
    return -1;
  }
  return fd;
}

// The descriptors the sandbox may inherit: stdio, the ones the command line names (--control FD,
// /dev/fd/N outputs) and bwrap's own. Any other descriptor the caller leaked would be a hole
// through every wall (an open file of $HOME, a socket to the outside), so the rest are marked
// close-on-exec. Called in the forked child, which has only this one thread.
void closeUnnamedDescriptors(std::vector<int> keep) {
  keep.insert(keep.end(), {0, 1, 2});
  std::sort(keep.begin(), keep.end());
  unsigned next = 0;
  for (int fd : keep) {
    if (fd < 0 || unsigned(fd) < next) continue;
    if (unsigned(fd) > next) syscall(SYS_close_range, next, unsigned(fd) - 1, CLOSE_RANGE_CLOEXEC);
    next = unsigned(fd) + 1;
  }
  syscall(SYS_close_range, next, ~0u, CLOSE_RANGE_CLOEXEC);
}

std::optional<int> descriptorNumber(const std::string& text) {
  std::string digits = text.rfind("/dev/fd/", 0) == 0 ? text.substr(8) : text;
  if (digits.empty() || digits.size() > 9 || digits.find_first_not_of("0123456789") != std::string::npos)
    return std::nullopt;
  return std::atoi(digits.c_str());
}

// Dies as the sandboxed program died, so the app sees a crash rather than an exit code 128 + n.
[[noreturn]] void dieLike(int signal) {
  lowerLimit(RLIMIT_CORE, 0);  // the core, if any, belonged to the program, not to this parent
  ::signal(signal, SIG_DFL);
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, signal);
  sigprocmask(SIG_UNBLOCK, &set, nullptr);
  ::raise(signal);
  _exit(128 + signal);
}

int runInSandbox(CommandLine& line) {
  if (line.evalCode)
    return fail(
        "--sandbox runs a FILE and walls it off with a copy of its folder; it cannot sandbox "
        "code given with -e or -p. Put the code in a file.",
        2);
  if (!line.fileIndex)
    return fail(line.nodeMode ? "--sandbox needs a file: loopscope-engine --sandbox FILE [ARGS...]"
                              : "run needs a file: loopscope-engine run [OPTIONS] FILE [ARGS...]",
                2);
  const std::string file = line.args[*line.fileIndex];
  if (::access(file.c_str(), F_OK) != 0)
    return fail("cannot run '" + file + "': no such file. Check the path (it is relative to the current directory).",
                1);
  std::error_code ec;
  const fs::path program = fs::canonical(file, ec);
  if (ec) return fail("cannot run '" + file + "': " + ec.message() + ".", 1);
  const fs::path folder = program.parent_path();

  // The folder is copied into the sandbox whole, so it must not be one that holds the user's
  // files in general.
  const char* homeEnv = std::getenv("HOME");
  fs::path home = homeEnv && homeEnv[0] == '/' ? fs::weakly_canonical(homeEnv, ec) : fs::path();
  if (folder == folder.root_path() || (!home.empty() && isSameOrInside(home, folder)))
    return fail("cannot sandbox '" + file + "': its folder '" + folder.string() + "' holds your home " +
                    "folder, and the sandbox would copy it in whole. Move the snippet into a folder of its own.",
                kSandboxFailed);
  struct stat folderStat {};
  if (::stat(folder.c_str(), &folderStat) == 0 && (folderStat.st_mode & S_ISVTX) && (folderStat.st_mode & S_IWOTH))
    return fail(
        "cannot sandbox '" + file + "': its folder '" + folder.string() + "' is shared by all " +
            "users (like /tmp), and the sandbox would copy it in whole. Move the snippet into a folder of its own.",
        kSandboxFailed);

  std::vector<std::string> extraReadable;
  if (const char* list = std::getenv(kReadEnv); list && *list) {
    std::string paths = list;
    for (size_t start = 0; start <= paths.size();) {
      size_t end = std::min(paths.find(':', start), paths.size());
      const std::string path = paths.substr(start, end - start);
      start = end + 1;
      if (path.empty()) continue;
      const fs::path normal = fs::path(path).lexically_normal();
      if (!normal.is_absolute() || !fs::exists(normal, ec))
        return fail(std::string(kReadEnv) + " names '" + path + "', which is not an absolute path to an existing " +
                        "file or folder.",
                    2);
      const fs::path real = fs::canonical(normal, ec);
      if (real == real.root_path() || (!home.empty() && isSameOrInside(home, real)))
        return fail(std::string(kReadEnv) + " names '" + path + "', which holds your home folder; name the " +
                        "files the program needs instead.",
                    2);
      extraReadable.push_back(normal.string());
    }
  }

  std::optional<std::string> bwrap = findBubblewrap();
  if (!bwrap) {
    const char* chosen = std::getenv("LOOPSCOPE_BWRAP");
    return fail("cannot run '" + file + "' in a sandbox: " +
                    (chosen && *chosen
                         ? "LOOPSCOPE_BWRAP names '" + std::string(chosen) + "', which is not a program that can be run"
                         : std::string("bubblewrap (bwrap) is not installed")) +
                    ". Install it (sudo apt-get install bubblewrap); run without --sandbox only if you trust the code.",
                kSandboxFailed);
  }
  const std::string engine = fs::read_symlink("/proc/self/exe", ec).string();
  if (ec) return fail("cannot find this program's own file (/proc/self/exe): " + ec.message() + ".", kSandboxFailed);

  // The program must see its files at their own paths; a relative FILE no longer is once the
  // working directory is the folder.
  std::vector<std::string> storage;
  storage.reserve(line.outputIndices.size() + 1);
  storage.push_back(program.string());
  line.args[*line.fileIndex] = storage.back().data();
  // Output files lie outside the sandbox: open them here and hand over the descriptors. /dev/fd/N
  // (the app's trace pipe) is inherited as it is.
  for (size_t index : line.outputIndices) {
    const std::string path = line.args[index];
    if (path.rfind("/dev/fd/", 0) == 0) continue;
    int fd = ::open(path.c_str(), O_WRONLY | O_CREAT, 0644);  // the engine truncates it itself
    if (fd < 0) return fail("cannot write '" + path + "': " + std::strerror(errno) + ".", 2);
    storage.push_back("/dev/fd/" + std::to_string(fd));
    line.args[index] = storage.back().data();
  }

  std::vector<std::string> command{*bwrap, "--unshare-all", "--unshare-user", "--disable-userns", "--die-with-parent"};
  auto add = [&](std::initializer_list<std::string> items) { command.insert(command.end(), items); };
  for (const char* dir : kSystemFolders) {
    struct stat st {};
    if (::lstat(dir, &st) != 0) continue;
    if (S_ISLNK(st.st_mode))
      add({"--symlink", fs::read_symlink(dir, ec).string(), dir});
    else if (S_ISDIR(st.st_mode))
      add({"--ro-bind", dir, dir});
  }
  add({"--proc", "/proc", "--dev", "/dev", "--size", kTmpTmpfsSize, "--tmpfs", "/tmp"});
  // $HOME is an empty private folder at the same path (programs that write caches still work).
  if (home.empty() || underSystemFolder(home.string()) || home == home.root_path()) home = "/home/sandbox";
  add({"--size", kHomeTmpfsSize, "--tmpfs", home.string()});
  add({"--ro-bind", folder.string(), kSourceMount, "--size", kFolderTmpfsSize, "--tmpfs", folder.string()});
  add({"--dir", kInsideMarkerPath});
  // Mounted last, so they show through the empty $HOME or folder if they lie inside one.
  std::vector<std::string> ownFiles{engine};
  for (const std::string& library : privateLibraries()) ownFiles.push_back(library);
  const std::string share = nodeShareFolder();
  if (fs::is_directory(share, ec)) ownFiles.push_back(share);
  for (const std::string& path : ownFiles) add({"--ro-bind", path, path});
  for (const std::string& path : extraReadable) add({"--ro-bind", path, path});
  add({"--remount-ro", "/", "--chdir", folder.string(), "--clearenv"});
  for (char** env = environ; *env; ++env) {
    std::string entry = *env;
    size_t eq = entry.find('=');
    if (eq == std::string::npos || !passesThroughEnvironment(entry.substr(0, eq))) continue;
    add({"--setenv", entry.substr(0, eq), entry.substr(eq + 1)});
  }
  add({"--setenv", "HOME", home.string(), "--setenv", "TMPDIR", "/tmp", "--setenv", kInsideEnv, "1", "--setenv",
       kFolderEnv, folder.string()});
  // The filter refuses TIOCSTI, so the program may stay in the caller's session and process
  // group, as an unsandboxed run does: Ctrl+C in a terminal reaches it, and it completes its
  // trace before it dies. Without the filter a session of its own is the only guard.
  int filterFd = seccompFilterFd();
  if (filterFd >= 0)
    add({"--seccomp", std::to_string(filterFd)});
  else
    add({"--new-session"});
  int status[2];
  if (::pipe2(status, O_CLOEXEC) != 0)
    return fail(std::string("cannot create a pipe: ") + std::strerror(errno) + ".", kSandboxFailed);
  add({"--json-status-fd", std::to_string(status[1]), "--", engine});
  for (char* arg : line.args) command.push_back(arg);

  std::vector<int> inherited{status[1], filterFd};
  for (size_t index : line.outputIndices)
    if (auto fd = descriptorNumber(line.args[index])) inherited.push_back(*fd);
  if (line.controlIndex)
    if (auto fd = descriptorNumber(line.args[*line.controlIndex])) inherited.push_back(*fd);

  pid_t pid = ::fork();
  if (pid < 0) return fail(std::string("cannot start the sandbox: ") + std::strerror(errno) + ".", kSandboxFailed);
  if (pid == 0) {
    closeUnnamedDescriptors(inherited);
    ::fcntl(status[1], F_SETFD, 0);  // bwrap writes its status here; its own child never sees it
    std::vector<char*> argv;
    for (std::string& arg : command) argv.push_back(arg.data());
    argv.push_back(nullptr);
    ::execv(argv[0], argv.data());
    std::fprintf(stderr, "loopscope-engine: cannot start bubblewrap (%s): %s.\n", argv[0], std::strerror(errno));
    _exit(kSandboxFailed);
  }
  // Ctrl+C and Ctrl+Backslash reach the program too (same process group); this parent waits for its
  // verdict instead of dying first and taking the sandbox down before the trace is complete.
  ::signal(SIGINT, SIG_IGN);
  ::signal(SIGQUIT, SIG_IGN);
  ::close(status[1]);
  if (filterFd >= 0) ::close(filterFd);
  // The parent keeps only what it needs to report the outcome; the program owns the outputs now.
  for (size_t i = 1; i < storage.size(); ++i) ::close(std::atoi(storage[i].c_str() + 8));

  int wstatus = 0;
  while (::waitpid(pid, &wstatus, 0) < 0 && errno == EINTR) {}
  std::string report;
  char buffer[512];
  for (ssize_t n; (n = ::read(status[0], buffer, sizeof buffer)) > 0;) report.append(buffer, size_t(n));
  ::close(status[0]);
  // bwrap writes "child-pid" once the sandbox stands; without it, bwrap itself failed (and said why).
  if (report.find("\"child-pid\"") == std::string::npos)
    return fail(
        "could not set up the sandbox (bubblewrap's message is above). Unprivileged user "
        "namespaces may be switched off on this machine (sysctl user.max_user_namespaces, "
        "kernel.unprivileged_userns_clone). The program did not run.",
        kSandboxFailed);
  if (WIFSIGNALED(wstatus)) dieLike(WTERMSIG(wstatus));
  int code = WIFEXITED(wstatus) ? WEXITSTATUS(wstatus) : kSandboxFailed;
  // bwrap reports a program killed by signal n as exit 128 + n; pass the crash on as a crash.
  if (code > 128 && code < 128 + 32) {
    int signal = code - 128;
    if (signal == SIGABRT || signal == SIGSEGV || signal == SIGBUS || signal == SIGILL || signal == SIGFPE ||
        signal == SIGKILL || signal == SIGTERM || signal == SIGINT || signal == SIGQUIT || signal == SIGXCPU ||
        signal == SIGXFSZ)
      dieLike(signal);
  }
  return code;
}

}  // namespace

int runSandboxedIfAsked(int& argc, char** argv) {
  CommandLine line = parseCommandLine(argc, argv);
  if (insideSandbox()) {
    // Already walled off (a forked child, or a sandboxed program starting the engine again with
    // --sandbox): nothing more to add.
    if (line.sandboxFlag) rewriteArgv(argc, argv, line.args);
    return prepareInside();
  }
  if (!line.runsProgram) {
    if (line.sandboxFlag)
      return fail(
          "--sandbox applies to running a program (run, or FILE); info, timeline, export and "
          "lessons only read files.",
          2);
    return -1;
  }
  bool forced = false;
  if (const char* force = std::getenv(kForceEnv); force && *force) {
    if (std::strcmp(force, "1") == 0)
      forced = true;
    else if (std::strcmp(force, "0") != 0)
      return fail(std::string(kForceEnv) + " must be 1 (sandbox every run) or 0, not '" + force + "'.", 2);
  }
  if (!line.sandboxFlag && !forced) return -1;
  return runInSandbox(line);
}

}  // namespace loopscope
