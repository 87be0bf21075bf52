// Sandboxed runs of code that did not ship with Loopscope (a shared lesson, a snippet from
// elsewhere). The engine re-executes itself inside bubblewrap (user, mount, network, PID, IPC and
// UTS namespaces), with a seccomp filter and resource limits; docs/sandbox.md lists every wall and
// what is deliberately left open.
#pragma once

namespace loopscope {

// Call first thing in main(), on the main thread, before any other thread or file exists: it may
// fork and exec bubblewrap, and inside the sandbox it prepares the scratch folder and limits.
//
// Returns -1 when main() should carry on as usual: the command line does not ask for a sandbox
// (no `--sandbox`, no LOOPSCOPE_SANDBOX=1 for `run`/FILE), or this process already runs inside the
// sandbox (then the scratch copy of the snippet's folder is in place, and a `--sandbox` argument,
// now redundant, has been removed from argv with argc lowered to match).
// Otherwise it runs the program sandboxed and returns its exit code (125 if the sandbox could not
// be set up, with a sentence on stderr saying why; the program is never run unsandboxed instead).
int runSandboxedIfAsked(int& argc, char** argv);

}  // namespace loopscope
