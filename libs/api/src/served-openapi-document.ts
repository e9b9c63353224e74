import type { INestApplication } from '@nestjs/common';
import { StockadeError } from '@stockade/kernel';
import { OpenApiDocument, openApiDocumentOf } from './openapi';

/**
 * The document /docs/openapi.json serves: the app's own routes, generated from its controllers
 * once the app exists (`serveOwnOpenApiDocument`), so a service alone documents its routes and
 * the gateway and the embedded runner every route.
 */
export class ServedOpenApiDocument {
  private document: OpenApiDocument | undefined;

  constructor(readonly version: string) {}

  publish(document: OpenApiDocument): void {
    this.document = document;
  }

  get(): OpenApiDocument {
    if (!this.document)
      throw new StockadeError('UNAVAILABLE', 'the OpenAPI document is generated once the app has started', {
        retriable: true,
      });
    return this.document;
  }
}

/** Generates the document of the app's routes and serves it at /docs/openapi.json: call it once the app is created. */
export function serveOwnOpenApiDocument(app: INestApplication): OpenApiDocument {
  const served = app.get(ServedOpenApiDocument);
  const document = openApiDocumentOf(app, served.version);
  served.publish(document);
  return document;
}
