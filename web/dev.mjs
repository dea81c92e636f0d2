// Development server: rebuilds on change and serves the console on http://127.0.0.1:5173,
// forwarding /api/ to a running plinth (PLINTH_URL, default http://127.0.0.1:18081).
import * as esbuild from "esbuild";
import http from "node:http";
import { mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync, existsSync } from "node:fs";
import { extname, join, dirname } from "node:path";
import { fileURLToPath } from "node:url";
import { buildOptions, indexHtml } from "./build.mjs";

const root = dirname(fileURLToPath(import.meta.url));
const out = join(root, ".dev"); // not dist/: that is what the binary embeds
const upstream = new URL(process.env.PLINTH_URL ?? "http://127.0.0.1:18081");
const port = Number(process.env.PORT ?? 5173);

rmSync(out, { recursive: true, force: true });
mkdirSync(out);
writeFileSync(join(out, "icon.svg"), readFileSync(join(root, "src/icon.svg")));
const ctx = await esbuild.context({
  ...buildOptions,
  outdir: out,
  entryNames: "app",
  sourcemap: "inline",
  plugins: [{
    name: "index",
    setup(build) {
      build.onEnd(() => writeFileSync(join(out, "index.html"), indexHtml("app.js", "app.css", "icon.svg")));
    },
  }],
});
await ctx.watch();

// The same policy the plinth server sends, so a violation shows up while developing.
const csp = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; font-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";
const types = { ".js": "text/javascript", ".css": "text/css", ".svg": "image/svg+xml", ".html": "text/html" };
http.createServer((req, res) => {
  if (req.url.startsWith("/api/")) {
    // Uncompressed: on loopback compression only costs time.
    const headers = { ...req.headers };
    delete headers["accept-encoding"];
    const p = http.request({ host: upstream.hostname, port: upstream.port, path: req.url, method: req.method, headers }, (r) => {
      res.writeHead(r.statusCode, r.headers);
      r.pipe(res);
    });
    p.on("error", (e) => { res.writeHead(502); res.end(String(e)); });
    req.pipe(p);
    return;
  }
  const name = req.url.split("?")[0].slice(1);
  const file = name && !name.includes("/") && existsSync(join(out, name)) ? name : "index.html";
  res.writeHead(200, { "Content-Type": types[extname(file)] ?? "application/octet-stream", "Cache-Control": "no-cache", "Content-Security-Policy": csp });
  res.end(readFileSync(join(out, file)));
}).listen(port, "127.0.0.1", () => console.log(`console on http://127.0.0.1:${port}/ -> ${upstream.origin} (${readdirSync(out).join(", ")})`));
