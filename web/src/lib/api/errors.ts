// Errors of API calls. The server answers every error as application/problem+json (RFC 9457) with
// a stable `code`, a `detail` in the requested language, the offending fields and the request id.
import type { components } from '../../api-types';

export type Problem = components['schemas']['Problem'];
export type FieldProblem = Problem['errors'][number];

export class ApiError extends Error {
  readonly status: number;
  // The server's stable code ("validation_failed", "invalid_card_credentials", ...), or
  // "network_error" when no answer came, "unexpected_response" when it was not problem+json.
  readonly code: string;
  readonly detail: string;
  readonly title: string;
  readonly errors: readonly FieldProblem[];
  readonly requestId: string | null;
  // Seconds to wait before trying again (the Retry-After of a 429 or 503), when the server said.
  readonly retryAfterSeconds: number | null;

  constructor(init: {
    status: number;
    code: string;
    detail: string;
    title?: string;
    errors?: readonly FieldProblem[];
    requestId?: string | null;
    retryAfterSeconds?: number | null;
  }) {
    super(init.detail || init.code);
    this.name = 'ApiError';
    this.status = init.status;
    this.code = init.code;
    this.detail = init.detail;
    this.title = init.title ?? '';
    this.errors = init.errors ?? [];
    this.requestId = init.requestId ?? null;
    this.retryAfterSeconds = init.retryAfterSeconds ?? null;
  }

  static network(cause: unknown): ApiError {
    const error = new ApiError({ status: 0, code: 'network_error', detail: '' });
    (error as { cause?: unknown }).cause = cause;
    return error;
  }

  // The errors naming `field` exactly.
  errorsAt(field: string): FieldProblem[] {
    return this.errors.filter((e) => e.field === field);
  }
}

export function isApiError(error: unknown): error is ApiError {
  return error instanceof ApiError;
}

function isFieldProblem(value: unknown): value is FieldProblem {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Record<string, unknown>;
  return typeof v.field === 'string' && typeof v.code === 'string' && typeof v.message === 'string';
}

// Builds the ApiError of a failed response. A problem+json body gives code, detail, errors and
// request id; anything else (a proxy's HTML page, an empty body) gives "unexpected_response".
// The seconds of a Retry-After header (delta-seconds, or an HTTP date from `now`); null when
// absent or unreadable.
export function parseRetryAfter(value: string | null, now: number = Date.now()): number | null {
  if (value === null) return null;
  const text = value.trim();
  if (/^\d+$/.test(text)) return Number(text);
  // An HTTP date names its month ("Wed, 02 Dec 2026 04:00:00 GMT"); Date.parse alone would take "-5"
  // for a year.
  const at = /[A-Za-z]{3}/.test(text) ? Date.parse(text) : Number.NaN;
  if (Number.isNaN(at)) return null;
  return Math.max(0, Math.ceil((at - now) / 1000));
}

export async function parseProblem(response: Response): Promise<ApiError> {
  const requestId = response.headers.get('X-Request-Id');
  const retryAfterSeconds = parseRetryAfter(response.headers.get('Retry-After'));
  const type = response.headers.get('Content-Type') ?? '';
  if (type.includes('application/problem+json') || type.includes('application/json')) {
    try {
      const body = (await response.json()) as Record<string, unknown>;
      if (typeof body.code === 'string') {
        return new ApiError({
          status: response.status,
          code: body.code,
          detail: typeof body.detail === 'string' ? body.detail : '',
          title: typeof body.title === 'string' ? body.title : '',
          errors: Array.isArray(body.errors) ? body.errors.filter(isFieldProblem) : [],
          requestId: typeof body.request_id === 'string' ? body.request_id : requestId,
          retryAfterSeconds,
        });
      }
    } catch {
      // Not JSON after all: fall through.
    }
  }
  return new ApiError({ status: response.status, code: 'unexpected_response', detail: '', requestId, retryAfterSeconds });
}
