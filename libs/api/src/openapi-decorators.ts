import { applyDecorators } from '@nestjs/common';
import { ApiBody, ApiConsumes, ApiOperation, ApiQuery, ApiResponse } from '@nestjs/swagger';
import type { z } from 'zod';
import { ApiSchemaName, jsonSchemaOf, schemaRef } from './openapi-schemas';

/**
 * The few decorators a controller method carries for the OpenAPI document, over @nestjs/swagger's:
 * schemas are named component schemas generated from zod (openapi-schemas.ts), never classes
 * written a second time. What the access gate answers (401, 408, 413, 415, 429, the security
 * scheme) is added from the route's `@Access` level when the document is assembled (openapi.ts),
 * so a method names only the answers of its own: its success, and its 400/403/404/409/503.
 */

/** The operation's summary, and a longer description where one helps. */
export const Summary = (summary: string, description?: string): MethodDecorator =>
  ApiOperation({ summary, ...(description ? { description } : {}) });

/** A JSON body of this schema (`required: false`: the body may be left out). */
export const JsonBody = (
  schema: ApiSchemaName | Record<string, unknown>,
  options: { required?: boolean; description?: string } = {},
): MethodDecorator =>
  ApiBody({
    required: options.required ?? true,
    schema: typeof schema === 'string' ? schemaRef(schema) : schema,
    ...(options.description ? { description: options.description } : {}),
  });

/** The route's query parameters, one per key of its zod query schema (as the route parses it), with a description each where given. */
export function QueryFrom(query: z.ZodObject, descriptions: Readonly<Record<string, string>> = {}): MethodDecorator {
  const schema = jsonSchemaOf(query) as {
    properties?: Record<string, Record<string, unknown>>;
    required?: readonly string[];
  };
  return applyDecorators(
    ...Object.entries(schema.properties ?? {}).map(([name, property]) =>
      ApiQuery({
        name,
        required: schema.required?.includes(name) ?? false,
        schema: property,
        ...(descriptions[name] ? { description: descriptions[name] } : {}),
      }),
    ),
  );
}

/** A success answer: its status, what it means, and its JSON schema (none: no JSON body, or `content` as given). */
export const Answers = (
  status: number,
  description: string,
  schema?: ApiSchemaName | { content: Record<string, { schema: Record<string, unknown> }> },
): MethodDecorator =>
  ApiResponse({
    status,
    description,
    ...(typeof schema === 'string' ? { schema: schemaRef(schema) } : (schema ?? {})),
  } as Parameters<typeof ApiResponse>[0]);

/** The answer is a stream of Server-Sent Events (the route's 200). */
export const EventStream = (description: string): { content: Record<string, { schema: Record<string, unknown> }> } => ({
  content: { 'text/event-stream': { schema: { type: 'string', description } } },
});

/** JSON, or with `Accept: text/event-stream` progress events and then the report (the operator's long work). */
export const JsonOrEventStream = (
  shape: string,
  events: string,
): { content: Record<string, { schema: Record<string, unknown> }> } => ({
  content: {
    'application/json': {
      schema: { type: 'object', description: `${shape} (libs/operations/src/operations-contract.ts)` },
    },
    'text/event-stream': { schema: { type: 'string', description: events } },
  },
});

/** An operator answer whose shape is the named interface of libs/operations/src/operations-contract.ts (no zod schema: nothing parses it). */
export const OperatorShape = (shape: string): { content: Record<string, { schema: Record<string, unknown> }> } => ({
  content: {
    'application/json': {
      schema: { type: 'object', description: `${shape} (libs/operations/src/operations-contract.ts)` },
    },
  },
});

/** The route's own refusals, each answered with the error body (error-responses.ts). */
export function Refuses(
  refusals: Readonly<Partial<Record<400 | 403 | 404 | 409 | 429 | 503, string>>>,
): MethodDecorator {
  return applyDecorators(
    ...Object.entries(refusals).map(([status, description]) =>
      ApiResponse({ status: Number(status), description, schema: schemaRef('ErrorBody') }),
    ),
  );
}

/** The route takes these body types (the default is JSON alone). */
export const Consumes = (...mediaTypes: string[]): MethodDecorator => ApiConsumes(...mediaTypes);
