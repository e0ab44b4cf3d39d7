#!/usr/bin/env python3
"""Phase 6 of `make bench`: image transformations, Magpie vs thumbor vs the in-process libvips ceiling.

On the 4000×3000 photo (shared/testdata/photos/photo4000x3000.jpg), for each operation
    fit    300×200 fit, JPEG            magpie rs:fit:300:200 @jpg         thumbor fit-in/300x200
    fill   300×200 fill (centre), JPEG  magpie rs:fill:300:200/g:ce @jpg   thumbor 300x200
    smart  300×200 smart crop, JPEG     magpie rs:fill:300:200/g:sm @jpg   thumbor 300x200/smart
    webp   300×200 fit, WebP            magpie rs:fit:300:200 @webp        thumbor fit-in/300x200/filters:format(webp)
    avif   300×200 fit, AVIF            magpie rs:fit:300:200 @avif        thumbor fit-in/300x200/filters:format(avif)
and each concurrency (2 and 8), wrk -t2 measures requests/s (responses ÷ the time from the first request
to the last response, see bench/images.lua) and p50/p99 of
  - Magpie over HTTP, uncached: every URL carries a cache-buster of its own (cb:..., bench/images.lua);
  - thumbor (PyPI, in bench/.venv; PIL engine, file loader, no storage, no result storage, OpenCV face +
    feature detectors for smart crops, one process per core), each URL with a query of its own too;
and `magpie image bench` measures the in-process ceiling: the same pipeline on min(concurrency, cores)
threads, no HTTP and no cache (Magpie's image pool is sized to the cores, so at concurrency 8 the server
also runs at most that many jobs at once). Then one fixed URL, warmed first, measures cached hits: requests/s,
p50/p99 and Magpie's CPU time (utime + stime from /proc) per hit.
After each wrk run the script waits until the server is idle again (requests still queued when wrk
stops are finished before the next run starts).

  python3 bench/images.py                  # alone: writes bench/out/images.md and images.env
  python3 bench/images.py --results FILE   # from run.sh: appends key=value lines to FILE, no table

Knobs (environment): MAGPIE_BIN (default .build-release/release/magpie; alone, nothing is built),
BENCH_IMG_SECONDS (10, per wrk run and per ceiling run), BENCH_IMG_CONCURRENCY ("2 8"),
BENCH_IMG_OPS ("fit fill smart webp avif"), BENCH_IMG_PHOTO (the photo above).
"""
import argparse
import json
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(ROOT, "bench"))
VENV = os.path.join(ROOT, "bench", ".venv")
LUA = os.path.join(ROOT, "bench", "images.lua")

# name, label, magpie options, format, thumbor path, the least magpie ÷ thumbor the issue asks for
OPS = [
    ("fit", "300×200 fit, JPEG", "rs:fit:300:200", "jpg", "fit-in/300x200", None),
    ("fill", "300×200 fill (centre crop), JPEG", "rs:fill:300:200/g:ce", "jpg", "300x200", 4.0),
    ("smart", "300×200 smart crop, JPEG", "rs:fill:300:200/g:sm", "jpg", "300x200/smart", 10.0),
    ("webp", "300×200 fit, WebP", "rs:fit:300:200", "webp", "fit-in/300x200/filters:format(webp)", None),
    ("avif", "300×200 fit, AVIF", "rs:fit:300:200", "avif", "fit-in/300x200/filters:format(avif)", None),
]
CONTENT_TYPES = {"jpg": "image/jpeg", "webp": "image/webp", "avif": "image/avif"}
ACCESS_KEY, SECRET_KEY = "benchaccesskey", "benchsecretkey0123456789"
CLK_TCK = os.sysconf("SC_CLK_TCK")


def log(*args):
    print("bench: images:", *args, file=sys.stderr, flush=True)


class Results:
    """key=value lines, as run.sh's record(); kept in order, written at the end and after every op."""

    def __init__(self, path):
        self.path = path

    def __setitem__(self, key, value):
        with open(self.path, "a") as f:
            f.write(f"{key}={str(value).replace(chr(10), ' ')}\n")


