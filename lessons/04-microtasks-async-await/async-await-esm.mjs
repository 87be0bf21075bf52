// async-await.js again, as an ES module. The module body itself runs inside a
// promise job, so V8 drains the microtask queue (all three continuations) before
// Node gets back control and runs its nextTick queue.
async function job() {
  console.log('job: before await (still the module body)');
  await null;
  console.log('job: after await (microtask 1)');
  await null;
  console.log('job: after second await (microtask 3)');
}
console.log('main: start');
job();
Promise.resolve().then(() => console.log('then: (microtask 2)'));
process.nextTick(() => console.log('nextTick: after the microtasks in an ES module'));
console.log('main: end');
