// Vite config for the console SPA (dispatch console + responder phone app).
// Built by `npm run build:console`; the dispatcher serves console/dist with an SPA fallback.
import { fileURLToPath } from "node:url";
import { defineConfig, type Plugin } from "vite";
import react from "@vitejs/plugin-react";

const here = fileURLToPath(new URL(".", import.meta.url));
const repoRoot = fileURLToPath(new URL("..", import.meta.url));
// The dispatcher the dev server proxies to (its default port); override for a second instance.
const target = process.env.CONSOLE_PROXY_TARGET ?? "http://localhost:3000";

/** precache.json: every file of the build, which the service worker caches at install (offline). */
const precacheList = (): Plugin => ({
  name: "precache-list",
  apply: "build",
  generateBundle(_options, bundle) {
    const files = Object.keys(bundle).filter((f) => !f.endsWith(".map"));
    this.emitFile({ type: "asset", fileName: "precache.json", source: JSON.stringify(files) });
  },
});

export default defineConfig({
  root: here,
  // VITE_TILE_URL / VITE_TILE_ATTRIBUTION may live in console/.env or the shell environment.
  envDir: here,
  plugins: [react(), precacheList()],
  build: {
    outDir: "dist",
    emptyOutDir: true,
    // Leaflet + React + socket.io + zod in one chunk is ~200 kB gzip; warn only well above that.
    chunkSizeWarningLimit: 900,
  },
  server: {
    // The console imports the wire contracts from ../protocol.
    fs: { allow: [repoRoot] },
    proxy: {
      "/api": { target, changeOrigin: true },
      "/healthz": { target, changeOrigin: true },
      "/socket.io": { target, ws: true, changeOrigin: true },
    },
  },
  preview: {
    proxy: {
      "/api": { target, changeOrigin: true },
      "/healthz": { target, changeOrigin: true },
      "/socket.io": { target, ws: true, changeOrigin: true },
    },
  },
});