# --- processes -----------------------------------------------------------------------------------
def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_http(url, proc, seconds=60):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            return False
        try:
            urllib.request.urlopen(url, timeout=1).read()
            return True
        except urllib.error.HTTPError:
            return True  # it answers
        except OSError:
            time.sleep(0.1)
    return False


def children(pid):
    out = []
    for task in os.listdir(f"/proc/{pid}/task") if os.path.isdir(f"/proc/{pid}/task") else []:
        try:
            with open(f"/proc/{pid}/task/{task}/children") as f:
                out += [int(p) for p in f.read().split()]
        except OSError:
            pass
    return out


def alive(pid):
    try:
        with open(f"/proc/{pid}/stat") as f:
            return f.read().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


def stop(pids, proc=None):
    """SIGTERM each pid, up to 15 s for them to go, then SIGKILL."""
    for pid in pids:
        try:
            os.kill(pid, 15)
        except OSError:
            pass
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline and any(alive(p) for p in pids):
        if proc is not None:
            proc.poll()
        time.sleep(0.1)
    for pid in pids:
        if alive(pid):
            try:
                os.kill(pid, 9)
            except OSError:
                pass
    if proc is not None:
        try:
            proc.wait(timeout=5)
        except subprocess.TimeoutExpired:
            pass


def cpu_ticks(pids):
    total = 0
    for pid in pids:
        try:
            with open(f"/proc/{pid}/stat") as f:
                fields = f.read().rsplit(")", 1)[1].split()
            total += int(fields[11]) + int(fields[12])  # utime, stime (fields 14 and 15)
        except OSError:
            pass
    return total


def wait_idle(pids, seconds=120):
    """Until the processes stop using CPU (two quiet 0.25 s samples in a row), at most `seconds`."""
    deadline = time.monotonic() + seconds
    quiet, last = 0, cpu_ticks(pids)
    while time.monotonic() < deadline and quiet < 2:
        time.sleep(0.25)
        now = cpu_ticks(pids)
        quiet = quiet + 1 if now - last <= 1 else 0
        last = now


# --- HTTP checks and wrk -------------------------------------------------------------------------
def fetch(url):
    """(status, headers, body) of one GET; errors come back as their status and body."""
    try:
        with urllib.request.urlopen(url, timeout=120) as r:
            return r.status, dict(r.headers), r.read()
    except urllib.error.HTTPError as e:
        return e.code, dict(e.headers), e.read()
    except OSError as e:
        return 0, {}, str(e).encode()


def check(urls, content_type):
    """Fetch the URLs concurrently: (None when every answer is 200 with the content type, else why not;
    the answers; requests/s over the lot)."""
    start = time.monotonic()
    with ThreadPoolExecutor(len(urls)) as pool:
        answers = list(pool.map(fetch, urls))
    rate = len(urls) / max(time.monotonic() - start, 1e-3)
    for url, (status, headers, body) in zip(urls, answers):
        got = headers.get("Content-Type", "")
        if status != 200 or not got.startswith(content_type):
            return f"GET {url} -> {status} {got} {body[:300].decode('utf-8', 'replace')}".strip(), answers, rate
    return None, answers, rate


def run_seconds(seconds, concurrency, rate, least=10):
    """A run long enough for about `least` responses after the first `concurrency` at the warm-up's rate
    (thumbor's smart crops take seconds each), within 4× the configured seconds."""
    return max(seconds, min(4 * seconds, int((least + concurrency) / rate + 0.999)))


UNITS = {"us": 1e-3, "ms": 1.0, "s": 1e3, "m": 60e3, "h": 3600e3}


def ms(text):
    m = re.fullmatch(r"([0-9.]+)(us|ms|s|m|h)", text)
    return float(m.group(1)) * UNITS[m.group(2)] if m else None


