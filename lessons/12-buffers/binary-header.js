// Parsing a binary protocol header: 1 byte version, 2 bytes type (big-endian),
// 4 bytes payload length (little-endian), a typical framing header.
function parseHeader(buf) {
  if (buf.length < 7) throw new Error('Header too short');
  return {
    version: buf.readUInt8(0),
    messageType: buf.readUInt16BE(1),
    payloadLength: buf.readUInt32LE(3),
  };
}
const header = Buffer.alloc(7);
header.writeUInt8(2, 0);
header.writeUInt16BE(0x0102, 1);
header.writeUInt32LE(1000, 3);
console.log(header);
console.log(parseHeader(header));
try { parseHeader(Buffer.alloc(3)); } catch (e) { console.log('error:', e.message); }
// Slices share memory: changing the view changes the original.
const view = header.subarray(1, 3);
view[0] = 0xff;
console.log('after writing through a subarray:', header.readUInt16BE(1).toString(16));
