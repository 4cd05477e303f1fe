// Copies GOV.UK Frontend's script and assets into Safehub's static files, and axe-core into
// frontend/build/ for the browser tests. No dependencies beyond Node itself.
//
// GDS Transport is not used by Safehub (it is not a gov.uk service), so assets/fonts is skipped.

import { cpSync, mkdirSync, rmSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const govuk = join(here, "node_modules", "govuk-frontend", "dist", "govuk");
const dist = join(here, "..", "safehub", "static", "dist");
const build = join(here, "build");

function copy(from, to, options = {}) {
  mkdirSync(dirname(to), { recursive: true });
  cpSync(from, to, { recursive: true, ...options });
  console.log(`copied ${relative(here, from)} -> ${relative(here, to)}`);
}

// Start from a clean assets folder so nothing stale (e.g. fonts) lingers; the CSS stays.
rmSync(join(dist, "assets"), { recursive: true, force: true });

copy(join(govuk, "govuk-frontend.min.js"), join(dist, "govuk-frontend.min.js"));
copy(join(govuk, "assets", "images"), join(dist, "assets", "images"));
copy(join(govuk, "assets", "manifest.json"), join(dist, "assets", "manifest.json"));

// For tests only: never under safehub/static, so never served.
copy(join(here, "node_modules", "axe-core", "axe.min.js"), join(build, "axe.min.js"));
