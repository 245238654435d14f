#!/usr/bin/env bash
# Installs the npm packages the tests use as independent peers into .npm-peers/ (git-ignored):
# @linode/kubeseal-encrypt seals values with WebCrypto, a second implementation of kubeseal's
# scheme that the sealing tests unseal. Run by .ci/run; needs node and npm.
set -euo pipefail
cd "$(dirname "$0")/.."
if ! command -v npm >/dev/null; then
  echo "npm-peers: npm not found; the cross-implementation tests will skip" >&2
  exit 0
fi
if [ ! -f .npm-peers/node_modules/@linode/kubeseal-encrypt/package.json ]; then
  npm install --prefix .npm-peers --no-audit --no-fund --loglevel=error \
    @linode/kubeseal-encrypt@1.0.1 >/dev/null
fi
