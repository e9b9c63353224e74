import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { GENERATED_DOCUMENTS, serialise } from './documents';

const root = join(__dirname, '..', '..', '..');
for (const document of GENERATED_DOCUMENTS) {
  writeFileSync(join(root, document.file), serialise(document.build()));
  console.log(`wrote ${document.file}`);
}