def wrk(base, concurrency, seconds, template=None, nonce=None, url=None):
    """One wrk run; a dict with requests, rps, p50/p99 (ms), errors (non-2xx/3xx + socket errors), first_error."""
    cmd = ["wrk", "-t2", f"-c{concurrency}", f"-d{seconds}s", "--timeout", "60s", "--latency"]
    cmd += ["-s", LUA, base + "/", "--", template, nonce] if template else [url]
    out = subprocess.run(cmd, capture_output=True, text=True, timeout=seconds + 120).stdout
    r = {"raw": out, "requests": 0, "rps": None, "p50": None, "p99": None, "errors": 0, "first_error": None}
    for line in out.splitlines():
        words = line.split()
        if re.match(r"\s*\d+ requests in", line):
            r["requests"] = int(words[0])
        elif line.startswith("Requests/sec:"):
            r["rps"] = float(words[1])
        elif words[:1] == ["50%"]:
            r["p50"] = ms(words[1])
        elif words[:1] == ["99%"]:
            r["p99"] = ms(words[1])
        elif line.strip().startswith("Non-2xx or 3xx responses:"):
            r["errors"] += int(words[-1])
        elif line.strip().startswith("Socket errors:"):
            r["errors"] += sum(int(n) for n in re.findall(r"\d+", line))
        elif line.startswith("completed:"):  # images.lua: responses / time from the first request to the last response
            r["completed"], r["span"] = int(words[1]), float(words[3])
        elif line.startswith("first_error:") and r["first_error"] is None:
            r["first_error"] = line[len("first_error:"):].strip()
    if r["rps"] is None:
        r["first_error"] = r["first_error"] or f"wrk printed no result: {out.strip()[-300:]}"
    elif not r["requests"]:
        r["rps"] = r["p50"] = r["p99"] = None
        r["first_error"] = r["first_error"] or f"no response within the {seconds} s run"
    elif r.get("span"):
        r["wrk_rps"], r["rps"] = r["rps"], r["completed"] / r["span"]
    return r


def fmt_ms(x):
    return "n/a" if x is None else f"{x:.1f}"


