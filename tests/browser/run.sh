#!/usr/bin/env bash
# Browser, accessibility and HTML-validity checks of the example site.
# Needs Node 20+, npm and Debian's chromium (apt-get install -y chromium); downloads no browser.
set -euo pipefail
cd "$(dirname "$0")"
export PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1
npm ci --no-audit --no-fund
exec node run.mjs "$@"
