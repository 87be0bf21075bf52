console.log('  [config.mjs evaluated]');
export const mode = 'esm';
export default { retries: 3 };
