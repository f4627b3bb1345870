/**
 * Errors raised before a route runs, in the same `{error: {code, message}}` shape as every other:
 *   - Node's HTTP parser (fastify's `clientErrorHandler`): headers over Node's limit → 431
 *     `headers_too_large` (414 `uri_too_long` when it is the request line that is too long),
 *     a timeout → 408 `request_timeout`, anything unparsable → 400 `bad_request`;
 *   - fastify's router (`frameworkErrors`): a path that does not decode (`/%zz`) → 400
 *     `invalid_url`, a path parameter over `maxParamLength` → 414 `uri_too_long`;
 *   - `rejectLongUrls` (onRequest): a URL over MAX_URL_LENGTH → 414 `uri_too_long`.
 */
import { STATUS_CODES } from 'node:http';
import type { Socket } from 'node:net';
import type { ConnectionError, FastifyError, FastifyReply, FastifyRequest } from 'fastify';

/** Longer request targets are refused with 414 (Node's whole header limit is 16 KiB). */
export const MAX_URL_LENGTH = 8 * 1024;

const errorBody = (code: string, message: string) => JSON.stringify({ error: { code, message } });

/** The raw-socket answer Node would give, with our JSON body; the connection is then closed. */
function writeRaw(socket: Socket, status: number, code: string, message: string): void {
  const body = errorBody(code, message);
  socket.end(
    `HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\n` +
      'Content-Type: application/json; charset=utf-8\r\n' +
      `Content-Length: ${Buffer.byteLength(body)}\r\n` +
      'Connection: close\r\n\r\n' +
      body,
  );
}

/** True when the request line alone (method, target, version) did not fit the parser's limit. */
function requestLineTooLong(packet: unknown): boolean {
  if (!Buffer.isBuffer(packet)) return false;
  const end = packet.indexOf('\r\n');
  return end === -1 ? packet.length > MAX_URL_LENGTH : end > MAX_URL_LENGTH;
}

export function clientErrorHandler(err: ConnectionError, socket: Socket): void {
  // A reset connection has nobody left to answer.
  if (err.code === 'ECONNRESET' || socket.destroyed) return;
  if (!socket.writable) return void socket.destroy();
  if (err.code === 'ERR_HTTP_REQUEST_TIMEOUT') {
    return writeRaw(socket, 408, 'request_timeout', 'The request took too long to arrive.');
  }
  if (err.code === 'HPE_HEADER_OVERFLOW') {
    if (requestLineTooLong((err as { rawPacket?: unknown }).rawPacket)) {
      return writeRaw(socket, 414, 'uri_too_long', 'The request URL is too long.');
    }
    return writeRaw(socket, 431, 'headers_too_large', 'The request headers are too large.');
  }
  if (err.code === 'HPE_URI_TOO_LONG') {
    return writeRaw(socket, 414, 'uri_too_long', 'The request URL is too long.');
  }
  writeRaw(socket, 400, 'bad_request', 'The request is not valid HTTP.');
}

export function frameworkErrors(
  error: FastifyError,
  _req: FastifyRequest,
  reply: FastifyReply,
): void {
  if (error.code === 'FST_ERR_BAD_URL') {
    void reply.status(400).send({
      error: { code: 'invalid_url', message: 'The request URL is not validly percent-encoded.' },
    });
    return;
  }
  if (error.code === 'FST_ERR_MAX_PARAM_LENGTH') {
    void reply
      .status(414)
      .send({ error: { code: 'uri_too_long', message: 'A part of the request URL is too long.' } });
    return;
  }
  void reply
    .status(500)
    .send({ error: { code: 'internal', message: 'Something went wrong on our side.' } });
}

/** onRequest: a request target longer than MAX_URL_LENGTH gets 414 before any work. */
export async function rejectLongUrls(req: FastifyRequest, reply: FastifyReply): Promise<void> {
  if (req.url.length > MAX_URL_LENGTH) {
    await reply
      .status(414)
      .send({ error: { code: 'uri_too_long', message: 'The request URL is too long.' } });
  }
}
