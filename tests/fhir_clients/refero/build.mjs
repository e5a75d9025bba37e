// Bundle the Refero test page with esbuild (called by build.sh from .cache/refero/src).
// Helsenorge's design system ships its styles as Sass modules (`import s from './styles.module.scss'`),
// which its own Vite build compiles; here a small esbuild plugin compiles them with dart-sass and
// hands them to esbuild's `local-css` loader, so class names resolve as in Vite's CSS modules.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as esbuild from 'esbuild';
import * as sass from 'sass';

const src = path.dirname(fileURLToPath(import.meta.url));
const work = path.dirname(src);
const nodeModules = path.join(work, 'node_modules');
const out = path.join(work, 'dist');

const scss = {
  name: 'scss',
  setup(build) {
    build.onLoad({ filter: /\.scss$/ }, (args) => {
      const result = sass.compile(args.path, { loadPaths: [nodeModules], logger: sass.Logger.silent });
      return {
        contents: result.css,
        loader: args.path.endsWith('.module.scss') ? 'local-css' : 'css',
        resolveDir: path.dirname(args.path),
      };
    });
  },
};

fs.rmSync(out, { recursive: true, force: true });
await esbuild.build({
  entryPoints: [path.join(src, 'index.jsx')],
  bundle: true,
  format: 'esm',
  outdir: out,
  jsx: 'automatic',
  minify: true,
  legalComments: 'none',
  logLevel: 'warning',
  define: { 'process.env.NODE_ENV': '"production"' },
  loader: { '.woff': 'file', '.woff2': 'file', '.ttf': 'file', '.svg': 'file', '.png': 'file' },
  plugins: [scss],
});
// Refero starts its FHIRPath web worker from `new URL('assets/fhirpath-rpc.worker-*.js', import.meta.url)`,
// which esbuild leaves as it is: the worker file goes next to the bundle.
const assets = path.join(nodeModules, '@helsenorge', 'refero', 'assets');
fs.mkdirSync(path.join(out, 'assets'), { recursive: true });
for (const name of fs.readdirSync(assets)) fs.copyFileSync(path.join(assets, name), path.join(out, 'assets', name));
fs.copyFileSync(path.join(src, 'index.html'), path.join(out, 'index.html'));
