import { buildOpenApiDocument } from '@stockade/api';
import { buildAsyncApiDocument } from '@stockade/contracts';
import { version } from '../../package.json';

/** The generated contract documents and where they live in docs/. */
export const GENERATED_DOCUMENTS = [
  { file: 'docs/openapi.json', build: () => buildOpenApiDocument(version) },
  { file: 'docs/asyncapi.json', build: () => buildAsyncApiDocument(version) },
] as const;

export const serialise = (document: unknown) => `${JSON.stringify(document, null, 2)}\n`;
