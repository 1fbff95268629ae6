/**
 * @module bodiless-response — the Node response class of Amphi's HTTP server. @hono/node-server gives
 * every answer a Content-Type (text/plain when the handler set none), also a 204 or 304, which carry no
 * content (RFC 9110 §15.3.5, §15.4.5): a client that trusts the header would look for a body that is not
 * there. This class takes the header off those answers and leaves every other answer as it is.
 */
import { ServerResponse, type IncomingMessage, type OutgoingHttpHeader, type OutgoingHttpHeaders } from 'node:http';

const WITHOUT_CONTENT = new Set([204, 304]);

type HeaderList = OutgoingHttpHeaders | OutgoingHttpHeader[];

/** @hono/node-server passes its headers as an object; a flat [name, value...] list passes as it came */
function withoutContentType(headers: HeaderList | undefined): HeaderList | undefined {
  if (headers === undefined || Array.isArray(headers)) return headers;
  return Object.fromEntries(Object.entries(headers).filter(([name]) => name.toLowerCase() !== 'content-type'));
}

export class BodilessResponse<Request extends IncomingMessage = IncomingMessage> extends ServerResponse<Request> {
  override writeHead(statusCode: number, messageOrHeaders?: string | HeaderList, headers?: HeaderList): this {
    if (WITHOUT_CONTENT.has(statusCode)) {
      this.removeHeader('content-type');
      if (typeof messageOrHeaders === 'string') return super.writeHead(statusCode, messageOrHeaders, withoutContentType(headers));
      return super.writeHead(statusCode, withoutContentType(messageOrHeaders));
    }
    return typeof messageOrHeaders === 'string' ? super.writeHead(statusCode, messageOrHeaders, headers) : super.writeHead(statusCode, messageOrHeaders);
  }
}
