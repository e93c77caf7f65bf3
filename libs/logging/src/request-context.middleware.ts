import type { IncomingMessage, ServerResponse } from 'node:http';
import { Inject, Injectable, type NestMiddleware } from '@nestjs/common';
import { formatTraceparent, getContext } from '@keel/core';
import { pinoHttp, type HttpLogger } from 'pino-http';
import { LOGGING_RUNTIME, REQUEST_ID_HEADER, TRACEPARENT_HEADER } from './logging.constants';
import type { HttpLoggingOptions } from './logging.options';
import type { LoggingRuntime } from './logging.runtime';
import { httpSerializers } from './pino.factory';
import { contextFromHeaders, runWithTraceContext } from './trace-context';

function ignoreMatcher(paths: readonly string[]): ((req: IncomingMessage) => boolean) | undefined {
  if (paths.length === 0) return undefined;
  const exact = new Set(paths.filter((p) => !p.endsWith('/*')));
  const prefixes = paths.filter((p) => p.endsWith('/*')).map((p) => p.slice(0, -1));
  return (req) => {
    const url = req.url ?? '';
    const q = url.indexOf('?');
    const path = q === -1 ? url : url.slice(0, q);
    return exact.has(path) || prefixes.some((p) => path.startsWith(p));
  };
}

/**
 * Starts core's context for each request (request id, trace context), echoes the ids on the
 * response and runs pino-http inside it, so every line of the request carries them.
 */
@Injectable()
export class RequestContextMiddleware implements NestMiddleware {
  private readonly httpLogger: HttpLogger;
  private readonly header: string;

  constructor(@Inject(LOGGING_RUNTIME) runtime: LoggingRuntime) {
    // with `http: false` the module never mounts this middleware; it is still constructed
    const http: Required<HttpLoggingOptions> = runtime.options.http || {
      autoLogging: false,
      ignorePaths: [],
      requestIdHeader: REQUEST_ID_HEADER,
    };
    this.header = http.requestIdHeader;
    const ignore = ignoreMatcher(http.ignorePaths);
    this.httpLogger = pinoHttp({
      logger: runtime.logger,
      genReqId: () => getContext()?.requestId ?? '',
      serializers: httpSerializers(runtime.redactor),
      autoLogging: http.autoLogging ? (ignore ? { ignore } : true) : false,
    });
  }

  use(req: IncomingMessage, res: ServerResponse, next: (error?: unknown) => void): void {
    const incoming = contextFromHeaders(req.headers, this.header);
    res.setHeader(this.header, incoming.requestId);
    res.setHeader(TRACEPARENT_HEADER, formatTraceparent(incoming));
    runWithTraceContext(incoming, () => this.httpLogger(req, res, next));
  }
}
