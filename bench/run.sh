#!/usr/bin/env bash
# Magpie against nginx, side by side, on 127.0.0.1 only (`make bench`).
#
# Builds Magpie in release mode (its own scratch path, .build-release), installs nginx and wrk when
# missing, starts both servers on free loopback ports with temp dirs, measures
#   1. large GET   — 64 MiB object, sequential curl GETs (Magpie through a presigned URL)
#   2. large PUT   — 64 MiB from a file with curl -T (Magpie through a presigned PUT URL)
#   3. small GET   — 4 KiB object, wrk -t2 -c32
#   4. memory      — Magpie's peak RSS while one 2 GiB body streams in
#   5. multipart   — 1 GiB with boto3 upload_file in 8 parallel 16 MiB parts vs one curl -T PUT of the
#                    same file vs nginx WebDAV PUT; Magpie's peak RSS during the multipart upload
#   6. images      — 300×200 fit / fill / smart crop JPEG, fit WebP and AVIF from a 4000×3000 photo at
#                    concurrency 2 and 8: Magpie (uncached, unique URLs) vs thumbor (PyPI, bench/.venv, no
#                    result storage) vs the in-process libvips ceiling (magpie image bench), and Magpie's
#                    cached hits with their CPU time per hit (bench/images.py; runs alone too)
#   7. media jobs  — bench/jobs.sh: a 4-rung HLS job vs four FFmpeg runs vs the same command by hand
#   8. encryption  — 64 MiB GET of an SSE-S3 object vs the same bytes unencrypted (both Magpie, curl,
#                    interleaved), and a 1 MiB range GET of each
# prints the table and writes it as Markdown to bench/out/latest.md. Everything is stopped and removed
# at the end. Knobs (environment): BENCH_RUNS (10), BENCH_WRK_SECONDS (10), BENCH_RSS_SIZE (2G),
# MAGPIE_BIN (skip the build and use this binary), BENCH_MP_RUNS (2), BENCH_MP_SIZE (1G), BENCH_IMAGES (1;
# 0 skips phase 6), BENCH_IMG_SECONDS (10), BENCH_IMG_CONCURRENCY ("2 8"), BENCH_IMG_OPS ("fit fill smart webp avif").
set -euo pipefail
shopt -s inherit_errexit
cd "$(dirname "$0")/.."
export PATH="/opt/swift/usr/bin:$PATH"

RUNS=${BENCH_RUNS:-10}
WRK_SECONDS=${BENCH_WRK_SECONDS:-10}
RSS_SIZE=${BENCH_RSS_SIZE:-2G}
LARGE_BYTES=$((64 << 20))
SMALL_BYTES=4096
OUT=bench/out
mkdir -p "$OUT"

log() { echo "bench: $*" >&2; }
die() { log "error: $*"; exit 1; }

# --- prerequisites -------------------------------------------------------------------------------
bash bench/install-deps.sh
MAGPIE_BUILD="release build of this checkout: $(git rev-parse --short HEAD 2>/dev/null || echo unknown)"
MAGPIE_BUILD+="$(git diff --quiet HEAD -- Sources Package.swift 2>/dev/null || echo ' + uncommitted changes')"
if [ -n "${MAGPIE_BIN:-}" ]; then
    MAGPIE_BUILD="prebuilt binary $MAGPIE_BIN"
else
    log "building magpie (release, scratch path .build-release; log in $OUT/build.log)"
    swift build -c release --scratch-path .build-release --product magpie >"$OUT/build.log" 2>&1 ||
        { tail -40 "$OUT/build.log" >&2; die "release build failed"; }
    MAGPIE_BIN="$PWD/.build-release/release/magpie"
fi
[ -x "$MAGPIE_BIN" ] || die "no magpie binary at $MAGPIE_BIN"

# --- temp dirs, servers, cleanup -----------------------------------------------------------------
WORK=$(mktemp -d "${TMPDIR:-/tmp}/magpie-bench.XXXXXX")
RESULTS="$WORK/results.env"
MAGPIE_PID="" NGINX_PID=""

