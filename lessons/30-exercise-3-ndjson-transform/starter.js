// Exercise 3 — a newline-delimited JSON transform stream.
// Check your work:  loopscope-engine check.js starter.js
//
// new NdjsonTransform(): bytes/strings in, parsed objects out (object mode).
// Lines may be split across chunks; a malformed line emits 'error' whose
// message names the line number.
const { Transform } = require('stream');

class NdjsonTransform extends Transform {
  constructor(options = {}) {
    super({ ...options, readableObjectMode: true });
    this.text = '';
  }

  // This version is correct on small inputs, but it keeps the WHOLE input in
  // memory and parses it at the end. TODO: emit records as soon as their line
  // is complete, keeping only the unfinished last line between chunks.
  _transform(chunk, encoding, callback) {
    this.text += chunk.toString();
    callback();
  }

  _flush(callback) {
    const lines = this.text.split('\n');
    for (let i = 0; i < lines.length; i++) {
      if (lines[i].trim() === '') continue;
      try {
        this.push(JSON.parse(lines[i]));
      } catch (e) {
        return callback(new Error(`line ${i + 1}: ${e.message}`));
      }
    }
    callback();
  }
}

module.exports = { NdjsonTransform };
