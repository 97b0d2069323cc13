import { afterEach, describe, expect, it, vi } from 'vitest';

import { api, buildPath, fileUrl, getFile, onUnauthenticated, readCookie } from './client';
import { ApiError, parseProblem, parseRetryAfter } from './errors';

afterEach(() => {
  vi.unstubAllGlobals();
});

function fakeFetch(status: number, body: unknown, type = 'application/json') {
  const calls: { url: string; init: RequestInit }[] = [];
  const fetchMock = vi.fn(async (url: string, init: RequestInit) => {
    calls.push({ url, init });
    return new Response(status === 204 ? null : JSON.stringify(body), {
      status,
      headers: { 'Content-Type': type, 'X-Request-Id': 'rid-header' },
    });
  });
  vi.stubGlobal('fetch', fetchMock);
  vi.stubGlobal('document', { cookie: 'other=1; anxin_csrf=csrf%2Btoken; theme=x' });
  return calls;
}

describe('readCookie', () => {
  it('reads one cookie and decodes it', () => {
    expect(readCookie('anxin_csrf', 'a=1; anxin_csrf=abc%3D; b=2')).toBe('abc=');
    expect(readCookie('anxin', 'anxin_csrf=abc')).toBeNull();
    expect(readCookie('x', '')).toBeNull();
  });
});

describe('buildPath', () => {
  it('fills and escapes path parameters', () => {
    expect(buildPath('/api/v1/cards/{serial}/history', { serial: 'ACX00000000018' })).toBe(
      '/api/v1/cards/ACX00000000018/history',
    );
    expect(buildPath('/api/v1/policies/by-number/{policy_no}', { policy_no: 'P/1 2' })).toBe(
      '/api/v1/policies/by-number/P%2F1%202',
    );
    expect(() => buildPath('/api/v1/cards/{serial}', {})).toThrow(/serial/);
  });
});

