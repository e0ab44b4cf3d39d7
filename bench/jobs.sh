#!/usr/bin/env bash
# The media-jobs phase of `make bench` (called from bench/run.sh, or alone): Magpie's 4-rung HLS
# job on a generated 20 s 1080p30 mezzanine vs four separate FFmpeg runs (the seeds' approach) vs
# the same single FFmpeg command by hand. Writes bench/out/jobs.md and prints it.
# Knobs: MAGPIE_BIN (else a release build), BENCH_JOB_RUNS (2; the best run of each is reported).
set -euo pipefail
shopt -s inherit_errexit
cd "$(dirname "$0")/.."
export PATH="/opt/swift/usr/bin:$PATH"
OUT=bench/out
mkdir -p "$OUT"
log() { echo "bench(jobs): $*" >&2; }
die() { log "error: $*"; exit 1; }

command -v ffmpeg >/dev/null 2>&1 || bash scripts/install-deps.sh
[ -x /usr/bin/time ] || { export DEBIAN_FRONTEND=noninteractive; apt-get update -qq && apt-get install -y -qq time >/dev/null; }
if [ -z "${MAGPIE_BIN:-}" ]; then
    log "building magpie (release, scratch path .build-release)"
    swift build -c release --scratch-path .build-release --product magpie >"$OUT/build-jobs.log" 2>&1 || die "release build failed"
    MAGPIE_BIN="$PWD/.build-release/release/magpie"
fi

WORK=$(mktemp -d "${TMPDIR:-/tmp}/magpie-bench-jobs.XXXXXX")
PID=""
cleanup() {
    if [ -n "$PID" ] && kill -0 "$PID" 2>/dev/null; then kill "$PID"; wait "$PID" 2>/dev/null || true; fi
    rm -rf "$WORK"
}
trap cleanup EXIT

log "generating a 20 s 1080p30 mezzanine (high-bitrate H.264 + AAC)"
ffmpeg -hide_banner -loglevel error -nostdin -y -f lavfi -i "testsrc2=size=1920x1080:rate=30" -f lavfi -i "sine=frequency=440:sample_rate=48000" \
    -t 20 -c:v libx264 -preset veryfast -crf 16 -g 60 -pix_fmt yuv420p -c:a aac -b:a 192k -shortest "$WORK/mezzanine.mp4"

export MAGPIE_ROOT_ACCESS_KEY=benchjobsaccesskey MAGPIE_ROOT_SECRET_KEY=benchjobssecretkey0123456789
PORT=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
ENDPOINT="http://127.0.0.1:$PORT"
# debug: the worker logs the exact FFmpeg argument array, which the by-hand run replays.
"$MAGPIE_BIN" serve --address 127.0.0.1 --port "$PORT" --data-dir "$WORK/data" --log-level debug >/dev/null 2>"$WORK/server.log" &
PID=$!
for _ in $(seq 300); do curl -sf -o /dev/null "$ENDPOINT/-/health" && break; sleep 0.1; done
curl -sf -o /dev/null "$ENDPOINT/-/health" || { tail -20 "$WORK/server.log" >&2; die "magpie did not start"; }
python3 bench/presign.py "$ENDPOINT" make-bucket bench-jobs
curl -sS -f -H 'Expect:' -T "$WORK/mezzanine.mp4" -o /dev/null "$(python3 bench/presign.py "$ENDPOINT" url PUT bench-jobs mezzanine.mp4)"

RESULTS="$WORK/jobs.env"
: >"$RESULTS"
log "running: job start latency, then ${BENCH_JOB_RUNS:-2}× (magpie job, by hand, four separate runs)"
python3 bench/jobs.py "$ENDPOINT" "$PID" "$WORK/server.log" "$WORK" "$RESULTS"
echo "note.machine=$(nproc) cores, $(lscpu | sed -n 's/^Model name: *//p'), $(ffmpeg -version | head -1 | cut -d' ' -f1-3)" >>"$RESULTS"
echo "note.magpie=$MAGPIE_BIN" >>"$RESULTS"
python3 bench/jobs_table.py "$RESULTS" "$OUT/jobs.md"
cp "$RESULTS" "$OUT/jobs.env"
log "table written to $OUT/jobs.md"
