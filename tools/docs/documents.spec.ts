import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { GENERATED_DOCUMENTS, serialise } from './documents';

describe('the contract documents in docs/', () => {
  it.each(GENERATED_DOCUMENTS.map((d) => [d.file, d] as const))(
    'given the controllers and schemas, then %s is up to date (run npm run docs:contracts)',
    async (file, document) => {
      expect(readFileSync(join(__dirname, '..', '..', file), 'utf8')).toBe(serialise(await document.build()));
    },
  );
});
