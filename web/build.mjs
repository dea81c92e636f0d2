// Bundles the console into a flat dist/: index.html plus content-hashed app-[hash].js,
// app-[hash].css and icon-[hash].svg. Deterministic: the same sources give the same files, so
// the embedded console only changes when the sources do. Prints nothing on success.
import * as esbuild from "esbuild";
import { createHash } from "node:crypto";
import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { basename, dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = dirname(fileURLToPath(import.meta.url));
const dist = join(root, "dist");

export const buildOptions = {
  entryPoints: [join(root, "src/main.tsx")],
  bundle: true,
  format: "esm",
  target: ["es2020", "chrome100", "firefox100", "safari15"],
  jsx: "automatic",
  jsxImportSource: "preact",
  entryNames: "app-[hash]",
  assetNames: "[name]-[hash]",
  legalComments: "none",
  logLevel: "warning",
  define: { "process.env.NODE_ENV": '"production"' },
};

// The page around the app: no inline script or style (the server's CSP forbids both).
export function indexHtml(js, css, icon) {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="color-scheme" content="light dark">
<title>plinth</title>
<link rel="icon" type="image/svg+xml" href="/${icon}">
<link rel="stylesheet" href="/${css}">
<script type="module" src="/${js}"></script>
</head>
<body>
<div id="app"><noscript>The plinth console needs JavaScript.</noscript></div>
</body>
</html>
`;
}

function hashed(name, ext, content) {
  const h = createHash("sha256").update(content).digest("hex").slice(0, 10);
  return `${name}-${h}.${ext}`;
}

async function main() {
  rmSync(dist, { recursive: true, force: true });
  mkdirSync(dist);
  const result = await esbuild.build({
    ...buildOptions,
    outdir: dist,
    minify: true,
    metafile: true,
    write: true,
  });
  let js = "";
  let css = "";
  for (const out of Object.keys(result.metafile.outputs)) {
    const name = basename(out);
    if (name.endsWith(".js")) js = name;
    else if (name.endsWith(".css")) css = name;
  }
  if (!js || !css) throw new Error(`build: expected one .js and one .css output, got ${Object.keys(result.metafile.outputs)}`);
  const iconSvg = readFileSync(join(root, "src/icon.svg"));
  const icon = hashed("icon", "svg", iconSvg);
  writeFileSync(join(dist, icon), iconSvg);
  writeFileSync(join(dist, "index.html"), indexHtml(js, css, icon));
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  main().catch((err) => {
    console.error(err.message ?? err);
    process.exit(1);
  });
}
