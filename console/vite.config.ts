/**
 * The console's build: a React single-page app served by Charla at /console (src/http/console-static.ts).
 * `npm run build:console` writes console/dist; `npm run dev:console` serves it with hot reload and
 * proxies the API (and its WebSockets) to a Charla on CHARLA_URL (default http://127.0.0.1:3000).
 */
import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

const target = process.env.CHARLA_URL ?? 'http://127.0.0.1:3000';

export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  base: '/console/',
  plugins: [react()],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    // One vendor chunk for the libraries (changes rarely, cached long), one for the app.
    chunkSizeWarningLimit: 1024,
  },
  server: {
    port: 5173,
    proxy: { '/api': { target, changeOrigin: false, ws: true } },
  },
});
