import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { GENERATED_DOCUMENTS, serialise } from './documents';

const root = join(__dirname, '..', '..', '..');

async function main(): Promise<void> {
  for (const document of GENERATED_DOCUMENTS) {
    writeFileSync(join(root, document.file), serialise(await document.build()));
    console.log(`wrote ${document.file}`);
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
