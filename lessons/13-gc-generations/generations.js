// Watch the GC lane: many short "scavenge" markers while garbage is made,
// then "mark-sweep-compact" when we force a full collection.
const { PerformanceObserver, constants } = require('perf_hooks');
const v8 = require('v8');
const kinds = { minor: 0, major: 0 };
const obs = new PerformanceObserver((list) => {
  for (const e of list.getEntries()) {
    if (e.detail.kind === constants.NODE_PERFORMANCE_GC_MINOR) kinds.minor += 1;
    if (e.detail.kind === constants.NODE_PERFORMANCE_GC_MAJOR) kinds.major += 1;
  }
});
obs.observe({ entryTypes: ['gc'] });

const space = (name) => v8.getHeapSpaceStatistics().find((s) => s.space_name === name);
console.log(`young generation (new_space) capacity: ${(space('new_space').space_size / 1048576).toFixed(0)} MiB`);

// 1) Garbage that dies young: objects made and dropped at once.
setTimeout(() => {
  for (let i = 0; i < 3e6; i++) { const tmp = { i, s: 'x' + i }; if (tmp.i < 0) console.log(tmp); }
  // 2) Objects that survive: kept in an array, they get promoted to old space.
  const oldBefore = space('old_space').space_used_size;
  const keep = [];
  for (let i = 0; i < 3e5; i++) keep.push({ i });
  v8.setFlagsFromString('--expose-gc');
  require('vm').runInNewContext('gc')(); // a full (major) collection, on purpose
  const grew = space('old_space').space_used_size - oldBefore;
  setTimeout(() => {
    obs.disconnect();
    console.log(`minor GCs (scavenges) while making garbage: ${kinds.minor > 5 ? 'many' : kinds.minor}`);
    console.log(`major GCs: ${kinds.major >= 1 ? 'at least one (the forced one)' : 0}`);
    console.log(`survivors promoted: old space grew by more than 5 MiB: ${grew > 5 * 1048576} (${keep.length} objects kept)`);
  }, 10);
}, 1);
