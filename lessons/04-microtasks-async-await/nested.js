// Who wins: a nextTick or a promise, both scheduled from inside a promise reaction?
// The microtask queue is drained to the end (including reactions added meanwhile)
// before Node looks at the nextTick queue again.
Promise.resolve().then(() => {
  console.log('microtask A');
  process.nextTick(() => console.log('nextTick scheduled by A'));
  Promise.resolve().then(() => console.log('microtask B, scheduled by A'));
});
process.nextTick(() => {
  console.log('nextTick 1');
  process.nextTick(() => console.log('nextTick 2, scheduled by nextTick 1'));
  Promise.resolve().then(() => console.log('microtask C, scheduled by nextTick 1'));
});
