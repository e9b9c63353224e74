// Jest's default reporter, quiet about tests that pass: what a test file printed (held back by
// quiet-environment.js) is shown only for the tests that failed, after their failure, together with
// what the file printed outside any test (beforeAll, afterAll). A passing run prints one line per file.
const { mkdtempSync, readFileSync, rmSync } = require('fs');
const { tmpdir } = require('os');
const { join } = require('path');
const { DefaultReporter } = require('@jest/reporters');
const { capturedOutputFile } = require('./quiet-environment');

class QuietReporter extends DefaultReporter {
  constructor(globalConfig, reporterOptions, reporterContext) {
    super(globalConfig, reporterOptions, reporterContext);
    // Set before Jest starts its workers, which inherit it: it turns the environment's capture on.
    this.directory = mkdtempSync(join(tmpdir(), 'stockade-jest-output-'));
    process.env.STOCKADE_TEST_LOG_DIR = this.directory;
  }

  onTestResult(test, result, aggregatedResults) {
    const segments = this.takeCapturedOutput(result.testFilePath);
    const failedTests = new Set(
      result.testResults.filter((assertion) => assertion.status === 'failed').map((assertion) => assertion.fullName),
    );
    const fileFailed = failedTests.size > 0 || Boolean(result.testExecError) || Boolean(result.failureMessage);
    super.onTestResult(test, fileFailed ? result : { ...result, console: undefined }, aggregatedResults);
    if (!fileFailed) return;
    const shown = segments.filter((segment) => segment.test === null || failedTests.has(segment.test));
    if (shown.length === 0) return;
    this.log(`  ● Output of the failed tests (and of the file outside its tests), held back while they ran:\n`);
    for (const segment of shown) this.log(`  ── ${segment.test ?? '(outside any test)'}\n${segment.text.trimEnd()}\n`);
  }

  takeCapturedOutput(testPath) {
    const file = capturedOutputFile(this.directory, testPath);
    try {
      return JSON.parse(readFileSync(file, 'utf8'));
    } catch {
      return [];
    } finally {
      rmSync(file, { force: true });
    }
  }

  onRunComplete(testContexts, aggregatedResults) {
    rmSync(this.directory, { recursive: true, force: true });
    return super.onRunComplete?.(testContexts, aggregatedResults);
  }
}

module.exports = QuietReporter;
