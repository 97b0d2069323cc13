// Routes of CONTRACTS.md ("Browser sessions") that the server does not describe yet. Each entry is
// used only while the generated types lack that path (see ApiPaths in ./types): once the server's
// OpenAPI document has it, the generated declaration wins and the entry here should be deleted.
import type { paths } from '../../api-types';

type MeResponse = paths['/api/v1/me']['get']['responses'][200]['content']['application/json'];

interface ProblemResponse {
  content: { 'application/problem+json': unknown };
}

export interface PendingPaths {
  '/api/v1/web/session': {
    // Log in from a browser: sets the HttpOnly anxin_session cookie and the anxin_csrf cookie.
    post: {
      parameters: { query?: never; header?: never; path?: never; cookie?: never };
      requestBody: { content: { 'application/json': { login: string; password: string } } };
      responses: {
        200: {
          content: { 'application/json': { user: MeResponse; csrf_token: string; expires_at: string } };
        };
        400: ProblemResponse;
        401: ProblemResponse;
        429: ProblemResponse;
      };
    };
    // Log out: ends the session server-side and clears both cookies.
    delete: {
      parameters: { query?: never; header?: never; path?: never; cookie?: never };
      requestBody?: never;
      responses: { 204: { content?: never }; 401: ProblemResponse; 403: ProblemResponse };
    };
  };
}
