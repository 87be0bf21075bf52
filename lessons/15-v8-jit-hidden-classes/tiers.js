// Follow one function through V8 10.2's tiers: Ignition (bytecode interpreter)
// -> Sparkplug (baseline machine code) -> TurboFan (optimized) -> deopt.
// The %-functions are V8 test intrinsics, enabled here for the demonstration only;
// normally V8 decides when to tier up from call counts and type feedback.
const v8 = require('v8');
v8.setFlagsFromString('--allow-natives-syntax');
const native = (body) => new Function('f', body); // compiled after the flag is set
const status = native('return %GetOptimizationStatus(f)');
// Bit values of V8 10.2's OptimizationStatus:
const tier = (f) => {
  const s = status(f);
  if (s & 64) return 'TurboFan (optimized machine code)';
  if (s & 32768) return 'Sparkplug (baseline machine code)';
  if (s & 128) return 'Ignition (bytecode)';
  return 'no code (lazy: compiled on first call; or code just thrown away)';
};
function add(a, b) { return a + b; }

console.log(`before any call:       ${tier(add)}`);
add(1, 2);
console.log(`after the first call:  ${tier(add)}`);
native('%CompileBaseline(f)')(add);
console.log(`after baseline:        ${tier(add)}`);
native('%PrepareFunctionForOptimization(f)')(add);
add(1, 2); add(3, 4);                      // type feedback: always small integers
native('%OptimizeFunctionOnNextCall(f)')(add);
add(5, 6);
console.log(`after optimizing:      ${tier(add)}`);
add('a', 'b');                             // a string breaks the integer assumption
console.log(`after add('a', 'b'):   ${tier(add)} <- deoptimized`);
add(7, 8);
console.log(`next call:             ${tier(add)}`);
