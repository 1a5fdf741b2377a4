// The CLI tests run the built `mmm` binary, as a user would: build it and the packages it imports first (turbo
// skips what is built already, so after `npm run build` this takes a second).
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export default function setup(): void {
  const root = fileURLToPath(new URL('../../../', import.meta.url));
  execFileSync(
    process.platform === 'win32' ? 'npx.cmd' : 'npx',
    ['turbo', 'run', 'build', '--filter=@mmm/cli...', '--output-logs=errors-only'],
    { cwd: root, stdio: 'inherit', env: { ...process.env, TURBO_TELEMETRY_DISABLED: '1' } },
  );
}
