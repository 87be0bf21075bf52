console.log('  [math.cjs evaluated]');
exports.add = (a, b) => a + b;
exports.multiply = (a, b) => a * b;
