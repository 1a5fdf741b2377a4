// Progress on the terminal: a bar (cli-progress) when stderr is a terminal, plain lines at every tenth otherwise
// (logs and CI), nothing with --quiet.
import cliProgress from 'cli-progress';
import type { FitProgress } from '@mmm/pipeline';
import { formatSeconds } from './progress.js';

/** A sink for progress states, and `stop` to end the bar. */
export interface ProgressView {
  show(s: FitProgress): void;
  stop(): void;
}

/** The view that suits the stream. */
export function progressView(stream: NodeJS.WriteStream, mode: 'auto' | 'quiet'): ProgressView {
  if (mode === 'quiet') return { show: () => undefined, stop: () => undefined };
  if (stream.isTTY) return barView(stream);
  return linesView(stream);
}

function barView(stream: NodeJS.WriteStream): ProgressView {
  const bar = new cliProgress.SingleBar(
    {
      stream,
      format: 'sampling |{bar}| {percentage}% · {phase} · attempt {attempt} · divergences {divergences}{ess} · ETA {eta}',
      hideCursor: true,
      clearOnComplete: false,
      etaBuffer: 50,
    },
    cliProgress.Presets.shades_classic,
  );
  let started = false;
  return {
    show(s) {
      const payload = {
        phase: s.phase,
        attempt: s.attempt,
        divergences: s.divergencesTotal,
        ess: essText(s),
        eta: formatSeconds(s.etaSeconds),
      };
      if (!started) {
        bar.start(1000, 0, payload);
        started = true;
      }
      bar.update(Math.round(1000 * s.fraction), payload);
    },
    stop() {
      if (started) bar.stop();
    },
  };
}

function linesView(stream: NodeJS.WriteStream): ProgressView {
  let tenth = -1;
  let attempt = 1;
  return {
    show(s) {
      if (s.attempt !== attempt) {
        attempt = s.attempt;
        tenth = -1;
        stream.write(`rerun: attempt ${s.attempt} (the convergence gate failed; see fit.diagnostics.attempts)\n`);
      }
      const k = Math.floor(10 * s.fraction);
      if (k <= tenth) return;
      tenth = k;
      stream.write(
        `sampling ${10 * k}% (${s.phase}), divergences ${s.divergencesTotal}${essText(s)}, elapsed ${formatSeconds(s.elapsedSeconds)}, ` +
          `ETA ${formatSeconds(s.etaSeconds)}\n`,
      );
    },
    stop: () => undefined,
  };
}

/** With `earlyStop`: the ESS so far against its target (the parameter furthest from it), e.g. " · ESS 312 of 500". */
export function essText(s: FitProgress): string {
  const e = s.earlyStop;
  if (!e) return '';
  return e.met
    ? ` · ESS ${Math.floor(e.ess)} of ${Math.round(e.targetEss)}: stopping`
    : ` · ESS ${Math.floor(e.ess)} of ${Math.round(e.targetEss)}`;
}
