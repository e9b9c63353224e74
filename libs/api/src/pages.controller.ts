import { Controller, Get, NotFoundException, Param, Res } from '@nestjs/common';
import { ApiExcludeEndpoint } from '@nestjs/swagger';
import { existsSync, readFileSync } from 'node:fs';
import { extname, join, normalize, sep } from 'node:path';
import { Access } from './access.guard';
import type { ReplyLike } from './reply';
import { Answers, Summary } from './openapi-decorators';

const HTML = { content: { 'text/html': { schema: { type: 'string' } } } };

/** Beside the compiled controller (the build copies libs/api/web to dist/libs/api/web), or beside the source under Jest. */
export const WEB_ROOT = join(__dirname, '..', 'web');

const CONTENT_TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
};

/**
 * The pages: same origin as the API, scripts only from here, no inline script, no framing. The
 * pages reach the API with fetch, so `connect-src 'self'` is all they need.
 */
const SECURITY_HEADERS: Readonly<Record<string, string>> = {
  'content-security-policy':
    "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'",
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
};

/**
 * The operator dashboard (/dashboard) and the demo storefront (/shop): static pages of plain ES
 * modules (ADR 0018), served from memory. The pages themselves are public; what they show comes
 * from the API with the operator token the dashboard asks for, or the open shopper routes.
 */
@Controller()
@Access('public')
export class PagesController {
  private readonly files = new Map<string, Buffer>();

  @Get('dashboard')
  @Summary('The operator dashboard (a page; what it shows needs the operator token)')
  @Answers(200, 'The page', HTML)
  dashboard(@Res() reply: ReplyLike): void {
    this.send(reply, 'dashboard.html');
  }

  @Get('shop')
  @Summary('The demo storefront (a page over the shopper routes)')
  @Answers(200, 'The page', HTML)
  shop(@Res() reply: ReplyLike): void {
    this.send(reply, 'shop.html');
  }

  /** The pages' scripts and styles: files, not an API. */
  @ApiExcludeEndpoint()
  @Get('ui/*')
  asset(@Param('*') path: string, @Res() reply: ReplyLike): void {
    this.send(reply, path);
  }

  private send(reply: ReplyLike, path: string): void {
    const file = normalize(path);
    const contentType = CONTENT_TYPES[extname(file)];
    // Only known kinds of file, only inside the web folder.
    if (!contentType || file.startsWith('..') || file.split(sep).includes('..'))
      throw new NotFoundException(`no page ${path}`);
    let body = this.files.get(file);
    if (!body) {
      const full = join(WEB_ROOT, file);
      if (!existsSync(full)) throw new NotFoundException(`no page ${path}`);
      body = readFileSync(full);
      this.files.set(file, body);
    }
    for (const [name, value] of Object.entries(SECURITY_HEADERS)) reply.header(name, value);
    reply.header('cache-control', 'no-cache');
    reply.type(contentType).send(body);
  }
}
