/** One slow adaptation window: warmup iterations `start` … `end` (inclusive, 0-based). */
export interface AdaptationWindow {
  start: number;
  end: number;
}

/**
 * Stan's windowed adaptation schedule: an initial fast interval (step size only), slow windows that double in
 * length (metric estimated from each window's draws, then reset), and a terminal fast interval. With fewer than
 * 20 warmup iterations there are no windows; when 75 + 25 + 50 exceeds the warmup the buffers become 15%, 75%
 * and 10% of it.
 * @param warmup - number of warmup iterations
 * @param initBuffer - initial fast interval; default 75
 * @param termBuffer - terminal fast interval; default 50
 * @param baseWindow - first slow window; default 25
 * @example
 * warmupSchedule(1000); // windows 75–99, 100–149, 150–249, 250–449, 450–949
 */
export function warmupSchedule(warmup: number, initBuffer = 75, termBuffer = 50, baseWindow = 25): AdaptationWindow[] {
  if (warmup < 20) return [];
  let init = initBuffer;
  let term = termBuffer;
  let base = baseWindow;
  if (init + base + term > warmup) {
    init = Math.trunc(0.15 * warmup);
    term = Math.trunc(0.1 * warmup);
    base = warmup - (init + term);
  }
  const lastEnd = warmup - term - 1;
  const windows: AdaptationWindow[] = [];
  let size = base;
  let start = init;
  let end = init + size - 1;
  for (;;) {
    if (end > lastEnd) end = lastEnd;
    windows.push({ start, end });
    if (end >= lastEnd) break;
    start = end + 1;
    size *= 2;
    end = start + size - 1;
    // a window that would leave less than twice its size before the terminal buffer absorbs the rest
    if (end + 2 * size >= warmup - term) end = lastEnd;
  }
  return windows;
}
