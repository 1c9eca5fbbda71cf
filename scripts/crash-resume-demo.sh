#!/usr/bin/env bash
# Crash-safety demonstration: start the service, submit a training job, kill -9 the JVM mid-training, restart it,
# and check that the job resumes from its last checkpoint and ends with exactly one new model version.
#
#   scripts/crash-resume-demo.sh            # builds the jar if needed, uses a throw-away data dir and port
#
# Timing: JobRunr declares the dead server's job orphaned after 4 missed heartbeats (poll interval 5 s, so
# ~20 s), then retries it after a short back-off; the job resumes from the newest checkpoint in models/_jobs/<id>/attempt-<n>/.
set -euo pipefail
cd "$(dirname "$0")/.."

JAR=$(ls target/genserve-*.jar 2>/dev/null | grep -v plain | head -1 || true)
if [[ -z "${JAR}" ]]; then
  ./mvnw -q -B -DskipTests package
  JAR=$(ls target/genserve-*.jar | grep -v plain | head -1)
fi

WORK=$(mktemp -d /tmp/genserve-crash.XXXXXX)
PORT=${PORT:-18080}
BASE="http://127.0.0.1:${PORT}"
LOG="${WORK}/app.log"
export GENSERVE_JOBRUNR_DASHBOARD=false

start() {
  java -Xmx2g -jar "${JAR}" --server.port="${PORT}" --genserve.embedded-db.data-dir="${WORK}/postgres" \
    --genserve.artifacts.root="${WORK}/models" --genserve.jobs.checkpoint-every=100 >>"${LOG}" 2>&1 &
  APP=$!
  for _ in $(seq 1 120); do
    if curl -fs "${BASE}/actuator/health" >/dev/null 2>&1; then return 0; fi
    sleep 1
  done
  echo "service did not start; log: ${LOG}" >&2
  exit 1
}

field() { python3 -c "import json,sys; print(json.load(sys.stdin)$1)"; }

cleanup() { kill -9 "${APP:-0}" 2>/dev/null || true; }
trap cleanup EXIT

echo "[1/6] starting service (data in ${WORK})"
start
echo "[2/6] creating dataset and submitting a 3000-step diffusion job"
curl -fs -X POST "${BASE}/api/v1/datasets" -H 'Content-Type: application/json' \
  -d '{"builtin":"moons","n":4000,"seed":1,"name":"crash-moons"}' >/dev/null
JOB=$(curl -fs -X POST "${BASE}/api/v1/jobs" -H 'Content-Type: application/json' \
  -d '{"model":"crash-demo","family":"diffusion","dataset":"crash-moons","config":{"steps":3000,"batchSize":256,"hidden":64}}' \
  | field "['id']")
echo "      job ${JOB}"

echo "[3/6] waiting until a checkpoint exists (step > 250)"
for _ in $(seq 1 300); do
  STEP=$(curl -fs "${BASE}/api/v1/jobs/${JOB}" | field "['step']")
  [[ "${STEP}" -gt 250 ]] && break
  sleep 0.5
done
echo "      step ${STEP}; checkpoints: $(cd "${WORK}/models/_jobs/${JOB}" 2>/dev/null && ls -d attempt-*/checkpoint-* | tr '\n' ' ')"

echo "[4/6] kill -9 the service"
kill -9 "${APP}"; wait "${APP}" 2>/dev/null || true
KILLED_AT=$(date +%s)

echo "[5/6] restarting; waiting for the job to resume and finish"
start
for _ in $(seq 1 600); do
  STATUS=$(curl -fs "${BASE}/api/v1/jobs/${JOB}" | field "['status']")
  [[ "${STATUS}" == "SUCCEEDED" || "${STATUS}" == "FAILED" || "${STATUS}" == "CANCELLED" ]] && break
  sleep 1
done
JSON=$(curl -fs "${BASE}/api/v1/jobs/${JOB}")
RESUMES=$(echo "${JSON}" | field "['resumeCount']")
VERSIONS=$(curl -fs "${BASE}/api/v1/models/crash-demo/versions" | field ".__len__()")
echo "      status ${STATUS}, resumeCount ${RESUMES}, versions ${VERSIONS}, $(( $(date +%s) - KILLED_AT )) s after the kill"
echo "      resume log: $(grep -m1 'resumes from step' "${LOG}" || echo none)"

echo "[6/6] checking"
if [[ "${STATUS}" == "SUCCEEDED" && "${RESUMES}" -ge 1 && "${VERSIONS}" == "1" ]]; then
  echo "PASS: the job resumed after kill -9 and produced exactly one version"
else
  echo "FAIL: see ${LOG}" >&2
  exit 1
fi
