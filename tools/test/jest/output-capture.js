// Everything a test file writes to the process's stdout and stderr, held instead of printed: what
// `process.stdout.write` gets, and what goes to file descriptors 1 and 2 directly (pino writes its
// JSON lines with fs.write/fs.writeSync on fd 1, around the stream). Installed once per process and
// left in place; a test file's environment points it at its own sink while the file runs, and
// without a sink it writes through as before.
const fs = require('fs');

let sink;
let installed = false;

function textOf(data, encodingOrOffset, length) {
  if (typeof data === 'string') return data;
  const bytes = Buffer.from(data.buffer, data.byteOffset, data.byteLength);
  const start = typeof encodingOrOffset === 'number' ? encodingOrOffset : 0;
  const end = typeof length === 'number' ? start + length : bytes.length;
  return bytes.subarray(start, end).toString('utf8');
}

const byteLength = (data, encodingOrOffset, length) =>
  typeof data === 'string'
    ? Buffer.byteLength(data)
    : typeof length === 'number'
      ? length
      : data.byteLength - (typeof encodingOrOffset === 'number' ? encodingOrOffset : 0);

const isStdio = (fd) => fd === 1 || fd === 2;

function install() {
  if (installed) return;
  installed = true;
  for (const stream of [process.stdout, process.stderr]) {
    const write = stream.write;
    stream.write = function capturedWrite(chunk, encoding, callback) {
      if (!sink) return write.apply(this, arguments);
      sink(typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8'));
      const done = typeof encoding === 'function' ? encoding : callback;
      if (typeof done === 'function') process.nextTick(done);
      return true;
    };
  }
  const writeSync = fs.writeSync;
  fs.writeSync = function capturedWriteSync(fd, data, encodingOrOffset, length) {
    if (!sink || !isStdio(fd)) return writeSync.apply(this, arguments);
    sink(textOf(data, encodingOrOffset, length));
    return byteLength(data, encodingOrOffset, length);
  };
  const write = fs.write;
  fs.write = function capturedFsWrite(fd, data, ...rest) {
    if (!sink || !isStdio(fd)) return write.apply(this, arguments);
    const callback = rest.findLast((argument) => typeof argument === 'function');
    sink(textOf(data, rest[0], rest[1]));
    const written = byteLength(data, rest[0], rest[1]);
    if (callback) process.nextTick(callback, null, written, data);
  };
}

/** From now on, the process's output goes to `receive` (a function of a string); undefined: printed again. */
function captureOutput(receive) {
  install();
  sink = receive;
}

module.exports = { captureOutput };
