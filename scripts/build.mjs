// Bundles src/ into dist/ with esbuild: one start-up chunk plus lazily imported
// chunks per command, so that `footprint` loads little before it scans.
import { build } from 'esbuild';

await build({
  entryPoints: { footprint: 'src/cli/main.ts' },
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  outdir: 'dist',
  chunkNames: 'chunks/[name]-[hash]',
  minify: false,
  sourcemap: false,
  legalComments: 'none',
  logLevel: 'warning',
});
