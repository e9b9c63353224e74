/** The part of Fastify's reply the controllers and the error filter use when they answer by hand. */
export interface ReplyLike {
  status(code: number): ReplyLike;
  header(name: string, value: string): ReplyLike;
  type(contentType: string): ReplyLike;
  send(body: unknown): unknown;
}
