// The engine's temporary files, which never have a name another user could guess (issue 11).
//
// Files the engine only needs for itself (the JIT report, a temporary trace) have no name at all:
// O_TMPFILE, reopened through /proc/self/fd/N, so nothing is left behind even after SIGKILL.
// The one file that needs a real path (the probe that Workers preload with --require, which Node
// resolves with realpath) lives in a private directory made with mkdtemp (0700), created only
// when the first Worker starts, locked with flock for the life of the run, removed at the end of
// the run and from the fatal-signal handler; a later run removes the directory of a run that was
// killed outright (its lock is gone).
#pragma once

#include <string>

namespace loopscope::tempfiles {

// A new, empty file with no name: returns its descriptor (O_RDWR | O_CLOEXEC, mode 0600) and sets
// `reopenPath` to "/proc/self/fd/N", through which this process can open it again; -1 with a
// sentence in `problem` on failure. Any thread.
int openUnnamed(std::string& reopenPath, std::string& problem);

// Writes `content` to a new file `name` in the run's private directory (created on first use)
// with O_CREAT | O_EXCL | O_NOFOLLOW, and returns its path; "" with a sentence in `problem` on
// failure. Any thread; a name is created once.
std::string createPrivateFile(const std::string& name, const std::string& content, std::string& problem);

// Removes the private directory and everything the engine put in it. Main thread, at the end of
// the run.
void removePrivateDirectory();

// The same from a fatal-signal handler: only async-signal-safe calls.
void removePrivateDirectoryForCrash();

// Removes private directories left in $TMPDIR by runs that were killed outright (SIGKILL), which
// no handler could clean: a directory whose lock nobody holds any longer. Main thread.
void removeLeftoversOfKilledRuns();

// $TMPDIR, or /tmp.
std::string temporaryDirectory();

}  // namespace loopscope::tempfiles
