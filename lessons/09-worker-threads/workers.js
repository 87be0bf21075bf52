// Two CPU-heavy fib() calls in two worker threads, while the main loop keeps
// a 10 ms heartbeat. Watch: the main thread's timers lane keeps ticking while
// the worker lanes are busy; results come back as 'message' callbacks (poll).
const { Worker } = require('worker_threads');
const path = require('path');

function runFib(n) {
  return new Promise((resolve, reject) => {
    const w = new Worker(path.join(__dirname, 'support', 'fib.worker.js'), { workerData: { n } });
    w.once('message', (m) => resolve(m.result));
    w.once('error', reject);
    w.once('exit', (code) => { if (code !== 0) reject(new Error(`worker exit ${code}`)); });
  });
}

let beats = 0;
const heart = setInterval(() => { beats += 1; }, 10);
Promise.all([runFib(35), runFib(36)]).then(([a, b]) => {
  clearInterval(heart);
  console.log(`fib(35) = ${a}, fib(36) = ${b}`);
  console.log(`main thread stayed responsive: ${beats > 3} (heartbeats while the workers computed)`);
});
