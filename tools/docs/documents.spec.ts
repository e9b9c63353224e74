import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { GENERATED_DOCUMENTS, serialise } from './documents';

describe('the contract documents in docs/', () => {
  it.each(GENERATED_DOCUMENTS.map((d) => [d.file, d] as const))('given the schemas, then %s is up to date (run npm run docs:contracts)', (file, document) => {
    expect(readFileSync(join(__dirname, '..', '..', file), 'utf8')).toBe(serialise(document.build()));
  });
});