# --- the phase -----------------------------------------------------------------------------------
def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--results", help="append key=value results to this file (run.sh); no table")
    args = parser.parse_args()
    os.chdir(ROOT)

    seconds = int(os.environ.get("BENCH_IMG_SECONDS", "10"))
    concurrencies = [int(c) for c in os.environ.get("BENCH_IMG_CONCURRENCY", "2 8").split()]
    wanted = os.environ.get("BENCH_IMG_OPS", " ".join(op[0] for op in OPS)).split()
    ops = [op for op in OPS if op[0] in wanted]
    photo = os.path.abspath(os.environ.get("BENCH_IMG_PHOTO", os.path.join(ROOT, "..", "shared", "testdata", "photos",
                                                                           "photo4000x3000.jpg")))
    magpie_bin = os.path.abspath(os.environ.get("MAGPIE_BIN", os.path.join(ROOT, ".build-release", "release", "magpie")))
    cores = os.cpu_count() or 1
    alone = args.results is None
    if alone:
        subprocess.run(["bash", "bench/install-deps.sh"], check=True)
    for path, what in ((photo, "photo"), (magpie_bin, "magpie binary"), (os.path.join(VENV, "bin", "thumbor"), "thumbor")):
        if not os.path.exists(path):
            log(f"error: no {what} at {path}" + (" (bash bench/install-deps.sh installs it)" if what == "thumbor" else ""))
            return 1

    work = tempfile.mkdtemp(prefix="magpie-bench-images.")
    os.makedirs(os.path.join(ROOT, "bench", "out"), exist_ok=True)
    results_path = args.results or os.path.join(work, "results.env")
    results = Results(results_path)
    magpie = thumbor = None
    thumbor_pids = []
    try:
        # Magpie, a server of its own for this phase: unsigned image URLs on, access log off.
        env = dict(os.environ, MAGPIE_ROOT_ACCESS_KEY=ACCESS_KEY, MAGPIE_ROOT_SECRET_KEY=SECRET_KEY)
        mport = free_port()
        mbase = f"http://127.0.0.1:{mport}"
        os.makedirs(os.path.join(work, "magpie"))
        mlog = open(os.path.join(work, "magpie.log"), "w")
        magpie = subprocess.Popen([magpie_bin, "serve", "--address", "127.0.0.1", "--port", str(mport), "--data-dir",
                                   os.path.join(work, "magpie"), "--log-level", "warning", "--image-allow-unsigned"],
                                  stdout=mlog, stderr=subprocess.STDOUT, env=env)
        if not wait_http(f"{mbase}/-/health", magpie):
            log("error: magpie did not start:\n" + open(os.path.join(work, "magpie.log")).read())
            return 1
        os.environ.update(MAGPIE_ROOT_ACCESS_KEY=ACCESS_KEY, MAGPIE_ROOT_SECRET_KEY=SECRET_KEY)
        import presign  # bench/presign.py: boto3 against the local Magpie
        s3 = presign.client(mbase)
        s3.create_bucket(Bucket="bench")
        with open(photo, "rb") as f:
            s3.put_object(Bucket="bench", Key="photo.jpg", Body=f.read(), ContentType="image/jpeg")

        # thumbor: the photo from a local directory, nothing stored, so every request loads and processes.
        src = os.path.join(work, "thumbor-src")
        os.makedirs(src)
        shutil.copy(photo, os.path.join(src, "photo.jpg"))
        conf = os.path.join(work, "thumbor.conf")
        with open(conf, "w") as f:
            f.write(f"""LOADER = 'thumbor.loaders.file_loader'
FILE_LOADER_ROOT_PATH = {src!r}
STORAGE = 'thumbor.storages.no_storage'
RESULT_STORAGE = None
ENGINE = 'thumbor.engines.pil'
ALLOW_UNSAFE_URL = True
DETECTORS = ['thumbor.detectors.face_detector', 'thumbor.detectors.feature_detector']
""")
        tport = free_port()
        tbase = f"http://127.0.0.1:{tport}"
        tlog = open(os.path.join(work, "thumbor.log"), "w")
        thumbor = subprocess.Popen([os.path.join(VENV, "bin", "thumbor"), "--ip", "127.0.0.1", "--port", str(tport),
                                    "--conf", conf, "--processes", str(cores), "--log-level", "warning"],
                                   stdout=tlog, stderr=subprocess.STDOUT)
        if not wait_http(f"{tbase}/healthcheck", thumbor):
            log("error: thumbor did not start:\n" + open(os.path.join(work, "thumbor.log")).read())
            return 1
        deadline = time.monotonic() + 30
        while len(children(thumbor.pid)) < cores and time.monotonic() < deadline:
            time.sleep(0.1)
        thumbor_pids = [thumbor.pid] + children(thumbor.pid)
        log(f"magpie pid {magpie.pid} on {mbase}, thumbor pids {thumbor_pids} on {tbase}, temp dir {work}")

        versions = subprocess.run([os.path.join(VENV, "bin", "python"), "-c",
                                   "import importlib.metadata as m; print(', '.join(p + ' ' + m.version(p) for p in "
                                   "('thumbor', 'pillow', 'opencv-python-headless', 'tornado')))"],
                                  capture_output=True, text=True).stdout.strip()
        results["img_seconds"] = seconds
        results["img_concurrency"] = " ".join(map(str, concurrencies))
        results["note.images setup"] = (
            f"{os.path.basename(photo)} (4000×3000, {os.path.getsize(photo)} bytes); wrk -t2 -cC -d{seconds}s (longer, "
            f"up to {4 * seconds} s, when the warm-up says a server would answer fewer than ~10 requests in that time; "
            "see the .seconds results), "
            "every uncached URL unique (magpie cb:<n>, thumbor ?cb=<n>); uncached req/s = responses ÷ time from the "
            "first request to the last response (wrk's own Requests/sec is in the .wrk_rps results); "
            "the server is left to go idle between runs")
        results["note.images magpie"] = (f"{magpie_bin}; serve --image-allow-unsigned, defaults otherwise "
                                         f"(image threads = {cores} cores, result cache on disk)")
        results["note.images thumbor"] = (
            f"{versions}; --processes {cores}, ENGINE pil, LOADER file_loader, STORAGE no_storage, RESULT_STORAGE None, "
            "DETECTORS face + feature (OpenCV), other settings default (QUALITY 80, progressive JPEG)")
        results["note.images ceiling"] = (
            "magpie image bench (same decode/transform/encode, no HTTP, no cache) on min(concurrency, "
            f"{cores} cores) threads: the server's image pool is sized to the cores, so the concurrency-8 rows "
            f"compare against the {min(8, cores)}-thread ceiling too")

        run = 0
        for name, label, options, fmt, tpath, _ in ops:
            key = f"img.{name}"
            ceilings = {}  # threads -> magpie image bench's JSON, for this operation
            mtemplate = f"/i/insecure/{options}/cb:{{cb}}/plain/s3://bench/photo.jpg@{fmt}"
            ttemplate = f"/unsafe/{tpath}/photo.jpg?cb={{cb}}"
            tag = secrets.token_hex(3)
            # Two requests per core to each server, concurrently: checks the answers, warms thumbor's processes
            # and gives the rate that run_seconds() sizes the slow runs by.
            warm = [f"{tag}w{i}" for i in range(2 * cores)]
            merr, manswers, mrate = check([mbase + mtemplate.replace("{cb}", w) for w in warm], CONTENT_TYPES[fmt])
            terr, tanswers, trate = check([tbase + ttemplate.replace("{cb}", w) for w in warm], CONTENT_TYPES[fmt])
            wait_idle([magpie.pid] + thumbor_pids)
            if merr:
                results[f"{key}.magpie.error"] = merr
                log(f"{name}: magpie error: {merr}")
            else:
                hits = [h.get("X-Magpie-Cache") for _, h, _ in manswers if h.get("X-Magpie-Cache") == "HIT"]
                if hits:
                    results[f"{key}.magpie.error"] = f"a URL with a new cache-buster was a cache HIT: {mtemplate}"
                results[f"{key}.magpie.bytes"] = len(manswers[0][2])
            if terr:
                results[f"{key}.thumbor.error"] = terr
                log(f"{name}: thumbor error: {terr}")
            else:
                results[f"{key}.thumbor.bytes"] = len(tanswers[0][2])

            for c in concurrencies:
                threads = min(c, cores)
                if threads not in ceilings:
                    out = subprocess.run([magpie_bin, "image", "bench", "--file", photo, "--options", options, "--format",
                                          fmt, "--concurrency", str(threads), "--seconds", str(seconds)],
                                         capture_output=True, text=True, timeout=seconds + 300)
                    try:
                        ceilings[threads] = json.loads(out.stdout)
                    except ValueError:
                        ceilings[threads] = {"error": f"magpie image bench exited {out.returncode}: "
                                                      f"{(out.stdout + out.stderr).strip()[-300:]}"}
                    wait_idle([magpie.pid])
                ceiling = ceilings[threads]
                ck = f"{key}.c{c}"
                results[f"{ck}.ceiling.threads"] = threads
                if "error" in ceiling or ceiling.get("failures"):
                    results[f"{ck}.ceiling.error"] = ceiling.get("error") or f"{ceiling['failures']} failures: {ceiling}"
                if "rps" in ceiling:
                    results[f"{ck}.ceiling"] = f"{ceiling['rps']:.2f}"
                    results[f"{ck}.ceiling.p50"] = f"{ceiling['p50_ms']:.1f}"
                    results[f"{ck}.ceiling.p99"] = f"{ceiling['p99_ms']:.1f}"

                for server, base, template, pids, err, rate in (
                        ("magpie", mbase, mtemplate, [magpie.pid], merr, mrate),
                        ("thumbor", tbase, ttemplate, thumbor_pids, terr, trate)):
                    if err:
                        continue
                    run += 1
                    duration = run_seconds(seconds, c, rate)
                    before = cpu_ticks(pids)
                    r = wrk(base, c, duration, template=template, nonce=f"{tag}r{run}")
                    used = (cpu_ticks(pids) - before) / CLK_TCK
                    wait_idle(pids)
                    sk = f"{ck}.{server}"
                    results[f"{sk}.seconds"] = duration
                    if r["rps"] is not None:
                        results[sk] = f"{r['rps']:.2f}"
                        results[f"{sk}.p50"] = fmt_ms(r["p50"])
                        results[f"{sk}.p99"] = fmt_ms(r["p99"])
                        results[f"{sk}.requests"] = r["requests"]
                        results[f"{sk}.wrk_rps"] = f"{r.get('wrk_rps', r['rps']):.2f}"
                        if r["requests"]:
                            results[f"{sk}.cpu_ms"] = f"{used / r['requests'] * 1e3:.1f}"
                    if r["errors"] or r["rps"] is None:
                        why = f"{r['errors']} error responses/socket errors; first: {r['first_error']}; " \
                              f"URL template {base}{template}"
                        results[f"{sk}.error"] = why
                        log(f"{name} c={c} {server}: {why}")
                    log(f"{name} c={c} {server}: {r['rps'] or 0:.2f} req/s, p50 {fmt_ms(r['p50'])} ms, "
                        f"p99 {fmt_ms(r['p99'])} ms, {r['requests']} responses in {duration} s, CPU {used:.2f} s" +
                        (f" (ceiling {ceiling.get('rps', 0):.2f} req/s on {threads} threads)" if server == "magpie" else ""))

        # Cached hits: one fixed URL, the first request computes it, the second must be a HIT.
        url = f"{mbase}/i/insecure/rs:fit:300:200/plain/s3://bench/photo.jpg@jpg"
        results["note.images cached"] = f"GET {url} (warmed first), wrk without a script; CPU = magpie utime + stime / requests"
        fetch(url)
        status, headers, body = fetch(url)
        if status != 200 or headers.get("X-Magpie-Cache") != "HIT":
            results["img.cached.error"] = f"second GET {url} -> {status} X-Magpie-Cache {headers.get('X-Magpie-Cache')} " \
                                          f"{body[:200].decode('utf-8', 'replace')}"
        for c in concurrencies:
            before = cpu_ticks([magpie.pid])
            r = wrk(mbase, c, seconds, url=url)
            used = (cpu_ticks([magpie.pid]) - before) / CLK_TCK
            wait_idle([magpie.pid])
            ck = f"img.cached.c{c}.magpie"
            if r["rps"] is not None:
                results[ck] = f"{r['rps']:.1f}"
                results[f"{ck}.p50"] = f"{r['p50']:.2f}" if r["p50"] is not None else "n/a"
                results[f"{ck}.p99"] = f"{r['p99']:.2f}" if r["p99"] is not None else "n/a"
                results[f"{ck}.requests"] = r["requests"]
                if r["requests"]:
                    results[f"{ck}.cpu_us"] = f"{used / r['requests'] * 1e6:.0f}"
            if r["errors"] or r["rps"] is None:
                results[f"{ck}.error"] = f"{r['errors']} error responses/socket errors on GET {url}"
            log(f"cached c={c}: {r['rps'] or 0:.1f} req/s, p50 {fmt_ms(r['p50'])} ms, p99 {fmt_ms(r['p99'])} ms, "
                f"{r['requests']} requests, "
                f"magpie CPU {used:.2f} s")

        for server in ("magpie", "thumbor"):
            with open(os.path.join(work, f"{server}.log")) as f:
                lines = [line.strip() for line in f if line.strip()]
            if lines:
                results[f"note.images {server} log"] = f"{len(lines)} lines at warning or above; first: {lines[0][:300]}"
        if alone:  # run.sh records note.machine itself
            model = next((line.split(":", 1)[1].strip() for line in open("/proc/cpuinfo") if line.startswith("model name")), "?")
            mem = next(int(line.split()[1]) for line in open("/proc/meminfo") if line.startswith("MemTotal"))
            results["note.machine"] = f"{cores} cores, {model}, {mem // 2**20} GiB, Linux {os.uname().release}"
    finally:
        if thumbor is not None:
            stop(list(dict.fromkeys(thumbor_pids + [thumbor.pid] + children(thumbor.pid))), thumbor)
        if magpie is not None:
            stop([magpie.pid], magpie)
        if alone and os.path.exists(results_path):
            out = os.path.join(ROOT, "bench", "out")
            shutil.copy(results_path, os.path.join(out, "images.env"))
            print()
            subprocess.run([sys.executable, os.path.join(ROOT, "bench", "table.py"), results_path,
                            os.path.join(out, "images.md")])
            log(f"table written to {os.path.relpath(os.path.join(out, 'images.md'), ROOT)}")
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))  # so the servers are stopped (finally)
    try:
        sys.exit(main())
    except KeyboardInterrupt:
        sys.exit(130)
