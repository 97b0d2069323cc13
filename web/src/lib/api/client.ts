// The one API client of both apps. Same-origin fetch with the session cookie; the CSRF token from
// the anxin_csrf cookie on unsafe methods; Accept-Language from the current language; problem+json
// answers become ApiError; a 401 on an authenticated call tells the app to show its login.
import { fileNameOf } from '../download';
import { currentLanguage } from '../i18n';
import { ApiError, parseProblem } from './errors';
import type { BodyOf, Method, PathFor, PathParamsOf, QueryOf, ResponseOf } from './types';

export const CSRF_COOKIE = 'anxin_csrf';
export const CSRF_HEADER = 'X-CSRF-Token';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

// Reads one cookie of document.cookie (the CSRF cookie is not HttpOnly, by design).
export function readCookie(name: string, cookies: string = document.cookie): string | null {
  for (const part of cookies.split(';')) {
    const eq = part.indexOf('=');
    if (eq < 0) continue;
    if (part.slice(0, eq).trim() === name) {
      try {
        return decodeURIComponent(part.slice(eq + 1).trim());
      } catch {
        return part.slice(eq + 1).trim();
      }
    }
  }
  return null;
}

type Listener = (error: ApiError) => void;
const unauthenticatedListeners = new Set<Listener>();

// Calls `listener` whenever an authenticated call answers 401 (no or an ended session). Returns
// the function that removes it.
export function onUnauthenticated(listener: Listener): () => void {
  unauthenticatedListeners.add(listener);
  return () => unauthenticatedListeners.delete(listener);
}

type PathOption<PP> = [PP] extends [never] ? { path?: never } : { path: PP };

export type RequestOptions<P extends PathFor<M>, M extends Method> = PathOption<PathParamsOf<P, M>> & {
  query?: QueryOf<P, M> | undefined;
  signal?: AbortSignal | undefined;
  // Makes a POST safe to retry: the server answers a retry with the first response.
  idempotencyKey?: string | undefined;
  // False for calls that may answer 401 as an ordinary outcome (logging in).
  session?: boolean | undefined;
};

// Fills `{name}` segments of a route pattern.
export function buildPath(pattern: string, params?: Record<string, string | number>): string {
  return pattern.replace(/\{([^}]+)\}/g, (_, name: string) => {
    const value = params?.[name];
    if (value === undefined) throw new Error(`missing path parameter ${name} for ${pattern}`);
    return encodeURIComponent(String(value));
  });
}

function queryString(query: object | undefined): string {
  if (!query) return '';
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value === undefined || value === null || value === '') continue;
    params.append(key, String(value));
  }
  const text = params.toString();
  return text ? `?${text}` : '';
}

async function send(method: Method, url: string, body: unknown, options: RequestOptions<never, never>) {
  const verb = method.toUpperCase();
  const headers: Record<string, string> = {
    Accept: 'application/json, application/problem+json',
    'Accept-Language': currentLanguage(),
  };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  if (!SAFE_METHODS.has(verb)) {
    const csrf = readCookie(CSRF_COOKIE);
    if (csrf) headers[CSRF_HEADER] = csrf;
  }
  if (options.idempotencyKey) headers['Idempotency-Key'] = options.idempotencyKey;

  let response: Response;
  try {
    response = await fetch(url, {
      method: verb,
      headers,
      body: body === undefined ? null : JSON.stringify(body),
      credentials: 'same-origin',
      signal: options.signal ?? null,
    });
  } catch (cause) {
    if (cause instanceof DOMException && cause.name === 'AbortError') throw cause;
    throw ApiError.network(cause);
  }
  if (!response.ok) {
    const error = await parseProblem(response);
    if (error.status === 401 && options.session !== false) {
      for (const listener of unauthenticatedListeners) listener(error);
    }
    throw error;
  }
  return response;
}

async function request<R>(
  method: Method,
  pattern: string,
  body: unknown,
  options: RequestOptions<never, never> = {},
): Promise<R> {
  const url = buildPath(pattern, options.path as Record<string, string> | undefined) + queryString(options.query);
  const response = await send(method, url, body, options);
  if (response.status === 204) return undefined as R;
  const type = response.headers.get('Content-Type') ?? '';
  if (!type.includes('json')) return (await response.blob()) as R;
  return (await response.json()) as R;
}

type Options<P extends PathFor<M>, M extends Method> = [PathParamsOf<P, M>] extends [never]
  ? [options?: RequestOptions<P, M>]
  : [options: RequestOptions<P, M>];

// Typed calls: api.get('/api/v1/cards/{serial}', { path: { serial } }) returns the answer's JSON
// as the OpenAPI document declares it; a failure rejects with ApiError.
export const api = {
  get<P extends PathFor<'get'>>(path: P, ...options: Options<P, 'get'>): Promise<ResponseOf<P, 'get'>> {
    return request('get', path, undefined, options[0] as RequestOptions<never, never>);
  },
  post<P extends PathFor<'post'>>(
    path: P,
    body: BodyOf<P, 'post'>,
    ...options: Options<P, 'post'>
  ): Promise<ResponseOf<P, 'post'>> {
    return request('post', path, body, options[0] as RequestOptions<never, never>);
  },
  put<P extends PathFor<'put'>>(
    path: P,
    body: BodyOf<P, 'put'>,
    ...options: Options<P, 'put'>
  ): Promise<ResponseOf<P, 'put'>> {
    return request('put', path, body, options[0] as RequestOptions<never, never>);
  },
  patch<P extends PathFor<'patch'>>(
    path: P,
    body: BodyOf<P, 'patch'>,
    ...options: Options<P, 'patch'>
  ): Promise<ResponseOf<P, 'patch'>> {
    return request('patch', path, body, options[0] as RequestOptions<never, never>);
  },
  delete<P extends PathFor<'delete'>>(path: P, ...options: Options<P, 'delete'>): Promise<ResponseOf<P, 'delete'>> {
    return request('delete', path, undefined, options[0] as RequestOptions<never, never>);
  },
};

// A file the server answers (a CSV export, a PDF): its bytes and the name the server gave it in
// Content-Disposition (else `fallbackName`). A failure rejects with ApiError like any call.
export async function getFile<P extends PathFor<'get'>>(
  path: P,
  fallbackName: string,
  ...options: Options<P, 'get'>
): Promise<{ blob: Blob; fileName: string }> {
  const opts = (options[0] ?? {}) as RequestOptions<never, never>;
  const url = buildPath(path, opts.path as Record<string, string> | undefined) + queryString(opts.query);
  const response = await send('get', url, undefined, opts);
  return { blob: await response.blob(), fileName: fileNameOf(response.headers.get('Content-Disposition'), fallbackName) };
}

// The address of a file of the server, for a link the browser opens itself (a PDF in a new tab:
// the session cookie goes with it, and the server's X-Frame-Options forbids showing it in a frame).
export function fileUrl<P extends PathFor<'get'>>(path: P, ...options: Options<P, 'get'>): string {
  const opts = (options[0] ?? {}) as RequestOptions<never, never>;
  return buildPath(path, opts.path as Record<string, string> | undefined) + queryString(opts.query);
}

// A fresh Idempotency-Key.
export function newIdempotencyKey(): string {
  return typeof crypto.randomUUID === 'function'
    ? crypto.randomUUID()
    : Array.from(crypto.getRandomValues(new Uint8Array(16)), (b) => b.toString(16).padStart(2, '0')).join('');
}
