// child_process.fork() re-runs process.execPath (the engine) with this file.
const { fork } = require('child_process');
if (process.argv[2] === 'child') {
  process.on('message', (m) => {
    process.send(m * 2);
    process.exit(0);
  });
} else {
  const child = fork(__filename, ['child']);
  child.on('message', (m) => console.log('child answered', m));
  child.on('exit', (code) => console.log('child exit', code));
  child.send(21);
}
