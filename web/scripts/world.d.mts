// Types of world.mjs.
export interface World {
  // Where the browser goes: the web app (and, through it, the API).
  webUrl: string;
  // The anxin server itself, for set-up calls through the API.
  apiUrl: string;
  // True when anxin serves the web app itself; false when vite preview does.
  servedByAnxin: boolean;
  stop: () => Promise<void>;
}
export function anxinBinary(): string;
export function freePort(): Promise<number>;
export function startWorld(): Promise<World>;
