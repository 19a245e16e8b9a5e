#!/usr/bin/env bash
# End to end on a real Kubernetes (kind), for people with Docker: builds the image, creates a kind cluster, installs
# Cornac with kustomize (an overlay into a namespace of its own), runs the seed's scenario, removes that install,
# then installs the Helm chart into another namespace and runs the scenario again. CI cannot run it (no Docker engine
# there); the install paths themselves are checked in CI by cornac-install (mvn verify).
#
#   bash scripts/e2e-kind.sh                 # both install paths
#   bash scripts/e2e-kind.sh kustomize|helm  # one of them
#
# Needs docker, kind, kubectl and (for the chart) helm. The kind cluster is deleted at the end unless
# CORNAC_E2E_KEEP=true. Every wait is bounded (CORNAC_E2E_TIMEOUT seconds, 600 by default) and names what it waited for.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

PATHS=${1:-all}
CLUSTER=${CORNAC_E2E_CLUSTER:-cornac-e2e}
# The tag the manifests and the chart use, so that neither needs rewriting; kind gets it by `kind load`.
IMAGE=${CORNAC_E2E_IMAGE:-ghcr.io/cornac/cornac:0.1.0}
TIMEOUT=${CORNAC_E2E_TIMEOUT:-600}
KEEP=${CORNAC_E2E_KEEP:-false}
DB_NAMESPACE=e2e-db
PG=acid-minimal-cluster
SPILO=$(sed -n 's/^  docker_image: *//p' manifests/configmap.yaml)
# The "new" Spilo image of the image bump: the same image under another name, loaded into kind, so the rolling
# update needs no second multi-GB pull and no guess about which upstream tags exist.
SPILO_BUMPED=localhost/cornac-e2e/spilo:bumped
WORK=$(mktemp -d)
OPERATOR_NAMESPACE=""

step() { echo "e2e: == $*"; }

diagnostics() {
  [ -n "$OPERATOR_NAMESPACE" ] || return 0
  echo "e2e: -- state at the failure" >&2
  kubectl get postgresql,statefulsets,pods -n "$DB_NAMESPACE" -L spilo-role >&2 || true
  kubectl -n "$OPERATOR_NAMESPACE" get pods >&2 || true
  kubectl -n "$OPERATOR_NAMESPACE" logs deploy/postgres-operator --tail=60 >&2 || true
}

fail() {
  echo "e2e: FAILED: $*" >&2
  diagnostics
  exit 1
}

cleanup() {
  rm -rf "$WORK"
  if [ "$KEEP" != true ]; then
    kind delete cluster --name "$CLUSTER" >/dev/null 2>&1 || true
  fi
}

# wait_for DESCRIPTION COMMAND...: polls COMMAND every 5 s until it succeeds, for at most TIMEOUT seconds.
wait_for() {
  local what=$1
  shift
  local deadline=$((SECONDS + TIMEOUT))
  until "$@" >/dev/null 2>&1; do
    if ((SECONDS >= deadline)); then
      fail "$what: not within ${TIMEOUT}s"
    fi
    sleep 5
  done
}

need() {
  command -v "$1" >/dev/null 2>&1 || fail "$1 is not installed ($2)"
}

pods() { kubectl -n "$DB_NAMESPACE" get pods -l "cluster-name=$PG" "$@"; }

ready_members() {
  pods -o jsonpath='{range .items[*]}{.status.containerStatuses[0].ready}{"\n"}{end}' | grep -c '^true$'
}

has_ready_members() { [ "$(ready_members)" -eq "$1" ]; }

primary() { pods -l spilo-role=master -o jsonpath='{.items[*].metadata.name}'; }

one_primary_other_than() {
  local now
  now=$(primary)
  [ -n "$now" ] && [ "$now" != "$1" ] && [ "$(wc -w <<<"$now")" -eq 1 ]
}

all_members_run() {
  local images
  images=$(pods -o jsonpath='{range .items[*]}{.spec.containers[0].image}{"\n"}{end}' | sort -u)
  [ "$images" = "$1" ] && has_ready_members "$2" && [ -n "$(primary)" ]
}

no_cluster_objects() {
  [ -z "$(kubectl -n "$DB_NAMESPACE" get statefulsets,pods -l "cluster-name=$PG" -o name)" ]
}

# The seed's scenario, against the operator in $OPERATOR_NAMESPACE. $1 is the command that bumps the Spilo image.
scenario() {
  local bump=$1
  step "create $PG (manifests/minimal-postgres-manifest.yaml) in $DB_NAMESPACE"
  kubectl -n "$DB_NAMESPACE" apply -f manifests/minimal-postgres-manifest.yaml
  kubectl -n "$DB_NAMESPACE" wait "postgresql/$PG" --for=jsonpath='{.status.PostgresClusterStatus}'=Running \
    --timeout="${TIMEOUT}s" || fail "$PG did not reach status Running"
  wait_for "2 ready members of $PG" has_ready_members 2

  step "scale $PG from 2 to 3 members"
  kubectl -n "$DB_NAMESPACE" patch "postgresql/$PG" --type merge -p '{"spec":{"numberOfInstances":3}}'
  wait_for "3 ready members of $PG" has_ready_members 3

  local old
  old=$(primary)
  [ -n "$old" ] || fail "$PG has no pod labelled spilo-role=master"
  step "kill the primary $old and wait for a new one"
  kubectl -n "$DB_NAMESPACE" delete pod "$old" --wait=false
  wait_for "a new primary after deleting $old" one_primary_other_than "$old"
  wait_for "3 ready members after the failover" has_ready_members 3

  step "bump the Spilo image to $SPILO_BUMPED"
  "$bump"
  wait_for "every member of $PG rolled to $SPILO_BUMPED" all_members_run "$SPILO_BUMPED" 3

  step "delete $PG"
  kubectl -n "$DB_NAMESPACE" delete "postgresql/$PG" --timeout="${TIMEOUT}s"
  wait_for "the StatefulSet and pods of $PG to go" no_cluster_objects
}

