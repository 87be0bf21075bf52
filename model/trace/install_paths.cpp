#include "install_paths.h"

#include <cstdlib>
#include <system_error>
#include <vector>

// The build defines these (engine/CMakeLists.txt); the defaults keep the file compilable alone.
#ifndef LOOPSCOPE_INSTALL_BINDIR
#define LOOPSCOPE_INSTALL_BINDIR "bin"
#endif
#ifndef LOOPSCOPE_INSTALL_PRIVATEDIR
#define LOOPSCOPE_INSTALL_PRIVATEDIR "lib/loopscope"
#endif
#ifndef LOOPSCOPE_INSTALL_DATADIR
#define LOOPSCOPE_INSTALL_DATADIR "share/loopscope"
#endif
#ifndef LOOPSCOPE_BUILD_TREE_NODE_SHARE
#define LOOPSCOPE_BUILD_TREE_NODE_SHARE ""
#endif
#ifndef LOOPSCOPE_BUILD_TREE_LESSONS
#define LOOPSCOPE_BUILD_TREE_LESSONS ""
#endif

namespace loopscope {
namespace fs = std::filesystem;

namespace {

// True when `folder` ends with the relative path `tail`, compared component by component (so
// "xbin" does not end with "bin"); on success `prefix` is what precedes the tail.
bool endsWithFolders(const fs::path& folder, const fs::path& tail, fs::path& prefix) {
  std::vector<fs::path> folderParts(folder.begin(), folder.end());
  std::vector<fs::path> tailParts(tail.begin(), tail.end());
  if (tailParts.empty() || tailParts.size() >= folderParts.size()) return false;
  size_t offset = folderParts.size() - tailParts.size();
  for (size_t i = 0; i < tailParts.size(); ++i)
    if (folderParts[offset + i] != tailParts[i]) return false;
  prefix.clear();
  for (size_t i = 0; i < offset; ++i) prefix /= folderParts[i];
  return true;
}

fs::path runningProgramFile() {
  // /proc/self/exe rather than argv[0]: it is absolute and resolves /usr/bin/loopscope-engine,
  // a symbolic link, to the real file in /usr/lib/loopscope.
  std::error_code ec;
  fs::path self = fs::read_symlink("/proc/self/exe", ec);
  return ec ? fs::path() : self;
}

}  // namespace

fs::path installPrefixOf(const fs::path& runningProgram) {
  if (!runningProgram.is_absolute()) return {};
  const fs::path folder = runningProgram.parent_path().lexically_normal();
  fs::path prefix;
  for (const char* programFolder : {LOOPSCOPE_INSTALL_PRIVATEDIR, LOOPSCOPE_INSTALL_BINDIR})
    if (endsWithFolders(folder, programFolder, prefix)) return prefix;
  return {};
}

std::string resolveDataDir(const char* overrideVariable, const fs::path& runningProgram,
                           std::string_view installedSubfolder, const std::string& buildTreeDir) {
  const char* fromEnvironment = overrideVariable ? std::getenv(overrideVariable) : nullptr;
  if (fromEnvironment && *fromEnvironment) return fromEnvironment;
  // A build-tree program also sits in a "bin" folder (build/bin), so the installed candidate only
  // counts when it exists.
  const fs::path prefix = installPrefixOf(runningProgram);
  if (!prefix.empty()) {
    const fs::path installed = prefix / LOOPSCOPE_INSTALL_DATADIR / installedSubfolder;
    std::error_code ec;
    if (fs::is_directory(installed, ec)) return installed.string();
  }
  return buildTreeDir;
}

std::string nodeShareDir() {
  return resolveDataDir("LOOPSCOPE_NODE_SHARE", runningProgramFile(), "nodejs", LOOPSCOPE_BUILD_TREE_NODE_SHARE);
}

std::string lessonsDir() {
  return resolveDataDir("LOOPSCOPE_LESSONS", runningProgramFile(), "lessons", LOOPSCOPE_BUILD_TREE_LESSONS);
}

}  // namespace loopscope
