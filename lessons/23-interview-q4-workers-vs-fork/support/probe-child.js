// Forked child: reports what it can see of its parent, then exits.
globalThis.marker = 'child';
process.send({ pid: process.pid, ppid: process.ppid, sawParentGlobal: globalThis.parentValue !== undefined });
process.disconnect();
