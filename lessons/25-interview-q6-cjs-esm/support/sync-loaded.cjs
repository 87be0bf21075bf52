console.log('  sync-loaded.cjs runs during require()');
module.exports = 'cjs value';
