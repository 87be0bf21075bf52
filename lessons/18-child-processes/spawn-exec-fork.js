// Three ways to run another program. Watch the poll phase: child output
// arrives as pipe reads, the exit as a SIGCHLD-driven callback.
const { spawn, execFile, fork } = require('child_process');
const path = require('path');

// spawn: a stream of output, no buffering limit. (process.execPath is this
// engine, which runs a file exactly like `node FILE`.)
const child = spawn(process.execPath, [path.join(__dirname, 'support', 'count.js'), '3']);
let text = '';
child.stdout.on('data', (chunk) => { text += chunk; });
child.on('close', (code) => {
  console.log(`spawn: exit ${code}, streamed ${text.trim().split('\n').length} lines`);

  // execFile/exec: buffers all output, hands it over at the end (maxBuffer 1 MiB in Node 18).
  execFile('sh', ['-c', 'echo buffered; echo output'], (err, stdout) => {
    console.log(`exec: ${JSON.stringify(stdout)}`);

    // fork: a Node child with an IPC channel for messages.
    const worker = fork(path.join(__dirname, 'support', 'square.js'), { stdio: ['ignore', 'ignore', 'ignore', 'ipc'] });
    worker.send({ type: 'square', value: 12 });
    worker.once('message', (m) => {
      console.log(`fork: child answered ${m.result}, other pid: ${m.pid !== process.pid}`);
      worker.send({ type: 'crash' });                   // an uncaught error in the child...
      worker.on('exit', (code) => {
        console.log(`fork: child died with exit code ${code}; the parent is fine`); // ...ends only the child
      });
    });
  });
});
