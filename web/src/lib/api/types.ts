// Types of requests and answers, all derived from the generated OpenAPI types (src/api-types.ts):
// a route, method, body or answer the server does not have fails the type check.
import type { paths } from '../../api-types';

// The routes of the server, as its OpenAPI document describes them.
export type ApiPaths = paths;

export type Method = 'get' | 'post' | 'put' | 'patch' | 'delete';

// The paths that have an operation for `M`.
export type PathFor<M extends Method> = {
  [P in keyof ApiPaths]: ApiPaths[P] extends Record<M, { responses: object }> ? P : never;
}[keyof ApiPaths];

export type Operation<P extends PathFor<M>, M extends Method> = ApiPaths[P] extends Record<M, infer O> ? O : never;

type SuccessStatus = 200 | 201 | 202 | 204;

type JsonContent<R> = R extends { content: { 'application/json': infer J } } ? J : void;

// The JSON of the success answer of an operation (void for 204 and non-JSON answers).
export type ResponseOf<P extends PathFor<M>, M extends Method> =
  Operation<P, M> extends { responses: infer Rs }
    ? JsonContent<Rs[Extract<keyof Rs, SuccessStatus>]>
    : never;

// The JSON request body of an operation (never when it takes none).
export type BodyOf<P extends PathFor<M>, M extends Method> =
  NonNullable<Operation<P, M> extends { requestBody?: infer B } ? B : never> extends {
    content: { 'application/json': infer J };
  }
    ? J
    : never;

export type QueryOf<P extends PathFor<M>, M extends Method> =
  Operation<P, M> extends { parameters: { query?: infer Q } } ? NonNullable<Q> : never;

export type PathParamsOf<P extends PathFor<M>, M extends Method> =
  Operation<P, M> extends { parameters: { path: infer PP } } ? PP : never;

// A named JSON schema of the server, by route: e.g. ResponseOf<'/api/v1/me', 'get'>.
export type Me = ResponseOf<'/api/v1/me', 'get'>;
