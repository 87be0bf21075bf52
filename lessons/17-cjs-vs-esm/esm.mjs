// ES modules: imports are hoisted. Both support modules are linked and
// evaluated BEFORE the first line of this body runs.
import path from 'path';
import { fileURLToPath } from 'url';
import math, { add } from './support/math.cjs';      // CJS seen from ESM: module.exports is the default
import config, { mode } from './support/config.mjs';

console.log('main: first line of the body');
console.log('add via named import:', add(2, 3), '| via default:', math.multiply(2, 3));
console.log('config:', mode, config.retries);
console.log('typeof __dirname in ESM:', typeof __dirname);
const here = fileURLToPath(import.meta.url);
console.log('import.meta.url gives the file:', path.basename(here));
// An ES module body runs inside a promise job: its promise reactions run before its nextTicks
// (the other way round from a CommonJS main script, see cjs.js).
process.nextTick(() => console.log('nextTick: after the promise, in an ES module'));
Promise.resolve().then(() => console.log('promise: before the nextTick, in an ES module'));
const value = await new Promise((r) => setTimeout(() => r('top-level await works'), 10));
console.log(value);
