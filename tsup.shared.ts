// The build every package shares (STYLE.md §2): ESM + CJS + declarations from src/index.ts, with the build
// tsconfig that drops the @mmm/source condition so declarations use the dependencies' built types.
import { defineConfig, type Options } from 'tsup';

export const baseOptions: Options = {
  entry: ['src/index.ts'],
  format: ['esm', 'cjs'],
  dts: true,
  sourcemap: true,
  clean: true,
  target: 'es2022',
  tsconfig: 'tsconfig.build.json',
};

export default defineConfig(baseOptions);
