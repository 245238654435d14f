#!/usr/bin/env bash
# `make demo`: chartsafe's main job on the bundled Tracecat chart, no cluster needed.
#
#   chartsafe keys init                      an age identity, inside the demo folder
#   chartsafe secrets set ...                the two values no generator can know (DEMO VALUES)
#   chartsafe up ... --out BUNDLE            render, contract, fill the store, deliver, check,
#                                            and write the deploy bundle; prints the plan
#
# Everything it writes stays in the demo folder (.demo/, ignored by git; CHARTSAFE_DEMO_DIR
# moves it, for the tests): its values, age key, store and bundle. It never prompts (stdin is
# closed) and never reads the user's age keys, kube contexts or home: HOME, XDG_CONFIG_HOME,
# KUBECONFIG and the SOPS variables point into the demo folder, and helm's variables are
# unset. Run it again: the store keeps every value (nothing is regenerated) and the bundle
# comes out the same.
set -euo pipefail
cd "$(dirname "$0")/.."

DEMO="${CHARTSAFE_DEMO_DIR:-$PWD/.demo}"
mkdir -p "$DEMO/home"
DEMO="$(cd "$DEMO" && pwd)"
export HOME="$DEMO/home" KUBECONFIG="$DEMO/no-kubeconfig" XDG_CONFIG_HOME="$DEMO/home/.config"
unset SOPS_AGE_KEY SOPS_AGE_KEY_FILE SOPS_AGE_RECIPIENTS CHARTSAFE_STORE HELM_DRIVER \
  HELM_NAMESPACE HELM_KUBECONTEXT HELM_MAX_HISTORY HELM_REGISTRY_CONFIG HELM_CONFIG_HOME
CHARTSAFE="${CHARTSAFE:-$PWD/.venv/bin/chartsafe}"
CHART=charts/tracecat
KEY="$DEMO/age-key.txt"
STORE="$DEMO/secrets.sops.yaml"
NS=tracecat

# Values no generator can know: clearly marked demo values, written into the demo folder only.
# The rest comes from the chart's own examples/values-minikube.yaml.
cat > "$DEMO/demo-values.yaml" <<'VALUES'
# DEMO VALUES written by `make demo`: not for a real deployment.
tracecat:
  auth:
    superadminEmail: demo-admin@example.invalid   # DEMO VALUE
externalPostgres:
  host: postgres.demo.invalid                      # DEMO VALUE
VALUES
# The Redis URL's host is a demo host; chartsafe makes its password.
REDIS_URL='url=url:redis://:{password:32}@redis.demo.invalid:6379'

echo "==> chartsafe keys init   (age identity in ${DEMO#"$PWD/"}/, never in your home)"
RECIPIENT="$("$CHARTSAFE" keys init --key-file "$KEY" 2>/dev/null)"
export SOPS_AGE_KEY_FILE="$KEY"

echo "==> chartsafe secrets set   (the PostgreSQL user name: a DEMO VALUE no generator can know)"
"$CHARTSAFE" secrets set -n "$NS" tracecat-postgres-credentials username \
  --from-literal demo-tracecat --store "$STORE" --age "$RECIPIENT" </dev/null

echo "==> chartsafe up tracecat $CHART -n $NS -f examples/values-minikube.yaml --out ${DEMO#"$PWD/"}/bundle"
"$CHARTSAFE" up tracecat "$CHART" -n "$NS" \
  -f "$CHART/examples/values-minikube.yaml" -f "$DEMO/demo-values.yaml" \
  --store "$STORE" --deliver secret --generator "$REDIS_URL" \
  --out "$DEMO/bundle" </dev/null

echo "demo: the store ${STORE#"$PWD/"} is encrypted to the demo key; 'sops -d' opens it with"
echo "      SOPS_AGE_KEY_FILE=${KEY#"$PWD/"}. The bundle holds the plan, the delivered Secrets"
echo "      (0600), the manifests, the values overrides and the contract."
