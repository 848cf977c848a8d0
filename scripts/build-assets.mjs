// Build the front-end assets into static/build/ (gitignored; `npm run build`, run by `make setup`):
//   app.css                      GOV.UK Frontend compiled with Dart Sass, Arial font stack, our styles
//   govuk-frontend.min.js        GOV.UK Frontend's ES module bundle
//   init.js                      starts GOV.UK Frontend's components (a file, so CSP needs no inline script)
//   progress.js                  progress of long work updated in place, no meta refresh (init.js starts it)
//   assets/images/*              our favicon and the images the compiled CSS refers to
// The CSS refers to images relatively ("assets/images/..."), so Django's ManifestStaticFilesStorage can
// rewrite those URLs to hashed names and the CSS works under any STATIC_URL.
import { copyFile, mkdir, readdir, rm, writeFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

import * as sass from "sass";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const govuk = join(root, "node_modules", "govuk-frontend", "dist", "govuk");
const src = join(root, "static", "src");
const out = join(root, "static", "build");

async function buildCss() {
  const result = await sass.compileAsync(join(src, "scss", "app.scss"), {
    importers: [new sass.NodePackageImporter(root)],
    style: "compressed",
    sourceMap: false,
    // Deprecation warnings from GOV.UK Frontend's own code are not ours to fix; ours still show.
    quietDeps: true,
  });
  await writeFile(join(out, "app.css"), result.css);
}

async function copyImages() {
  const images = join(out, "assets", "images");
  await mkdir(images, { recursive: true });
  // GOV.UK's favicons are the crown, which is not ours to use off gov.uk: we ship our own.
  for (const name of await readdir(join(src, "images"))) {
    await copyFile(join(src, "images", name), join(images, name));
  }
  // Not shown (our footer has no copyright logo) but the compiled CSS refers to it, and hashed static
  // storage refuses CSS that points at a missing file.
  await copyFile(join(govuk, "assets", "images", "govuk-crest.svg"), join(images, "govuk-crest.svg"));
}

async function copyScripts() {
  await copyFile(join(govuk, "govuk-frontend.min.js"), join(out, "govuk-frontend.min.js"));
  for (const name of await readdir(join(src, "js"))) {
    await copyFile(join(src, "js", name), join(out, name));
  }
}

await rm(out, { recursive: true, force: true });
await mkdir(out, { recursive: true });
await Promise.all([buildCss(), copyImages(), copyScripts()]);
console.log(`Built GOV.UK Frontend assets into ${out}`);
