#!/usr/bin/env bash
# Builds, pinned and from Go modules only, what the real-Kargo conformance target runs:
# etcd, kube-apiserver, kube-controller-manager, Helm (to render Kargo's chart) and Kargo itself, into a cache folder
# outside git (reused when present). Prints one line per binary.
#
# Kargo v1.11.2's module needs github.com/akuity/kargo/api and .../pkg/x/client/generated,
# which Kargo does not publish as modules (its go.mod points them at ./api with replace
# directives, and the module zip leaves nested modules out), so `go build` of its cmd fails
# from the module proxy. Set KARGO_BIN to a kargo v1.11.2 binary you have (for example copied
# out of the ghcr.io/akuity/kargo:v1.11.2 image) and the conformance suite uses it.
set -uo pipefail

KARGO_VERSION=v1.11.2
KUBERNETES_VERSION=v1.34.3 # Kargo v1.11.2 is built against client-go v0.34.3
STAGING_VERSION=v0.34.3
ETCD_VERSION=v3.6.5
HELM_VERSION=v3.19.5 # the Helm library Kargo v1.11.2 requires

CACHE="${KARGO_REAL_CACHE:-$HOME/.cache/kargo-backstage/real-kargo}"
BIN="$CACHE/bin"
mkdir -p "$BIN"
export PATH="/usr/local/go/bin:$PATH"
export GOFLAGS="-mod=mod -buildvcs=false"
command -v go >/dev/null || { echo "no Go toolchain: nothing built"; exit 1; }
failed=0

# build <binary> <module> <version> <package> [replace lines...]
# The modules carry replace directives for their own monorepos, which only count in a main
# module: a small wrapper module is the main module instead.
build() {
  local out="$BIN/$1-$3" mod="$CACHE/mod/$1-$3"
  if [ -x "$out" ]; then echo "$1 $3: cached"; return 0; fi
  local started=$SECONDS
  mkdir -p "$mod"
  {
    echo "module kargo-backstage.local/$1"
    echo "go 1.26"
    echo "require $2 $3"
    if [ $# -gt 4 ]; then
      echo "replace ("
      printf '  %s\n' "${@:5}"
      echo ")"
    fi
  } >"$mod/go.mod"
  if (cd "$mod" && go get "$4@$3" && go build -trimpath -ldflags "-s -w" -o "$out.tmp" "$4") >"$mod/build.log" 2>&1; then
    mv "$out.tmp" "$out"
    echo "$1 $3: built in $((SECONDS - started)) s"
  else
    echo "$1 $3: FAILED after $((SECONDS - started)) s (log: $mod/build.log)"
    tail -5 "$mod/build.log" | sed 's/^/    /'
    failed=1
  fi
}

build etcd go.etcd.io/etcd/server/v3 "$ETCD_VERSION" go.etcd.io/etcd/server/v3

go mod download "k8s.io/kubernetes@$KUBERNETES_VERSION"
staging=()
for m in $(grep -E '=> ./staging' "$(go env GOMODCACHE)/cache/download/k8s.io/kubernetes/@v/$KUBERNETES_VERSION.mod" | awk '{print $1}'); do
  staging+=("$m => $m $STAGING_VERSION")
done
build kube-apiserver k8s.io/kubernetes "$KUBERNETES_VERSION" k8s.io/kubernetes/cmd/kube-apiserver "${staging[@]}"
# Its token controller fills API-token Secrets; its namespace and garbage collectors delete
# what Kargo owns.
build kube-controller-manager k8s.io/kubernetes "$KUBERNETES_VERSION" k8s.io/kubernetes/cmd/kube-controller-manager "${staging[@]}"

build helm helm.sh/helm/v3 "$HELM_VERSION" helm.sh/helm/v3/cmd/helm

# Kargo's chart (CRDs, RBAC, webhook configurations) comes from its module.
if [ ! -d "$CACHE/chart-$KARGO_VERSION" ]; then
  dir=$(go mod download -json "github.com/akuity/kargo@$KARGO_VERSION" | sed -n 's/.*"Dir": "\(.*\)".*/\1/p')
  cp -r "$dir/charts/kargo" "$CACHE/chart-$KARGO_VERSION" && chmod -R u+w "$CACHE/chart-$KARGO_VERSION"
fi
echo "kargo chart $KARGO_VERSION: $CACHE/chart-$KARGO_VERSION"

if [ -n "${KARGO_BIN:-}" ]; then
  echo "kargo: KARGO_BIN=$KARGO_BIN"
else
  kustomize=("sigs.k8s.io/kustomize/api => sigs.k8s.io/kustomize/api v0.20.1"
    "sigs.k8s.io/kustomize/kyaml => sigs.k8s.io/kustomize/kyaml v0.20.1")
  build kargo github.com/akuity/kargo "$KARGO_VERSION" github.com/akuity/kargo/cmd/controlplane "${kustomize[@]}"
fi
exit $failed
