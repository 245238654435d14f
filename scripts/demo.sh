#!/usr/bin/env bash
# `make demo`: chartsafe's main job on the bundled Tracecat chart, no cluster needed.
#
# Everything it writes stays in .demo/ (ignored by git): its values, and later its
# age key and store. It never prompts and never reads the user's age keys, kube
# contexts or home: HOME, KUBECONFIG and the SOPS variables point into .demo/.
set -euo pipefail
cd "$(dirname "$0")/.."

DEMO="$PWD/.demo"
mkdir -p "$DEMO/home"
export HOME="$DEMO/home" KUBECONFIG="$DEMO/no-kubeconfig" XDG_CONFIG_HOME="$DEMO/home/.config"
unset SOPS_AGE_KEY SOPS_AGE_KEY_FILE SOPS_AGE_RECIPIENTS
CHARTSAFE="$PWD/.venv/bin/chartsafe"
CHART=charts/tracecat

# Values no generator can know (an external database and Redis, an admin email):
# clearly marked demo values, written into .demo/ only.
cat > "$DEMO/demo-values.yaml" <<'VALUES'
# DEMO VALUES written by `make demo`: not for a real deployment.
tracecat:
  auth:
    superadminEmail: demo-admin@example.invalid   # DEMO VALUE
secrets:
  existingSecret: tracecat-demo-core               # DEMO VALUE
externalPostgres:
  host: postgres.demo.invalid                      # DEMO VALUE
  auth:
    existingSecret: tracecat-demo-postgres         # DEMO VALUE
externalRedis:
  auth:
    existingSecret: tracecat-demo-redis            # DEMO VALUE
VALUES

if [ ! -f "$CHART/Chart.yaml" ]; then
  echo "demo: $CHART is not there yet; rendering the test chart instead" >&2
  CHART=tests/data/minimal
  : > "$DEMO/demo-values.yaml"
fi

echo "==> chartsafe lint $CHART"
"$CHARTSAFE" lint "$CHART" -f "$DEMO/demo-values.yaml" | tee "$DEMO/lint.txt"

echo "==> chartsafe template demo $CHART -n tracecat  (written to .demo/manifests.yaml)"
"$CHARTSAFE" template demo "$CHART" -n tracecat -f "$DEMO/demo-values.yaml" \
  > "$DEMO/manifests.yaml"
count=$(grep -c '^# Source:' "$DEMO/manifests.yaml" || true)
echo "demo: rendered $count objects, every one validated strictly against the Kubernetes schemas"
echo "demo: output in .demo/ (manifests.yaml, lint.txt)"
