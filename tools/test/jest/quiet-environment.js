// Jest's node environment, holding back what a test file prints (console.*, pino's log lines, any
// write to stdout or stderr) and handing it, labelled with the test that printed it, to the quiet
// reporter (quiet-reporter.js), which prints it only for tests that fail. Active only under that
// reporter (it sets STOCKADE_TEST_LOG_DIR); otherwise this is Jest's node environment unchanged.
const { createHash } = require('crypto');
const { writeFileSync } = require('fs');
const { join } = require('path');
const { Console } = require('console');
const { Writable } = require('stream');
const { TestEnvironment } = require('jest-environment-node');
const { captureOutput } = require('./output-capture');

/** Output beyond this (per test, per file) keeps only its end: the last words are what explain a failure. */
const MAX_CHARS_PER_SEGMENT = 2_000_000;

/** Where the environment leaves a test file's output for the reporter (both compute it from the path). */
function capturedOutputFile(directory, testPath) {
  return join(directory, `${createHash('sha1').update(testPath).digest('hex')}.json`);
}

/** The name Jest's results give a test: its describe blocks' names and its own, joined by spaces. */
function fullNameOf(test) {
  const names = [];
  for (let block = test; block && block.parent; block = block.parent) names.unshift(block.name);
  return names.join(' ');
}

class QuietEnvironment extends TestEnvironment {
  constructor(config, context) {
    super(config, context);
    this.directory = process.env.STOCKADE_TEST_LOG_DIR;
    this.testPath = context.testPath;
    /** In order: { test: full name, or null outside any test (beforeAll, afterAll, loading), text }. */
    this.segments = [];
    this.currentTest = null;
  }

  async setup() {
    await super.setup();
    if (!this.directory) return;
    const record = (text) => this.record(text);
    captureOutput(record);
    // Replaces Jest's buffered console (set before setup): console.* goes to the same record, in order.
    const stream = new Writable({ write: (chunk, _encoding, done) => (record(chunk.toString()), done()) });
    this.global.console = new Console({ stdout: stream, stderr: stream });
  }

  record(text) {
    let last = this.segments.at(-1);
    if (!last || last.test !== this.currentTest) {
      last = { test: this.currentTest, text: '' };
      this.segments.push(last);
    }
    last.text += text;
    if (last.text.length > MAX_CHARS_PER_SEGMENT)
      last.text = `[… earlier output dropped]\n${last.text.slice(-MAX_CHARS_PER_SEGMENT)}`;
  }

  handleTestEvent(event) {
    if (event.name === 'test_start') this.currentTest = fullNameOf(event.test);
    if (event.name === 'test_done' || event.name === 'test_skip' || event.name === 'test_todo') this.currentTest = null;
  }

  async teardown() {
    if (this.directory) {
      captureOutput(undefined);
      const segments = this.segments.filter((segment) => segment.text.length > 0);
      if (segments.length > 0)
        writeFileSync(capturedOutputFile(this.directory, this.testPath), JSON.stringify(segments));
    }
    await super.teardown();
  }
}

module.exports = QuietEnvironment;
module.exports.capturedOutputFile = capturedOutputFile;
