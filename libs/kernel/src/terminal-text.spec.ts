import { escapeControlCharacters, escapeControlCharactersIn, terminalSafeJson } from './terminal-text';

describe('text from data, shown on a terminal', () => {
  it('given a key with an ANSI colour sequence and a carriage return, when escaped, then no control character is left and each is visible', () => {
    const key = 'chk-1\x1b[31mRED\r\x07';

    const shown = escapeControlCharacters(key);

    expect(shown).toBe('chk-1\\x1b[31mRED\\r\\x07');
    expect(shown).not.toMatch(/[\u0000-\u001f\u007f-\u009f]/);
  });

  it('given C1 controls (a one-character CSI), DEL, tab and newline, when escaped, then they are written as escapes too', () => {
    expect(escapeControlCharacters('a\u009b2Jb\u007fc\td\ne\u0085')).toBe('a\\u009b2Jb\\x7fc\\td\\ne\\u0085');
  });

  it('given ordinary text with accents, symbols and backslashes, when escaped, then it is unchanged', () => {
    expect(escapeControlCharacters('Déjà vu — 3 × LAMP: C:\\tmp €')).toBe('Déjà vu — 3 × LAMP: C:\\tmp €');
  });

  it('given a report read from a server, when escaped throughout, then every string (keys of objects too) is safe and numbers stay numbers', () => {
    const report = {
      key: '\x1b[2J',
      attempts: 3,
      headers: { 'x-\x1bname': 'v\r' },
      lines: ['ok', '\u009b'],
      replayed: null,
    };

    expect(escapeControlCharactersIn(report)).toEqual({
      key: '\\x1b[2J',
      attempts: 3,
      headers: { 'x-\\x1bname': 'v\\r' },
      lines: ['ok', '\\u009b'],
      replayed: null,
    });
  });

  it('given a value with C1 controls and DEL, when written as JSON for a terminal, then they are \\u escapes and it parses back to the same value', () => {
    const value = { key: 'a\u009bb\u007f\x1b' };

    const json = terminalSafeJson(value);

    expect(json).not.toMatch(/[\u0000-\u001f\u007f-\u009f]/);
    expect(JSON.parse(json)).toEqual(value);
  });
});
