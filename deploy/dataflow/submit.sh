#!/usr/bin/env bash
# c360 on Google Cloud Dataflow.
#
#   deploy/dataflow/submit.sh build    # jar (-Pdataflow), launcher image, flex template spec in GCS
#   deploy/dataflow/submit.sh run      --runDate=2026-03-31 --input=gs://BUCKET/landing \
#                                      --jdbcUrl=jdbc:postgresql://10.0.0.5:5432/c360 --dbUser=c360_run
#   deploy/dataflow/submit.sh launch   (same options) submits from this machine with the jar,
#                                      no template; the password comes from C360_DB_PASSWORD or
#                                      from Secret Manager into the environment, never argv.
#
# Settings (environment): GCP_PROJECT, GCP_REGION (default europe-west1), GCS_BUCKET (gs://… for
# templates, staging and temp), IMAGE (default REGION-docker.pkg.dev/PROJECT/c360/c360-dataflow:VERSION),
# C360_DB_PASSWORD_SECRET (projects/P/secrets/S/versions/latest).
# NOT EXECUTED in this repository's tests (no GCP here); see deploy/README.md.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
cmd="${1:-}"
[[ $# -gt 0 ]] && shift

: "${GCP_PROJECT:?set GCP_PROJECT}"
GCP_REGION="${GCP_REGION:-europe-west1}"
: "${GCS_BUCKET:?set GCS_BUCKET (gs://bucket)}"
version="0.1.0"
IMAGE="${IMAGE:-$GCP_REGION-docker.pkg.dev/$GCP_PROJECT/c360/c360-dataflow:$version}"
template="$GCS_BUCKET/templates/c360-$version.json"
jar="$root/pipelines/target/c360-dataflow.jar"

build() {
  (cd "$root" && mvn -B -q -Pdataflow -DskipTests package)
  # Cloud Build builds and pushes the launcher image without a local Docker engine.
  gcloud builds submit "$root" --project "$GCP_PROJECT" --region "$GCP_REGION" \
    --config /dev/stdin <<CLOUDBUILD
steps:
  - name: gcr.io/cloud-builders/docker
    args: [build, -f, deploy/dataflow/Dockerfile, -t, "$IMAGE", .]
images: ["$IMAGE"]
CLOUDBUILD
  gcloud dataflow flex-template build "$template" \
    --project "$GCP_PROJECT" \
    --image "$IMAGE" \
    --sdk-language JAVA \
    --metadata-file "$here/metadata.json"
  echo "template: $template"
}

# --name=value options → the comma-separated parameters gcloud takes.
params() {
  local out="" a
  for a in "$@"; do
    [[ "$a" == --*=* ]] || { echo "expected --name=value, got: $a" >&2; exit 2; }
    out+="${out:+,}${a#--}"
  done
  printf '%s' "$out"
}

run() {
  : "${C360_DB_PASSWORD_SECRET:?set C360_DB_PASSWORD_SECRET (projects/P/secrets/S/versions/latest)}"
  gcloud dataflow flex-template run "c360-$(date -u +%Y%m%d-%H%M%S)" \
    --project "$GCP_PROJECT" \
    --region "$GCP_REGION" \
    --template-file-gcs-location "$template" \
    --staging-location "$GCS_BUCKET/staging" \
    --temp-location "$GCS_BUCKET/temp" \
    --parameters "$(params "$@"),jdbcPasswordSecret=$C360_DB_PASSWORD_SECRET"
}

launch() {
  if [[ -z "${C360_DB_PASSWORD:-}" ]]; then
    : "${C360_DB_PASSWORD_SECRET:?set C360_DB_PASSWORD or C360_DB_PASSWORD_SECRET}"
    # Into the environment of this process only; never on a command line or in a log.
    C360_DB_PASSWORD="$(gcloud secrets versions access "${C360_DB_PASSWORD_SECRET##*/versions/}" \
      --secret "$(echo "$C360_DB_PASSWORD_SECRET" | cut -d/ -f4)" --project "$GCP_PROJECT")"
    export C360_DB_PASSWORD
  fi
  [[ -f "$jar" ]] || (cd "$root" && mvn -B -q -Pdataflow -DskipTests package)
  java -jar "$jar" run \
    --runner=DataflowRunner \
    --project="$GCP_PROJECT" \
    --region="$GCP_REGION" \
    --tempLocation="$GCS_BUCKET/temp" \
    --stagingLocation="$GCS_BUCKET/staging" \
    "$@"
}

case "$cmd" in
  build) build ;;
  run) run "$@" ;;
  launch) launch "$@" ;;
  *) sed -n '2,16p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; exit 2 ;;
esac
