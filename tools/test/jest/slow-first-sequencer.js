// Jest's order, with a better first guess. Jest starts the longest test files first (so no worker
// idles at the end), knowing their durations from its cache; on a fresh clone (CI) it has none and
// orders by file size, which would start the one-minute fault harness, a 30-line file, last. Files
// with no recorded duration are ordered here by the timeout they declare (`jest.setTimeout`), their
// author's estimate of how long they take, then by size.
const { readFileSync } = require('fs');
const TestSequencer = require('@jest/test-sequencer').default;

function declaredTimeout(path) {
  try {
    const match = /jest\.setTimeout\(\s*([\d_]+)\s*\)/.exec(readFileSync(path, 'utf8'));
    return match ? Number(match[1].replaceAll('_', '')) : 0;
  } catch {
    return 0;
  }
}

class SlowFirstSequencer extends TestSequencer {
  sort(tests) {
    const sorted = super.sort(tests);
    const unknown = sorted.filter((test) => test.duration == null && !this.hasFailed(test));
    if (unknown.length === 0) return sorted;
    const timeouts = new Map(unknown.map((test) => [test.path, declaredTimeout(test.path)]));
    // Stable: among equal timeouts, Jest's order (by size) stays.
    const byTimeout = [...unknown].sort((a, b) => timeouts.get(b.path) - timeouts.get(a.path));
    const known = sorted.filter((test) => !timeouts.has(test.path));
    // As Jest does: failed first, then known durations, longest first; files with no duration after them.
    return [...known.filter((test) => this.hasFailed(test)), ...byTimeout, ...known.filter((test) => !this.hasFailed(test))];
  }
}

module.exports = SlowFirstSequencer;
