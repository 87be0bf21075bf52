// Runs in its own thread with its own V8 isolate and its own event loop.
const { workerData, parentPort } = require('worker_threads');
function fib(n) { return n <= 1 ? n : fib(n - 1) + fib(n - 2); }
parentPort.postMessage({ n: workerData.n, result: fib(workerData.n) });