stop() {  # stop PID [signal]: signal it, wait up to 15 s, then SIGKILL it
    local pid=$1 signal=${2:-TERM}
    [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null || return 0
    kill -"$signal" "$pid" 2>/dev/null || true
    for _ in $(seq 150); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
}
cleanup() {
    stop "$MAGPIE_PID"
    stop "$NGINX_PID" QUIT
    rm -rf "$WORK"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

free_port() { python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
wait_http() {  # wait_http URL: until it answers at all (any status), 60 s at most
    for _ in $(seq 600); do
        curl -s -o /dev/null --max-time 1 "$1" && return 0
        sleep 0.1
    done
    return 1
}
record() { echo "$1=$2" >>"$RESULTS"; }
median() { python3 -c 'import statistics, sys; print(f"{statistics.median(float(x) for x in sys.stdin.read().split()):.1f}")'; }
child_pids() { cat /proc/"$1"/task/*/children 2>/dev/null || true; }
cpu_seconds() {  # user + system CPU seconds of the given processes, summed
    local ticks=0 pid
    for pid in "$@"; do
        ticks=$((ticks + $(awk '{print $14 + $15}' /proc/"$pid"/stat)))
    done
    python3 -c "print(f'{$ticks / $(getconf CLK_TCK):.2f}')"
}

export MAGPIE_ROOT_ACCESS_KEY=benchaccesskey MAGPIE_ROOT_SECRET_KEY=benchsecretkey0123456789
MAGPIE_PORT=$(free_port)
MAGPIE="http://127.0.0.1:$MAGPIE_PORT"
mkdir -p "$WORK/magpie"
# Access log off (log level warning), as for nginx.
"$MAGPIE_BIN" serve --address 127.0.0.1 --port "$MAGPIE_PORT" --data-dir "$WORK/magpie" --log-level warning \
    >"$WORK/magpie.log" 2>&1 &
MAGPIE_PID=$!
wait_http "$MAGPIE/-/health" || { cat "$WORK/magpie.log" >&2; die "magpie did not start"; }

NGINX_PORT=$(free_port)
NGINX="http://127.0.0.1:$NGINX_PORT"
mkdir -p "$WORK/nginx/www/bench" "$WORK/nginx/client_body_temp"
sed -e "s|@PREFIX@|$WORK/nginx|g" -e "s|@PORT@|$NGINX_PORT|g" bench/nginx.conf.template >"$WORK/nginx/nginx.conf"
nginx -p "$WORK/nginx" -c "$WORK/nginx/nginx.conf" -e "$WORK/nginx/error.log" &
NGINX_PID=$!
wait_http "$NGINX/" || { cat "$WORK/nginx/error.log" >&2; die "nginx did not start"; }
NGINX_PIDS=("$NGINX_PID" $(child_pids "$NGINX_PID"))
log "magpie pid $MAGPIE_PID on $MAGPIE, nginx pids ${NGINX_PIDS[*]} on $NGINX, temp dir $WORK"

presign() { python3 bench/presign.py "$MAGPIE" "$@"; }

# --- fixtures --------------------------------------------------------------------------------------
head -c "$LARGE_BYTES" /dev/urandom >"$WORK/large.bin"
head -c "$SMALL_BYTES" /dev/urandom >"$WORK/small.bin"
presign make-bucket bench
put() { curl -sS -f --max-time 300 -H 'Expect:' -T "$1" -o /dev/null "$2"; }
put "$WORK/large.bin" "$(presign url PUT bench large)"
put "$WORK/small.bin" "$(presign url PUT bench small)"
put "$WORK/large.bin" "$NGINX/bench/large"
put "$WORK/small.bin" "$NGINX/bench/small"

M_LARGE_GET=$(presign url GET bench large --expires 86400)
M_SMALL_GET=$(presign url GET bench small --expires 86400)
M_LARGE_PUT=$(presign url PUT bench put-large --expires 86400)
M_RSS_PUT=$(presign url PUT bench rss --expires 86400)

# --- 1 + 2: large GET and PUT, the two servers interleaved, run 0 a warm-up -------------------------
transfer_mbps() {  # transfer_mbps get|put URL: MB/s (10^6 bytes/s) over the whole request
    local args=(-sS -f --max-time 120 -o /dev/null)
    if [ "$1" = put ]; then args+=(-H 'Expect:' -T "$WORK/large.bin"); fi
    local moved size seconds
    moved=$(curl "${args[@]}" -w "%{size_$([ "$1" = put ] && echo upload || echo download)} %{time_total}" "$2") ||
        die "$1 $2 failed"
    read -r size seconds <<<"$moved"
    [ "$size" -eq "$LARGE_BYTES" ] || die "$1 $2 moved $size bytes, expected $LARGE_BYTES"
    python3 -c "print(f'{$size / $seconds / 1e6:.1f}')"
}
measure_large() {  # measure_large get|put MAGPIE_URL NGINX_URL
    local kind=$1 m n cpu_m cpu_n
    : >"$WORK/$kind.magpie" && : >"$WORK/$kind.nginx"
    cpu_m=$(cpu_seconds "$MAGPIE_PID") cpu_n=$(cpu_seconds "${NGINX_PIDS[@]}")
    for i in $(seq 0 "$RUNS"); do
        m=$(transfer_mbps "$kind" "$2") n=$(transfer_mbps "$kind" "$3")
        [ "$i" -eq 0 ] && continue
        echo "$m" >>"$WORK/$kind.magpie" && echo "$n" >>"$WORK/$kind.nginx"
    done
    record "cpu.large_$kind.magpie" "$(python3 -c "print(f'{$(cpu_seconds "$MAGPIE_PID") - $cpu_m:.2f}')")"
    record "cpu.large_$kind.nginx" "$(python3 -c "print(f'{$(cpu_seconds "${NGINX_PIDS[@]}") - $cpu_n:.2f}')")"
    record "ops.large_$kind" "$((RUNS + 1))"
    for server in magpie nginx; do
        record "large_$kind.$server" "$(median <"$WORK/$kind.$server")"
        record "note.large $kind $server MB/s (median of $RUNS; all runs)" "$(tr '\n' ' ' <"$WORK/$kind.$server")"
    done
    log "large $kind: magpie $(median <"$WORK/$kind.magpie") MB/s, nginx $(median <"$WORK/$kind.nginx") MB/s"
}
measure_large get "$M_LARGE_GET" "$NGINX/bench/large"
measure_large put "$M_LARGE_PUT" "$NGINX/bench/put-large"

# --- 3: small GET with wrk ------------------------------------------------------------------------
wrk_rps() {  # wrk_rps SERVER URL PIDS...: requests/s; fails when any response was not 2xx/3xx
    local server=$1 url=$2 before; shift 2
    wrk -t2 -c32 -d2s "$url" >/dev/null  # warm-up
    before=$(cpu_seconds "$@")
    wrk -t2 -c32 -d"${WRK_SECONDS}s" --latency "$url" >"$WORK/wrk.$server"
    record "cpu.small_get.$server" "$(python3 -c "print(f'{$(cpu_seconds "$@") - $before:.2f}')")"
    record "ops.small_get.$server" "$(awk '/requests in/ {print $1}' "$WORK/wrk.$server")"
    if grep -q 'Non-2xx' "$WORK/wrk.$server"; then cat "$WORK/wrk.$server" >&2; die "wrk against $server saw error responses"; fi
    record "note.small GET $server latency p50 / p99" \
        "$(awk '$1 == "50%" {p50 = $2} $1 == "99%" {p99 = $2} END {print p50 " / " p99}' "$WORK/wrk.$server")"
    awk '/^Requests\/sec:/ {print $2}' "$WORK/wrk.$server"
}
m=$(wrk_rps magpie "$M_SMALL_GET" "$MAGPIE_PID")
record small_get.magpie "$m"
n=$(wrk_rps nginx "$NGINX/bench/small" "${NGINX_PIDS[@]}")
record small_get.nginx "$n"
log "small get: magpie $m req/s, nginx $n req/s"

# --- 4: peak RSS during one streamed 2 GiB PUT ----------------------------------------------------
rss_put() {  # rss_put SERVER URL PIDS...: a body generated on the fly (chunked); a sparse file if refused
    local server=$1 url=$2 line; shift 2
    local pids=() pid; for pid in "$@"; do pids+=(--pid "$pid"); done
    if line=$(python3 bench/rss.py "${pids[@]}" -- bash -o pipefail -c \
        "head -c $RSS_SIZE /dev/zero | curl -s -f --max-time 300 -H 'Expect:' -T - -o /dev/null '$url'"); then
        record "note.rss $server" "chunked body from head -c $RSS_SIZE /dev/zero; $line"
    else
        log "$server refused the chunked $RSS_SIZE PUT; retrying with a sparse file of the same size"
        truncate -s "$RSS_SIZE" "$WORK/sparse.bin"
        line=$(python3 bench/rss.py "${pids[@]}" -- curl -sS -f --max-time 300 -H 'Expect:' -T "$WORK/sparse.bin" -o /dev/null "$url") ||
            die "the $RSS_SIZE PUT to $server failed"
        rm -f "$WORK/sparse.bin"
        record "note.rss $server" "sparse file with Content-Length; $line"
    fi
    echo "$line" | sed -E 's/.*peak_mib=([0-9.]+).*/\1/'
}
record rss_size "$(numfmt --to=iec-i --suffix=B --from=iec "$RSS_SIZE" | sed -E 's/\.0([KMGT])/\1/; s/([0-9])([KMGT])/\1 \2/')"
m=$(rss_put magpie "$M_RSS_PUT" "$MAGPIE_PID")
record rss_put.magpie "$m"
presign delete bench rss
n=$(rss_put nginx "$NGINX/bench/rss" "${NGINX_PIDS[@]}")
record rss_put.nginx "$n"
curl -sS -f -X DELETE -o /dev/null "$NGINX/bench/rss"
log "peak rss: magpie $m MiB, nginx $n MiB"

# --- 5: multipart upload of 1 GiB (8 parallel 16 MiB parts) vs one PUT of it, and vs nginx ---------
# Runs interleaved (multipart, single PUT, nginx PUT) BENCH_MP_RUNS times; the best MB/s of each is
# reported. Magpie's RSS is sampled during every multipart upload (rss.py); the peak is the highest.
MP_RUNS=${BENCH_MP_RUNS:-2}
MP_SIZE=${BENCH_MP_SIZE:-1G}
MP_PART_MIB=16 MP_CONCURRENCY=8
MP_BYTES=$(numfmt --from=iec "$MP_SIZE")
timeout 300 head -c "$MP_BYTES" /dev/urandom >"$WORK/mp.bin"  # removed with $WORK at exit, or below
M_MP_PUT=$(presign url PUT bench mp-single --expires 86400)
mp_curl_put() {  # mp_curl_put URL: MB/s of one curl -T of the 1 GiB file, Expect: off
    local out size seconds
    out=$(timeout 300 curl -sS -f --max-time 300 -H 'Expect:' -T "$WORK/mp.bin" -o /dev/null \
        -w '%{size_upload} %{time_total}' "$1") || die "PUT of $MP_SIZE to $1 failed"
    read -r size seconds <<<"$out"
    [ "$size" -eq "$MP_BYTES" ] || die "PUT to $1 sent $size bytes, expected $MP_BYTES"
    python3 -c "print(f'{$size / $seconds / 1e6:.1f}')"
}
best() { python3 -c 'import sys; print(f"{max(float(x) for x in sys.stdin.read().split()):.1f}")'; }
: >"$WORK/mp.multipart" && : >"$WORK/mp.single" && : >"$WORK/mp.nginx" && : >"$WORK/mp.rss"
cpu_mp=0 cpu_single=0 cpu_nginx=0
for i in $(seq "$MP_RUNS"); do
    before=$(cpu_seconds "$MAGPIE_PID")
    out=$(timeout 300 python3 bench/rss.py --pid "$MAGPIE_PID" -- python3 bench/multipart.py "$MAGPIE" upload bench mp \
        "$WORK/mp.bin" --part-mib "$MP_PART_MIB" --concurrency "$MP_CONCURRENCY") || die "multipart upload $i failed: $out"
    cpu_mp=$(python3 -c "print(f'{$cpu_mp + $(cpu_seconds "$MAGPIE_PID") - $before:.2f}')")
    upload_line=$(grep '^mbps=' <<<"$out") rss_line=$(grep '^peak_mib=' <<<"$out")
    sed -E 's/^mbps=([0-9.]+).*/\1/' <<<"$upload_line" >>"$WORK/mp.multipart"
    sed -E 's/^peak_mib=([0-9.]+).*/\1/' <<<"$rss_line" >>"$WORK/mp.rss"
    record "note.multipart run $i" "$upload_line; magpie $rss_line"

    before=$(cpu_seconds "$MAGPIE_PID")
    mp_curl_put "$M_MP_PUT" >>"$WORK/mp.single"
    cpu_single=$(python3 -c "print(f'{$cpu_single + $(cpu_seconds "$MAGPIE_PID") - $before:.2f}')")
    timeout 60 python3 bench/multipart.py "$MAGPIE" check bench mp-single "$MP_BYTES" --delete

    before=$(cpu_seconds "${NGINX_PIDS[@]}")
    mp_curl_put "$NGINX/bench/mp-single" >>"$WORK/mp.nginx"
    cpu_nginx=$(python3 -c "print(f'{$cpu_nginx + $(cpu_seconds "${NGINX_PIDS[@]}") - $before:.2f}')")
    log "multipart run $i: multipart $(tail -1 "$WORK/mp.multipart") MB/s (peak rss $(tail -1 "$WORK/mp.rss") MiB)," \
        "single put $(tail -1 "$WORK/mp.single") MB/s, nginx put $(tail -1 "$WORK/mp.nginx") MB/s"
done
curl -sS -f --max-time 60 -X DELETE -o /dev/null "$NGINX/bench/mp-single"
rm -f "$WORK/mp.bin"
record mp_size "$(numfmt --to=iec-i --suffix=B "$MP_BYTES" | sed -E 's/\.0([KMGT])/\1/; s/([0-9])([KMGT])/\1 \2/')"
record mp_parts "$MP_CONCURRENCY parallel $MP_PART_MIB MiB parts"
record mp_multipart.magpie "$(best <"$WORK/mp.multipart")"
record mp_single.magpie "$(best <"$WORK/mp.single")"
record mp_multipart.nginx "$(best <"$WORK/mp.nginx")"
record mp_single.nginx "$(best <"$WORK/mp.nginx")"
record mp_rss.magpie "$(best <"$WORK/mp.rss")"
record cpu.mp_multipart.magpie "$cpu_mp"
record cpu.mp_single.magpie "$cpu_single"
record cpu.mp_single.nginx "$cpu_nginx"
record ops.mp_multipart "$MP_RUNS"
record ops.mp_single "$MP_RUNS"
for kind in multipart single nginx; do
    record "note.$MP_SIZE $kind MB/s (best of $MP_RUNS; all runs)" "$(tr '\n' ' ' <"$WORK/mp.$kind")"
done
log "multipart: magpie multipart $(best <"$WORK/mp.multipart") MB/s, magpie single put $(best <"$WORK/mp.single") MB/s," \
    "nginx put $(best <"$WORK/mp.nginx") MB/s, peak rss $(best <"$WORK/mp.rss") MiB"

# --- 8: encrypted GET (SSE-S3, bucket default encryption) vs the same object unencrypted ------------
presign make-bucket bench-enc
presign encrypt-bucket bench-enc
put "$WORK/large.bin" "$(presign url PUT bench-enc large)"
M_ENC_GET=$(presign url GET bench-enc large --expires 86400)
: >"$WORK/enc.sse_s3" && : >"$WORK/enc.plain"
cpu_enc=0 cpu_plain=0
for i in $(seq 0 "$RUNS"); do
    before=$(cpu_seconds "$MAGPIE_PID")
    e=$(transfer_mbps get "$M_ENC_GET")
    middle=$(cpu_seconds "$MAGPIE_PID")
    p=$(transfer_mbps get "$M_LARGE_GET")
    [ "$i" -eq 0 ] && continue
    cpu_enc=$(python3 -c "print(f'{$cpu_enc + $middle - $before:.2f}')")
    cpu_plain=$(python3 -c "print(f'{$cpu_plain + $(cpu_seconds "$MAGPIE_PID") - $middle:.2f}')")
    echo "$e" >>"$WORK/enc.sse_s3" && echo "$p" >>"$WORK/enc.plain"
done
range_ms() {  # range_ms URL: median milliseconds of 20 GETs of 1 MiB in the middle of the object
    for _ in $(seq 20); do
        curl -sS -f --max-time 30 -o /dev/null -r 33554432-34603007 -w '%{time_total}\n' "$1" | python3 -c 'import sys; print(float(sys.stdin.read()) * 1e3)'
    done | median
}
record enc_get.sse_s3 "$(median <"$WORK/enc.sse_s3")"
record enc_get.plain "$(median <"$WORK/enc.plain")"
record enc_range.sse_s3 "$(range_ms "$M_ENC_GET")"
record enc_range.plain "$(range_ms "$M_LARGE_GET")"
record cpu.enc_get.sse_s3 "$cpu_enc"
record cpu.enc_get.plain "$cpu_plain"
record ops.enc_get "$RUNS"
record "note.encrypted GET MB/s, SSE-S3 (median of $RUNS; all runs)" "$(tr '\n' ' ' <"$WORK/enc.sse_s3")"
record "note.unencrypted GET MB/s (median of $RUNS; all runs)" "$(tr '\n' ' ' <"$WORK/enc.plain")"
log "encrypted get: sse-s3 $(median <"$WORK/enc.sse_s3") MB/s, unencrypted $(median <"$WORK/enc.plain") MB/s"
presign delete bench-enc large

# --- 6: images, Magpie vs thumbor vs the in-process libvips ceiling (bench/images.py) --------------
# Its own Magpie (unsigned image URLs on) and thumbor; appends its img.* rows and notes to the results.
# A failure there leaves its rows ERROR rather than losing the other phases' figures.
if [ "${BENCH_IMAGES:-1}" != 0 ]; then
    log "images: magpie vs thumbor vs the in-process ceiling, ${BENCH_IMG_SECONDS:-10} s per run"
    MAGPIE_BIN="$MAGPIE_BIN" python3 bench/images.py --results "$RESULTS" ||
        { log "error: the image phase failed"; record img.error "bench/images.py failed, see its log lines"; }
fi

# --- 7: media jobs (bench/jobs.sh: HLS ladder in one run vs four runs vs by hand) -------------------
# A separate script with its own server and table (bench/out/jobs.md); BENCH_SKIP_JOBS=1 skips it.
if [ -z "${BENCH_SKIP_JOBS:-}" ]; then
    MAGPIE_BIN="$MAGPIE_BIN" bash bench/jobs.sh || log "the jobs phase failed (see above)"
fi

# --- report ---------------------------------------------------------------------------------------
record "note.magpie" "$MAGPIE_BUILD, access log off (--log-level warning)"
record "note.nginx" "$(nginx -v 2>&1 | sed 's/^nginx version: //'), worker_processes 2, sendfile on, client_body_buffer_size 1m, access_log off"
record "note.machine" "$(nproc) cores, $(lscpu | sed -n 's/^Model name: *//p'), $(free -g | awk '/^Mem:/ {print $2}') GiB, Linux $(uname -r)"
echo
python3 bench/table.py "$RESULTS" "$OUT/latest.md"
cp "$RESULTS" "$OUT/latest.env"
echo
log "table written to $OUT/latest.md"
