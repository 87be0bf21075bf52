// Exercise 3 — reference solution.
const { Transform } = require('stream');
const { StringDecoder } = require('string_decoder');

class NdjsonTransform extends Transform {
  constructor(options = {}) {
    super({ ...options, readableObjectMode: true });
    this.rest = '';                          // the unfinished last line
    this.lineNo = 0;
    this.decoder = new StringDecoder('utf8'); // a multi-byte character may be split between chunks
  }

  parseLine(line) {
    this.lineNo += 1;
    if (line.trim() === '') return null;
    try {
      this.push(JSON.parse(line));
      return null;
    } catch (e) {
      const preview = line.length > 40 ? `${line.slice(0, 40)}...` : line;
      return new Error(`line ${this.lineNo}: ${e.message} (${preview})`);
    }
  }

  _transform(chunk, encoding, callback) {
    const lines = (this.rest + this.decoder.write(chunk)).split('\n');
    this.rest = lines.pop();                 // may be incomplete: keep it for the next chunk
    for (const line of lines) {
      const err = this.parseLine(line);
      if (err) return callback(err);
    }
    callback();
  }

  _flush(callback) {
    const last = this.rest + this.decoder.end();
    this.rest = '';
    callback(this.parseLine(last));
  }
}

module.exports = { NdjsonTransform };
