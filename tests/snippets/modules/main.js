// CommonJS: relative require, __filename and process.argv behave as under node.
const path = require('path');
const helper = require('./helper');
console.log(helper.greet('loopscope'));
console.log(path.basename(__filename));
console.log(JSON.stringify(process.argv.slice(2)));
console.log(path.isAbsolute(process.argv[1]));
