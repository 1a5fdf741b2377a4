// Formatting of the progress fitMMM reports (its `onProgress` gives the share done, the phase and an ETA).

/** Seconds as `1m 05s` or `12s` (`?` when unknown). */
export function formatSeconds(s: number | undefined): string {
  if (s === undefined || !Number.isFinite(s)) return '?';
  const r = Math.round(s);
  return r >= 60 ? `${Math.floor(r / 60)}m ${String(r % 60).padStart(2, '0')}s` : `${r}s`;
}
