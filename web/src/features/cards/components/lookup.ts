// The look-up's answers, for the screen.

// The whole minutes of a Retry-After (at least 1), or null when the server gave none.
export function waitMinutes(retryAfterSeconds: number | null): number | null {
  if (retryAfterSeconds === null || !Number.isFinite(retryAfterSeconds) || retryAfterSeconds < 0) return null;
  return Math.max(1, Math.ceil(retryAfterSeconds / 60));
}
