#!/usr/bin/env bash
# The README's screenshot of the HTML report: the top of REPORT.html as headless
# Chromium shows it in a 1200 px wide window.
#
#   node bin/mssi run fixtures/lz/*.root --rates fixtures/rates.csv \
#     --selection examples/ws2024.toml --html /tmp/r.html
#   bash scripts/report-screenshot.sh /tmp/r.html docs/report-screenshot.png [HEIGHT]
#
# Chromium: $MSSI_CHROMIUM, else `chromium` (Debian's; .ci/install-chromium.sh).
set -euo pipefail
if [ $# -lt 2 ]; then echo "usage: $0 REPORT.html OUT.png [HEIGHT (default 1700)]" >&2; exit 2; fi
report="$(realpath "$1")"
out="$(realpath -m "$2")"
height="${3:-1700}"
chromium="${MSSI_CHROMIUM:-chromium}"
profile="$(mktemp -d)"
trap 'rm -rf "$profile"' EXIT
"$chromium" --headless=new --no-sandbox --disable-gpu --hide-scrollbars --no-first-run \
  --user-data-dir="$profile" --window-size="1200,$height" --screenshot="$out" "file://$report" 2>/dev/null
[ -s "$out" ] || { echo "$0: $chromium wrote no screenshot to $out" >&2; exit 1; }
echo "$out"
