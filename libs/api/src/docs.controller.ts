import { Controller, Get, Header, Inject, NotFoundException, Param, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { Access } from './access.guard';
import type { ReplyLike } from './reply';
import { ServedOpenApiDocument } from './served-openapi-document';

const SWAGGER_ASSETS: Record<string, string> = {
  'swagger-ui.css': 'text/css; charset=utf-8',
  'swagger-ui-bundle.js': 'application/javascript; charset=utf-8',
  'swagger-ui-standalone-preset.js': 'application/javascript; charset=utf-8',
};

/**
 * OpenAPI JSON plus Swagger UI from the swagger-ui-dist package, served without
 * @fastify/static (whose current release is ESM-only and does not load under Jest). Not in the
 * document itself: it is the document (and the viewer's assets).
 */
@ApiExcludeController()
@Controller('docs')
@Access('public')
export class DocsController {
  // The package folder, found without loading swagger-ui-dist's 1 MB bundle into the server.
  private readonly assetsDir = dirname(require.resolve('swagger-ui-dist/package.json'));

  constructor(@Inject(ServedOpenApiDocument) private readonly document: ServedOpenApiDocument) {}

  @Get()
  @Header('content-type', 'text/html; charset=utf-8')
  page(): string {
    return `<!doctype html><html><head><meta charset="utf-8"><title>Stockade API</title>
<link rel="stylesheet" href="/docs/assets/swagger-ui.css"></head><body><div id="ui"></div>
<script src="/docs/assets/swagger-ui-bundle.js"></script>
<script>window.onload = () => { window.ui = SwaggerUIBundle({ url: '/docs/openapi.json', dom_id: '#ui' }); };</script>
</body></html>`;
  }

  @Get('openapi.json')
  openApi(): Record<string, unknown> {
    return this.document.get();
  }

  @Get('assets/:file')
  asset(@Param('file') file: string, @Res() reply: ReplyLike): void {
    const contentType = SWAGGER_ASSETS[file];
    if (!contentType) throw new NotFoundException(`no asset ${file}`);
    reply.type(contentType).send(readFileSync(join(this.assetsDir, file)));
  }
}
