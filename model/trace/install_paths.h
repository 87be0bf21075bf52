// Where the programs find the files they read at run time: libnode's JavaScript builtins and the
// built-in lessons. The same binaries run from the build tree (scripts/dev.sh), from an
// installed package (/usr/bin/loopscope, /usr/lib/loopscope/loopscope-engine) and from a package
// unpacked anywhere (scripts/check-package.sh), so no single compile-time path can serve them all.
//
// Each folder is found, in order:
//   1. from an environment variable, when it is set and not empty (a developer's or a test's
//      override; it is not checked, so a wrong one produces the reader's own clear error);
//   2. in the installed layout, relative to the running program: a program installed in
//      <prefix>/bin or <prefix>/lib/loopscope reads <prefix>/share/loopscope/<folder>, if that
//      folder exists. The layout is the one the top-level CMakeLists.txt installs;
//   3. the source/build tree this binary was built from (the only place a build-tree run has).
//
// Qt-free and Node-free: the engine, the app's library and the tests share it. Any thread may
// call these functions; they only read the environment and the file system.
#pragma once

#include <filesystem>
#include <string>
#include <string_view>

namespace loopscope {

// The five JavaScript builtins Debian's libnode opens under /usr/share/nodejs
// (override: $LOOPSCOPE_NODE_SHARE).
std::string nodeShareDir();

// The curriculum that ships with Loopscope (override: $LOOPSCOPE_LESSONS).
std::string lessonsDir();

// The rule behind both, with every input explicit so it can be tested: `overrideVariable` names
// the environment variable, `runningProgram` is the program's own file (/proc/self/exe),
// `installedSubfolder` the folder below <prefix>/share/loopscope, `buildTreeDir` the last resort.
std::string resolveDataDir(const char* overrideVariable, const std::filesystem::path& runningProgram,
                           std::string_view installedSubfolder, const std::string& buildTreeDir);

// <prefix> when `runningProgram` sits where the package installs a program (<prefix>/bin or
// <prefix>/lib/loopscope), else an empty path.
std::filesystem::path installPrefixOf(const std::filesystem::path& runningProgram);

}  // namespace loopscope
