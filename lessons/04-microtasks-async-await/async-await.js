// An async function runs synchronously up to its first await; the rest of it
// is a microtask. Watch the microtask queue fill while the main script runs.
async function job() {
  console.log('job: before await (still the main script)');
  await null;
  console.log('job: after await (microtask 1)');
  await null;
  console.log('job: after second await (microtask 3)');
}
console.log('main: start');
job();
Promise.resolve().then(() => console.log('then: (microtask 2)'));
process.nextTick(() => console.log('nextTick: before every microtask'));
console.log('main: end');
