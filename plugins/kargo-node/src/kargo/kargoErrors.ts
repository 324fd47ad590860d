import {
  AuthenticationError,
  ConflictError,
  InputError,
  NotAllowedError,
  NotFoundError,
  ServiceUnavailableError,
} from '@backstage/errors';

/**
 * Turns a failed Kargo response into the matching Backstage error, keeping Kargo's own message
 * (`{"error": "..."}`) and naming the instance, so the portal shows what Kargo said.
 */
export function kargoResponseError(
  instance: string,
  status: number,
  bodyText: string,
): Error {
  let message = errorOf(bodyText) ?? bodyText.trim();
  message =
    message.slice(0, 500) ||
    // Kargo before v1.11.1 answers some errors with no body, a 401 always (auth_middleware.go
    // AbortWithStatus, rest_router.go handleError at v1.10.10).
    `HTTP ${status} with an empty body (Kargo before v1.11.1 leaves some errors unexplained; see its API server's log)`;
  const text = `Kargo instance "${instance}": ${message}`;
  switch (status) {
    case 400:
    case 413:
    case 422:
      return new InputError(text);
    case 401:
      return new AuthenticationError(text);
    case 403:
      return new NotAllowedError(text);
    case 404:
      return new NotFoundError(text);
    case 409:
      return new ConflictError(text);
    default:
      return new ServiceUnavailableError(
        text.includes(`HTTP ${status}`) ? text : `${text} (HTTP ${status})`,
      );
  }
}

/**
 * Kargo's `{"error": "..."}`. Kargo before v1.11.1 may write two of them on a 500,
 * `{"error":"internal server error"}{"error":"<cause>"}` (rest_router.go handleError at v1.10.10):
 * the first is taken.
 */
function errorOf(bodyText: string): string | undefined {
  const first = /^\s*(\{"error":"(?:[^"\\]|\\.)*"\})/.exec(bodyText)?.[1];
  for (const text of [bodyText, first]) {
    if (!text) continue;
    try {
      const parsed = JSON.parse(text);
      if (typeof parsed?.error === 'string') return parsed.error;
    } catch {
      // Not JSON (a proxy's HTML page, say).
    }
  }
  return undefined;
}

/** Worth trying a read again: the network or an overloaded Kargo, not a wrong request. */
export function isTransient(error: unknown): boolean {
  return error instanceof ServiceUnavailableError;
}

/**
 * A change was sent to Kargo but its answer never came (a timeout, a broken-off or unreadable
 * answer, a gateway timeout): Kargo may or may not have made it. Not a failure to retry blindly:
 * whoever retries first looks in Kargo for what the first attempt did.
 * @public
 */
export class KargoOutcomeUnknownError extends ServiceUnavailableError {
  // The name stays ServiceUnavailableError: callers that do not know this class answer 503.
  readonly outcomeUnknown = true;
}

/** Whether a failed change may still have taken effect in Kargo. @public */
export function isOutcomeUnknown(error: unknown): boolean {
  return (error as { outcomeUnknown?: boolean })?.outcomeUnknown === true;
}
