// Keeps every object it makes: the old generation grows until V8's heap limit.
const v8 = require('v8');
const limitMiB = v8.getHeapStatistics().heap_size_limit / 2 ** 20;
process.stdout.write(`${limitMiB.toFixed(0)}\n`);
const kept = [];
for (;;) kept.push({ n: kept.length, text: 'row ' + kept.length });
