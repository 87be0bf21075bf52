// Inside an I/O callback, setImmediate (check phase) always runs before setTimeout(0) (the
// next iteration's timers phase).
const fs = require('fs');
fs.readFile(__filename, function onRead() {
  setTimeout(function timeoutInIo() { console.log('timeout'); }, 0);
  setImmediate(function immediateInIo() { console.log('immediate'); });
});
