#!/usr/bin/env bash
# npm run check:chart (and CI): the Helm chart deploy/helm/charla lints clean and renders, for each
# values file in its ci/ folder, only manifests that Kubernetes' schemas accept in strict mode
# (helm template | kubeconform -strict). All offline:
# - helm and kubeconform are built from their Go modules into .tools/bin on first use (kept there,
#   and rebuilt only when the version below changes);
# - kubeconform's schemas are made by scripts/k8s-schemas.mjs from the Kubernetes OpenAPI document
#   that the Go module k8s.io/kube-openapi ships (kept in .tools/k8s-schemas).
set -euo pipefail
cd "$(dirname "$0")/.."

HELM_VERSION=v4.3.2
KUBECONFORM_VERSION=v0.8.0
# The kube-openapi version kubeconform v0.8.0 itself requires; its pkg/schemaconv/testdata holds
# Kubernetes v1.27.0's swagger.json.
KUBE_OPENAPI_VERSION=v0.0.0-20260603220949-865597e52e25
K8S_VERSION=v1.27.0

BIN="$PWD/.tools/bin"
SCHEMAS="$PWD/.tools/k8s-schemas/$K8S_VERSION-standalone-strict"
CHART=deploy/helm/charla

# go_tool NAME PACKAGE VERSION: build PACKAGE@VERSION into .tools/bin unless that version is there.
go_tool() {
  local name=$1 package=$2 version=$3
  if [ -x "$BIN/$name" ] && [ "$(cat "$BIN/$name.version" 2>/dev/null)" = "$version" ]; then return; fi
  echo "building $name $version from its Go module into .tools/bin (first run only)..."
  local started=$SECONDS
  mkdir -p "$BIN"
  GOBIN="$BIN" CGO_ENABLED=0 go install "$package@$version"
  echo "$version" >"$BIN/$name.version"
  echo "$name built in $((SECONDS - started)) s"
}

go_tool helm helm.sh/helm/v4/cmd/helm "$HELM_VERSION"
go_tool kubeconform github.com/yannh/kubeconform/cmd/kubeconform "$KUBECONFORM_VERSION"

if [ ! -f "$SCHEMAS/deployment-apps-v1.json" ]; then
  module_dir=$(go mod download -json "k8s.io/kube-openapi@$KUBE_OPENAPI_VERSION" |
    node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>console.log(JSON.parse(s).Dir))')
  node scripts/k8s-schemas.mjs "$module_dir/pkg/schemaconv/testdata/swagger.json" "$SCHEMAS"
fi

# Without a database and Redis (nor an existing Secret) the chart refuses to render.
if "$BIN/helm" template charla "$CHART" >/dev/null 2>&1; then
  echo "helm template rendered without mongodb.uri, redis.url or secrets.existingSecret" >&2
  exit 1
fi

for values in "$CHART"/ci/*-values.yaml; do
  echo "== $values"
  "$BIN/helm" lint --strict "$CHART" --values "$values"
  "$BIN/helm" template charla "$CHART" --namespace charla --values "$values" |
    "$BIN/kubeconform" -strict -summary -kubernetes-version "${K8S_VERSION#v}" \
      -schema-location "$SCHEMAS/{{ .ResourceKind }}{{ .KindSuffix }}.json"
done
