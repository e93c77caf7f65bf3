import { HTTP_EXCEPTION } from './metrics.constants';
import { exceptionName } from './outcome';

/**
 * Leaves the error a request failed with on its response, for the `exception` label of
 * http_server_requests_seconds. Keel's interceptor does this for errors thrown by handlers
 * and pipes; call it from your own exception filter to also name errors from guards or
 * middleware. The first recorded error wins.
 */
export function recordHttpException(response: object, error: unknown): void {
  const holder = response as { [HTTP_EXCEPTION]?: string };
  if (holder[HTTP_EXCEPTION] === undefined) holder[HTTP_EXCEPTION] = exceptionName(error);
}

/** @internal The recorded exception name, if any. */
export function recordedHttpException(response: object): string | undefined {
  return (response as { [HTTP_EXCEPTION]?: string })[HTTP_EXCEPTION];
}
