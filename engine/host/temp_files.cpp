#include "temp_files.h"

#include <dirent.h>
#include <fcntl.h>
#include <limits.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <mutex>
#include <vector>

namespace loopscope::tempfiles {
namespace {

constexpr char kDirPrefix[] = "loopscope-run-";
constexpr int kMaxFiles = 8;

// What the crash handler removes, kept in plain arrays that it can read without allocating.
// Each entry is complete before the count that publishes it is raised.
char crashDir[PATH_MAX];
char crashFiles[kMaxFiles][PATH_MAX];
std::atomic<int> crashFileCount{0};
std::atomic<bool> crashDirSet{false};

std::mutex mutex;        // guards the directory's creation and the file list
std::string privateDir;  // "" until the first private file is made
int privateDirFd = -1;   // open for the whole run: it holds the flock that marks the run alive

std::string sentence(const std::string& what, const std::string& path) {
  return what + " " + path + ": " + std::strerror(errno);
}

bool writeAll(int fd, const std::string& content) {
  size_t done = 0;
  while (done < content.size()) {
    ssize_t n = ::write(fd, content.data() + done, content.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    done += size_t(n);
  }
  return true;
}

// Removes the regular files in an open directory (nothing deeper: the engine makes no folders
// inside), never following a symbolic link.
void emptyDirectory(int dirFd) {
  int listFd = ::dup(dirFd);
  if (listFd < 0) return;
  DIR* dir = ::fdopendir(listFd);
  if (!dir) {
    ::close(listFd);
    return;
  }
  std::vector<std::string> names;
  while (dirent* entry = ::readdir(dir)) {
    if (std::strcmp(entry->d_name, ".") != 0 && std::strcmp(entry->d_name, "..") != 0)
      names.emplace_back(entry->d_name);
  }
  ::closedir(dir);
  for (const std::string& name : names) ::unlinkat(dirFd, name.c_str(), 0);
}

// Makes the private directory on first use; the caller holds `mutex`.
bool ensurePrivateDirectory(std::string& problem) {
  if (!privateDir.empty()) return true;
  std::string pattern = temporaryDirectory() + "/" + kDirPrefix + "XXXXXX";
  std::vector<char> name(pattern.begin(), pattern.end());
  name.push_back('\0');
  if (!::mkdtemp(name.data())) {  // mode 0700, a fresh random name, never an existing path
    problem = sentence("cannot create a private directory like", pattern);
    return false;
  }
  int fd = ::open(name.data(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
  if (fd < 0 || ::flock(fd, LOCK_EX | LOCK_NB) != 0) {
    problem = sentence("cannot open the private directory", name.data());
    if (fd >= 0) ::close(fd);
    ::rmdir(name.data());
    return false;
  }
  privateDir = name.data();
  privateDirFd = fd;
  std::strncpy(crashDir, privateDir.c_str(), sizeof crashDir - 1);
  crashDirSet.store(true, std::memory_order_release);
  return true;
}

}  // namespace

std::string temporaryDirectory() {
  const char* tmp = std::getenv("TMPDIR");
  return tmp && *tmp ? tmp : "/tmp";
}

int openUnnamed(std::string& reopenPath, std::string& problem) {
  std::string dir = temporaryDirectory();
  int fd = ::open(dir.c_str(), O_TMPFILE | O_RDWR | O_CLOEXEC, 0600);
  if (fd < 0) {
    // A file system without O_TMPFILE: a file in a fresh private directory, unlinked at once,
    // then the directory too. Neither name can be guessed, and neither outlives this call.
    std::string pattern = dir + "/" + kDirPrefix + "XXXXXX";
    std::vector<char> name(pattern.begin(), pattern.end());
    name.push_back('\0');
    if (!::mkdtemp(name.data())) {
      problem = sentence("cannot create a temporary file in", dir);
      return -1;
    }
    std::string file = std::string(name.data()) + "/unnamed";
    fd = ::open(file.c_str(), O_RDWR | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
    if (fd < 0) problem = sentence("cannot create a temporary file in", name.data());
    ::unlink(file.c_str());
    ::rmdir(name.data());
    if (fd < 0) return -1;
  }
  reopenPath = "/proc/self/fd/" + std::to_string(fd);
  return fd;
}

std::string createPrivateFile(const std::string& name, const std::string& content, std::string& problem) {
  std::lock_guard lock(mutex);
  if (!ensurePrivateDirectory(problem)) return "";
  std::string path = privateDir + "/" + name;
  int count = crashFileCount.load();
  if (count >= kMaxFiles) {
    problem = "too many private files";
    return "";
  }
  int fd = ::openat(privateDirFd, name.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
  if (fd < 0) {
    problem = sentence("cannot create", path);
    return "";
  }
  std::strncpy(crashFiles[count], path.c_str(), PATH_MAX - 1);
  crashFileCount.store(count + 1, std::memory_order_release);
  bool ok = writeAll(fd, content);
  ok = ::close(fd) == 0 && ok;
  if (!ok) {
    problem = sentence("cannot write", path);
    ::unlinkat(privateDirFd, name.c_str(), 0);
    return "";
  }
  return path;
}

void removePrivateDirectory() {
  std::lock_guard lock(mutex);
  if (privateDir.empty()) return;
  crashDirSet.store(false);
  crashFileCount.store(0);
  emptyDirectory(privateDirFd);
  ::rmdir(privateDir.c_str());
  ::close(privateDirFd);  // releases the lock only once nothing is left to clean
  privateDirFd = -1;
  privateDir.clear();
}

void removePrivateDirectoryForCrash() {
  if (!crashDirSet.load(std::memory_order_acquire)) return;
  int count = crashFileCount.load(std::memory_order_acquire);
  for (int i = 0; i < count && i < kMaxFiles; ++i) ::unlink(crashFiles[i]);
  ::rmdir(crashDir);
}

void removeLeftoversOfKilledRuns() {
  std::string dir = temporaryDirectory();
  int tmpFd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (tmpFd < 0) return;
  int listFd = ::dup(tmpFd);
  DIR* list = listFd < 0 ? nullptr : ::fdopendir(listFd);
  if (!list) {
    if (listFd >= 0) ::close(listFd);
    ::close(tmpFd);
    return;
  }
  std::vector<std::string> candidates;
  while (dirent* entry = ::readdir(list))
    if (std::strncmp(entry->d_name, kDirPrefix, sizeof kDirPrefix - 1) == 0) candidates.emplace_back(entry->d_name);
  ::closedir(list);
  const time_t now = std::time(nullptr);
  for (const std::string& name : candidates) {
    int fd = ::openat(tmpFd, name.c_str(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    if (fd < 0) continue;
    struct stat st {};
    // Only our own directories, and not one a starting run made a moment ago and has not
    // locked yet. A run that is alive holds the lock; a killed one's lock went with it.
    bool ours =
        ::fstat(fd, &st) == 0 && st.st_uid == ::geteuid() && (st.st_mode & 0777) == 0700 && now - st.st_mtime > 5;
    if (ours && ::flock(fd, LOCK_EX | LOCK_NB) == 0) {
      emptyDirectory(fd);
      ::unlinkat(tmpFd, name.c_str(), AT_REMOVEDIR);
    }
    ::close(fd);
  }
  ::close(tmpFd);
}

}  // namespace loopscope::tempfiles
