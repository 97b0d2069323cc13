// Types of world.mjs.
export interface World {
  // Where the browser goes: the web app, served by anxin (the same origin as the API).
  webUrl: string;
  // The anxin server itself, for set-up calls through the API.
  apiUrl: string;
  stop: () => Promise<void>;
}
export function anxinBinary(): string;
export function freePort(): Promise<number>;
export interface WorldOptions {
  // More of the server's environment (ANXIN_* configuration), over the defaults.
  env?: Record<string, string>;
}
export function startWorld(options?: WorldOptions): Promise<World>;
