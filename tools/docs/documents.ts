import { buildOpenApiDocument } from '@stockade/gateway';
import { buildAsyncApiDocument } from '@stockade/contracts';
import { version } from '../../package.json';

/** The generated contract documents and where they live in docs/: OpenAPI from the controllers (the gateway's routes, every one), AsyncAPI from the topics. */
export const GENERATED_DOCUMENTS: readonly { readonly file: string; build(): Promise<unknown> }[] = [
  { file: 'docs/openapi.json', build: () => buildOpenApiDocument(version) },
  { file: 'docs/asyncapi.json', build: async () => buildAsyncApiDocument(version) },
];

export const serialise = (document: unknown) => `${JSON.stringify(document, null, 2)}\n`;
