// Vite builds web/src into web/dist, which CMake embeds in the orchard binary (src/http/).
// `npm run dev` serves web/ from disk with live reload and proxies the API to a running server.
import { defineConfig } from "vite";
import preact from "@preact/preset-vite";

const target = process.env.ORCHARD_URL ?? "http://127.0.0.1:8080";

export default defineConfig({
  plugins: [preact()],
  build: {
    outDir: "dist",
    emptyOutDir: true,
    assetsDir: "assets",
    sourcemap: false,
    chunkSizeWarningLimit: 1200,
  },
  server: {
    host: "127.0.0.1",
    port: 5173,
    proxy: {
      "/api": { target, changeOrigin: false },
      "/healthz": { target },
      "/metrics": { target },
    },
  },
});