describe('api', () => {
  it('sends the CSRF token, the language and the idempotency key on a POST, with the session cookie', async () => {
    const calls = fakeFetch(200, { serial: 'X' });
    await api.post('/api/v1/card-activations/verify', { serial: 'ACX00000000018', password: '1' }, { idempotencyKey: 'k1' });
    const { url, init } = calls[0]!;
    const headers = init.headers as Record<string, string>;
    expect(url).toBe('/api/v1/card-activations/verify');
    expect(init.method).toBe('POST');
    expect(init.credentials).toBe('same-origin');
    expect(headers['X-CSRF-Token']).toBe('csrf+token');
    expect(headers['Accept-Language']).toBe('zh-CN');
    expect(headers['Idempotency-Key']).toBe('k1');
    expect(headers['Content-Type']).toBe('application/json');
    expect(init.body).toBe('{"serial":"ACX00000000018","password":"1"}');
  });

  it('sends no CSRF token on a GET, and puts the query in the URL', async () => {
    const calls = fakeFetch(200, { items: [] });
    await api.get('/api/v1/cards', { query: { status: 'in_stock', serial_from: 'A', holder: '' } });
    expect(calls[0]!.url).toBe('/api/v1/cards?status=in_stock&serial_from=A');
    expect((calls[0]!.init.headers as Record<string, string>)['X-CSRF-Token']).toBeUndefined();
  });

  it('turns problem+json into an ApiError with its code, detail, field errors and request id', async () => {
    fakeFetch(
      400,
      {
        type: 'https://anxin.dev/problems/validation_failed',
        title: '请求无效',
        status: 400,
        code: 'validation_failed',
        detail: '请求参数有误',
        errors: [{ field: 'holder.id_number', code: 'invalid_checksum', message: '身份证号码校验位错误，请核对' }, 'junk'],
        request_id: 'rid-body',
      },
      'application/problem+json',
    );
    const error = await api.post('/api/v1/card-activations/verify', { serial: 'S', password: 'P' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    const e = error as ApiError;
    expect([e.status, e.code, e.detail, e.requestId]).toEqual([400, 'validation_failed', '请求参数有误', 'rid-body']);
    expect(e.errors).toEqual([{ field: 'holder.id_number', code: 'invalid_checksum', message: '身份证号码校验位错误，请核对' }]);
    expect(e.errorsAt('holder.id_number')).toHaveLength(1);
  });

  it('tells the app to log in again on a 401, except for calls that expect one', async () => {
    const seen: string[] = [];
    const stop = onUnauthenticated((e) => seen.push(e.code));
    fakeFetch(401, { code: 'unauthenticated', detail: '请先登录', errors: [], request_id: 'r' }, 'application/problem+json');
    await api.get('/api/v1/me').catch(() => undefined);
    await api.post('/api/v1/web/session', { login: 'a', password: 'b' }, { session: false }).catch(() => undefined);
    stop();
    await api.get('/api/v1/me').catch(() => undefined);
    expect(seen).toEqual(['unauthenticated']);
  });

  it('answers 204 with nothing', async () => {
    fakeFetch(204, null);
    await expect(api.delete('/api/v1/sessions/current')).resolves.toBeUndefined();
  });

  it('reports a failed connection as network_error', async () => {
    vi.stubGlobal('document', { cookie: '' });
    vi.stubGlobal('fetch', vi.fn(async () => Promise.reject(new TypeError('Failed to fetch'))));
    const error = (await api.get('/api/v1/me').catch((e: unknown) => e)) as ApiError;
    expect([error.status, error.code]).toEqual([0, 'network_error']);
  });
});

describe('parseProblem', () => {
  it('keeps the status of an answer that is not problem+json', async () => {
    const error = await parseProblem(new Response('<html>Bad gateway</html>', { status: 502, headers: { 'Content-Type': 'text/html' } }));
    expect([error.status, error.code, error.errors.length]).toEqual([502, 'unexpected_response', 0]);
  });

  it('keeps the Retry-After of a locked card', async () => {
    const body = JSON.stringify({ code: 'too_many_attempts', detail: '尝试次数过多', errors: [] });
    const error = await parseProblem(
      new Response(body, { status: 429, headers: { 'Content-Type': 'application/problem+json', 'Retry-After': '1800' } }),
    );
    expect([error.status, error.code, error.retryAfterSeconds]).toEqual([429, 'too_many_attempts', 1800]);
    const without = await parseProblem(new Response(body, { status: 429, headers: { 'Content-Type': 'application/problem+json' } }));
    expect(without.retryAfterSeconds).toBeNull();
  });
});

describe('parseRetryAfter', () => {
  it('reads delta-seconds and HTTP dates, and nothing else', () => {
    expect(parseRetryAfter('120')).toBe(120);
    expect(parseRetryAfter(' 0 ')).toBe(0);
    const now = Date.parse('2026-12-02T04:00:00Z');
    expect(parseRetryAfter('Wed, 02 Dec 2026 04:01:30 GMT', now)).toBe(90);
    // A date already past: no wait.
    expect(parseRetryAfter('Wed, 02 Dec 2026 03:59:00 GMT', now)).toBe(0);
    expect(parseRetryAfter('soon')).toBeNull();
    expect(parseRetryAfter('-5')).toBeNull();
    expect(parseRetryAfter(null)).toBeNull();
  });
});

describe('files', () => {
  it('reads a file answer with the name the server gave it', async () => {
    const fetchMock = vi.fn(
      async () =>
        new Response('serial,password\r\n', {
          status: 200,
          headers: { 'Content-Type': 'text/csv; charset=utf-8', 'Content-Disposition': 'attachment; filename="B1-passwords.csv"' },
        }),
    );
    vi.stubGlobal('fetch', fetchMock);
    vi.stubGlobal('document', { cookie: '' });
    const file = await getFile('/api/v1/card-batches/{id}/passwords.csv', 'passwords.csv', { path: { id: 'b 1' } });
    expect((fetchMock.mock.calls[0] as unknown[] | undefined)?.[0]).toBe('/api/v1/card-batches/b%201/passwords.csv');
    expect(file.fileName).toBe('B1-passwords.csv');
    await expect(file.blob.text()).resolves.toBe('serial,password\r\n');
  });

  it('rejects a refused export with the problem', async () => {
    fakeFetch(409, { code: 'batch_already_exported', detail: '该批次的密码已导出过', errors: [], request_id: 'r' }, 'application/problem+json');
    const error = (await getFile('/api/v1/card-batches/{id}/passwords.csv', 'x.csv', { path: { id: 'b' } }).catch((e: unknown) => e)) as ApiError;
    expect([error.status, error.code]).toEqual([409, 'batch_already_exported']);
  });

  it('builds the address of a file for a link', () => {
    expect(fileUrl('/api/v1/invoices/{invoice_no}/pdf', { path: { invoice_no: 'INV/1' } })).toBe('/api/v1/invoices/INV%2F1/pdf');
    expect(fileUrl('/api/v1/card-reports/stock', { query: { group_by: 'org', format: 'csv' } })).toBe(
      '/api/v1/card-reports/stock?group_by=org&format=csv',
    );
  });
});
