// Vite build of the Headlamp harness: Headlamp's real frontend code (the `lib/` folder of the npm package
// @kinvolk/headlamp-plugin) plus a thin app shell in src/. The output is a static web app that the real
// Headlamp backend serves with `-html-static-dir`. Recipe and reasons: shared/research/headlamp-harness-probe.md.
import fs from 'node:fs';
import path from 'node:path';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';
import svgr from 'vite-plugin-svgr';

const here = path.dirname(new URL(import.meta.url).pathname);
// The repository's one node_modules (package.json at the root).
const nodeModules = path.resolve(here, '..', '..', 'node_modules');

// `hl` is a symlink to the package's lib/. With preserveSymlinks the files keep a path without `node_modules`
// in it, so Vite treats them as source (svgr `?react`, `?url`, import.meta.env work) and pre-bundles only
// their bare imports. A plain alias into node_modules breaks esbuild's dependency scan.
const HL = path.resolve(here, 'hl');
const HL_TARGET = path.join(nodeModules, '@kinvolk', 'headlamp-plugin', 'lib');
// Re-pointed when it names another node_modules (e2e/ used to have its own).
const HL_LINK = path.relative(here, HL_TARGET);
if (fs.lstatSync(HL, { throwIfNoEntry: false }) && fs.readlinkSync(HL) !== HL_LINK) fs.unlinkSync(HL);
if (!fs.existsSync(HL)) fs.symlinkSync(HL_LINK, HL);

// Headlamp bundles its icons (components/App/icons, not in the npm package); without them @iconify/react
// asks the internet. This emits the whole Material Design Icons set as one static JSON collection that the
// shell registers before rendering, so every `mdi:*` icon a plugin names works offline.
function offlineMdiIcons() {
  return {
    name: 'offline-mdi-icons',
    apply: 'build',
    generateBundle() {
      const dir = path.join(nodeModules, '@iconify', 'icons-mdi');
      const icons = {};
      for (const file of fs.readdirSync(dir)) {
        if (!file.endsWith('.js') || file === 'index.js') continue;
        const mod = {};
        new Function('exports', fs.readFileSync(path.join(dir, file), 'utf8'))(mod);
        if (mod.default && typeof mod.default.body === 'string') {
          icons[file.slice(0, -3)] = mod.default;
        }
      }
      this.emitFile({
        type: 'asset',
        fileName: 'iconify/mdi.json',
        source: JSON.stringify({ prefix: 'mdi', width: 24, height: 24, icons }),
      });
    },
  };
}

export default defineConfig(({ mode }) => ({
  root: here,
  base: '/',
  cacheDir: path.resolve(here, '.vite-cache'),
  // lib/plugin/index.js reads process.env.NODE_ENV to decide isDevelopmentMode.
  define: {
    global: 'globalThis',
    'process.env.NODE_ENV': JSON.stringify(mode === 'production' ? 'production' : 'development'),
  },
  envPrefix: 'REACT_APP_',
  resolve: { alias: { HL }, preserveSymlinks: true },
  logLevel: 'info',
  build: {
    outDir: process.env.HARNESS_OUT_DIR || path.resolve(here, 'dist'),
    emptyOutDir: true,
    chunkSizeWarningLimit: 20000,
    sourcemap: false,
    reportCompressedSize: false,
  },
  plugins: [
    offlineMdiIcons(),
    svgr({ svgrOptions: { prettier: false, svgo: false, titleProp: true, ref: true } }),
    react(),
  ],
}));