# The operator reads its ConfigMap only at start-up: after changing it, restart the operator.
bump_with_kubectl() {
  kubectl -n "$OPERATOR_NAMESPACE" patch configmap postgres-operator --type merge \
    -p "{\"data\":{\"docker_image\":\"$SPILO_BUMPED\"}}"
  kubectl -n "$OPERATOR_NAMESPACE" rollout restart deploy/postgres-operator
  kubectl -n "$OPERATOR_NAMESPACE" rollout status deploy/postgres-operator --timeout="${TIMEOUT}s" \
    || fail "the restarted operator did not become ready"
}

# With the chart, an upgrade restarts the operator by itself (its pods carry a checksum of the configuration).
bump_with_helm() {
  helm upgrade cornac charts/cornac -n "$OPERATOR_NAMESPACE" --reuse-values \
    --set-string "configuration.docker_image=$SPILO_BUMPED" --wait --timeout "${TIMEOUT}s" \
    || fail "helm upgrade with the bumped image"
}

with_kustomize() {
  OPERATOR_NAMESPACE=cornac-kustomize
  step "kustomize: manifests/ and manifests/ui/ through an overlay with namespace: $OPERATOR_NAMESPACE"
  mkdir -p "$WORK/overlay"
  cat >"$WORK/overlay/kustomization.yaml" <<EOF
namespace: $OPERATOR_NAMESPACE
resources:
- $(realpath --relative-to="$WORK/overlay" manifests)
- $(realpath --relative-to="$WORK/overlay" manifests/ui)
EOF
  kubectl create namespace "$OPERATOR_NAMESPACE"
  kubectl -n "$OPERATOR_NAMESPACE" create secret generic postgres-operator-ui-login \
    --from-literal=username=admin --from-literal=password="$(head -c 18 /dev/urandom | base64)"
  kubectl apply -k "$WORK/overlay"
  kubectl -n "$OPERATOR_NAMESPACE" rollout status deploy/postgres-operator --timeout="${TIMEOUT}s" \
    || fail "the operator (kustomize) did not become ready"
  kubectl -n "$OPERATOR_NAMESPACE" rollout status deploy/postgres-operator-ui --timeout="${TIMEOUT}s" \
    || fail "the UI (kustomize) did not become ready"
  scenario bump_with_kubectl
  step "remove the kustomize install"
  kubectl delete -k "$WORK/overlay" --timeout="${TIMEOUT}s"
  kubectl delete namespace "$OPERATOR_NAMESPACE" --timeout="${TIMEOUT}s"
}

ui_password() {
  kubectl -n "$OPERATOR_NAMESPACE" get secret postgres-operator-ui-login -o jsonpath='{.data.password}'
}

with_helm() {
  OPERATOR_NAMESPACE=cornac-helm
  step "helm: charts/cornac as release cornac in $OPERATOR_NAMESPACE"
  helm install cornac charts/cornac -n "$OPERATOR_NAMESPACE" --create-namespace --wait --timeout "${TIMEOUT}s" \
    || fail "helm install --wait"
  local password
  password=$(ui_password)
  [ -n "$password" ] || fail "the chart created no UI login password"
  helm upgrade cornac charts/cornac -n "$OPERATOR_NAMESPACE" --reuse-values --wait --timeout "${TIMEOUT}s" \
    || fail "helm upgrade"
  [ "$(ui_password)" = "$password" ] || fail "helm upgrade changed the UI login password"
  scenario bump_with_helm
  step "uninstall the release"
  helm uninstall cornac -n "$OPERATOR_NAMESPACE" --wait --timeout "${TIMEOUT}s"
}

need docker "https://docs.docker.com/engine/install/"
need kind "https://kind.sigs.k8s.io/docs/user/quick-start/#installation"
need kubectl "https://kubernetes.io/docs/tasks/tools/"
case "$PATHS" in
  all | helm) need helm "https://helm.sh/docs/intro/install/" ;;
  kustomize) ;;
  *) fail "unknown install path '$PATHS': use kustomize, helm or nothing for both" ;;
esac
docker info >/dev/null 2>&1 || fail "docker cannot reach a Docker engine"
trap cleanup EXIT

step "build $IMAGE"
mvn -q -DskipTests package
docker build -t "$IMAGE" .

step "kind cluster $CLUSTER"
kind create cluster --name "$CLUSTER" --wait "${TIMEOUT}s"
kind load docker-image "$IMAGE" --name "$CLUSTER"
docker pull "$SPILO"
docker tag "$SPILO" "$SPILO_BUMPED"
kind load docker-image "$SPILO" "$SPILO_BUMPED" --name "$CLUSTER"
kubectl create namespace "$DB_NAMESPACE"

case "$PATHS" in
  kustomize) with_kustomize ;;
  helm) with_helm ;;
  all)
    with_kustomize
    with_helm
    ;;
esac
step "passed: ${PATHS/all/kustomize and helm}"
