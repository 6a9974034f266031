#!/usr/bin/env bash
# Vendors the NHS.UK frontend from the npm registry into static/vendor/nhsuk-frontend/.
#
# The published CSS loads the Frutiger web font from assets.nhs.uk and expects its images
# under /assets/. This service serves nothing from a CDN at run time, so the stylesheet is
# compiled from the package's own Sass with the font-face left out (the font stack falls
# back to Arial) and image paths relative to the stylesheet. Run it only to upgrade; the
# output is committed and nothing at run time or in CI needs npm.
#
# Usage: scripts/vendor-nhsuk-frontend.sh [VERSION]
set -euo pipefail

version="${1:-10.6.1}"
root="$(cd "$(dirname "$0")/.." && pwd)"
target="$root/static/vendor/nhsuk-frontend"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

cd "$work"
npm init -y >/dev/null
npm install --no-audit --no-fund --silent "nhsuk-frontend@$version" "sass@1"
package="$work/node_modules/nhsuk-frontend"

cat > app.scss <<'SCSS'
@use "nhsuk-frontend/dist/nhsuk" with (
  $nhsuk-include-default-font-face: false,
  $nhsuk-assets-path: "../assets/"
);
SCSS
npx sass --no-source-map --style=compressed --load-path=node_modules \
  --quiet-deps --silence-deprecation=import app.scss nhsuk-frontend.min.css

rm -rf "$target"
mkdir -p "$target/css" "$target/js" "$target/assets/images"
cp nhsuk-frontend.min.css "$target/css/nhsuk-frontend.min.css"
# The source map is not vendored, so its comment goes (the static manifest would look for it).
sed 's|//# sourceMappingURL=.*$||' "$package/dist/nhsuk/nhsuk-frontend.min.js" \
  > "$target/js/nhsuk-frontend.min.js"
cp "$package/dist/nhsuk/assets/images/"*.svg "$package/dist/nhsuk/assets/images/"*.png \
  "$package/dist/nhsuk/assets/images/favicon.ico" "$target/assets/images/"
cp "$package/dist/nhsuk/assets/manifest.json" "$target/assets/manifest.json"

if grep -q "https://" "$target/css/nhsuk-frontend.min.css"; then
  echo "The compiled stylesheet still refers to an external URL; fix the Sass settings." >&2
  exit 1
fi

cat > "$target/LICENSE" <<LICENCE
The MIT License (MIT)

Copyright (c) 2025 NHS England

Permission is hereby granted, free of charge, to any person obtaining a copy
of this software and associated documentation files (the "Software"), to deal
in the Software without restriction, including without limitation the rights
to use, copy, modify, merge, publish, distribute, sublicense, and/or sell
copies of the Software, and to permit persons to whom the Software is
furnished to do so, subject to the following conditions:

The above copyright notice and this permission notice shall be included in all
copies or substantial portions of the Software.

THE SOFTWARE IS PROVIDED "AS IS", WITHOUT WARRANTY OF ANY KIND, EXPRESS OR
IMPLIED, INCLUDING BUT NOT LIMITED TO THE WARRANTIES OF MERCHANTABILITY,
FITNESS FOR A PARTICULAR PURPOSE AND NONINFRINGEMENT. IN NO EVENT SHALL THE
AUTHORS OR COPYRIGHT HOLDERS BE LIABLE FOR ANY CLAIM, DAMAGES OR OTHER
LIABILITY, WHETHER IN AN ACTION OF CONTRACT, TORT OR OTHERWISE, ARISING FROM,
OUT OF OR IN CONNECTION WITH THE SOFTWARE OR THE USE OR OTHER DEALINGS IN THE
SOFTWARE.
LICENCE

cat > "$target/VERSION.md" <<NOTE
# nhsuk-frontend $version

From the npm registry package \`nhsuk-frontend@$version\` (MIT licence, see LICENSE;
documentation (c) NHS England under the Open Government Licence v3.0).

- css/nhsuk-frontend.min.css: compiled from the package's Sass by
  scripts/vendor-nhsuk-frontend.sh with \`\$nhsuk-include-default-font-face: false\` (no web
  font from assets.nhs.uk) and \`\$nhsuk-assets-path: "../assets/"\`.
- js/nhsuk-frontend.min.js: the package's ES module build, without its source map comment.
- assets/: the package's images, unchanged.
NOTE
echo "Vendored nhsuk-frontend $version into $target"
