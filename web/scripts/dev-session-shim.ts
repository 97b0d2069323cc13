// Development and test scaffolding only; never part of the built app.
//
// Until the server implements the browser sessions of CONTRACTS.md (POST/DELETE
// /api/v1/web/session, the anxin_session cookie, the X-CSRF-Token check), this middleware of the
// Vite dev and preview servers plays that part in front of the real API, on top of its bearer
// sessions: it logs in with POST /api/v1/sessions and keeps the token in an HttpOnly cookie, sends
// the cookie's token as a bearer token, and checks the CSRF header on unsafe methods. As soon as
// the server's OpenAPI document lists /api/v1/web/session it steps aside and the server answers.
import { randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';

import type { Connect } from 'vite';

const SESSION_COOKIE = 'anxin_session';
const CSRF_COOKIE = 'anxin_csrf';
const SAFE = new Set(['GET', 'HEAD', 'OPTIONS']);

function cookies(req: IncomingMessage): Map<string, string> {
  const out = new Map<string, string>();
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0) out.set(part.slice(0, eq).trim(), decodeURIComponent(part.slice(eq + 1).trim()));
  }
  return out;
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

function problem(res: ServerResponse, status: number, code: string, detail: string) {
  res.statusCode = status;
  res.setHeader('Content-Type', 'application/problem+json');
  res.end(JSON.stringify({ type: `https://anxin.dev/problems/${code}`, title: code, status, code, detail, errors: [], request_id: 'dev-shim' }));
}

export function devSessionShim(target: string): Connect.NextHandleFunction {
  // token -> CSRF token, for the sessions this shim started.
  const csrfOf = new Map<string, string>();
  let serverHasWebSessions: Promise<boolean> | null = null;
  const detect = () => {
    serverHasWebSessions ??= fetch(`${target}/openapi.json`)
      .then((r) => r.json() as Promise<{ paths?: Record<string, unknown> }>)
      .then((doc) => Boolean(doc.paths?.['/api/v1/web/session']))
      .catch(() => {
        serverHasWebSessions = null; // the server is not up yet: ask again next time
        return false;
      });
    return serverHasWebSessions;
  };

  return (req, res, next) => {
    const url = req.url ?? '';
    if (!url.startsWith('/api/')) return next();
    void (async () => {
      if (await detect()) return next();
      const jar = cookies(req);
      const language = req.headers['accept-language'] ?? 'zh-CN';

      if (url.split('?')[0] === '/api/v1/web/session') {
        if (req.method === 'POST') {
          const answer = await fetch(`${target}/api/v1/sessions`, {
            method: 'POST',
            headers: { 'Content-Type': 'application/json', 'Accept-Language': String(language) },
            body: await readBody(req),
          });
          const text = await answer.text();
          if (!answer.ok) {
            res.statusCode = answer.status;
            res.setHeader('Content-Type', answer.headers.get('Content-Type') ?? 'application/problem+json');
            return res.end(text);
          }
          const session = JSON.parse(text) as { token: string; user: unknown; expires_at: string };
          const csrf = randomBytes(24).toString('base64url');
          csrfOf.set(session.token, csrf);
          res.statusCode = 200;
          res.setHeader('Set-Cookie', [
            `${SESSION_COOKIE}=${session.token}; Path=/; HttpOnly; SameSite=Strict`,
            `${CSRF_COOKIE}=${csrf}; Path=/; SameSite=Strict`,
          ]);
          res.setHeader('Content-Type', 'application/json');
          return res.end(JSON.stringify({ user: session.user, csrf_token: csrf, expires_at: session.expires_at }));
        }
        if (req.method === 'DELETE') {
          const token = jar.get(SESSION_COOKIE);
          if (!token) return problem(res, 401, 'unauthenticated', 'no session');
          if (req.headers['x-csrf-token'] !== csrfOf.get(token)) {
            return problem(res, 403, 'csrf_token_invalid', 'CSRF token missing or wrong');
          }
          await fetch(`${target}/api/v1/sessions/current`, {
            method: 'DELETE',
            headers: { Authorization: `Bearer ${token}` },
          });
          csrfOf.delete(token);
          res.statusCode = 204;
          res.setHeader('Set-Cookie', [
            `${SESSION_COOKIE}=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0`,
            `${CSRF_COOKIE}=; Path=/; SameSite=Strict; Max-Age=0`,
          ]);
          return res.end();
        }
      }

      const token = jar.get(SESSION_COOKIE);
      if (token && !req.headers.authorization) {
        if (!SAFE.has(req.method ?? 'GET') && req.headers['x-csrf-token'] !== csrfOf.get(token)) {
          return problem(res, 403, 'csrf_token_invalid', 'CSRF token missing or wrong');
        }
        req.headers.authorization = `Bearer ${token}`;
      }
      next();
    })().catch(next);
  };
}
