#!/usr/bin/env python3
"""The jobs phase of `make bench`: Magpie's 4-rung HLS job on a 20 s 1080p30 mezzanine against
(a) the seeds' approach — four separate FFmpeg runs, one per rendition, each decoding the source —
and (b) the single FFmpeg command Magpie ran, run by hand. CPU seconds, wall time, peak RSS, and
the job start latency (queue → running).

  jobs.py ENDPOINT SERVER_PID SERVER_LOG WORKDIR RESULTS_ENV

Magpie's figures: CPU = the server's own plus its reaped children's CPU (/proc/PID/stat fields
14–17) across the job; wall = the job's startedAt → finishedAt (source copy, probe, encode,
measuring, storing); peak RSS = the largest ffmpeg child sampled every 20 ms. By hand: /usr/bin/time.
"""
import json
import os
import statistics
import subprocess
import sys
import time
import urllib.request
from datetime import datetime

from botocore.auth import SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials

ENDPOINT, SERVER_PID, SERVER_LOG, WORK, RESULTS = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4], sys.argv[5]
CREDS = Credentials(os.environ["MAGPIE_ROOT_ACCESS_KEY"], os.environ["MAGPIE_ROOT_SECRET_KEY"])
TICK = os.sysconf("SC_CLK_TCK")
RUNS = int(os.environ.get("BENCH_JOB_RUNS", "2"))


def record(key, value):
    with open(RESULTS, "a") as f:
        f.write(f"{key}={value}\n")


def call(method, path, body=None):
    data = json.dumps(body).encode() if body is not None else b""
    request = AWSRequest(method=method, url=ENDPOINT + path, data=data, headers={"Content-Type": "application/json"} if data else {})
    SigV4Auth(CREDS, "s3", "us-east-1").add_auth(request)
    req = urllib.request.Request(ENDPOINT + path, data=data or None, method=method, headers=dict(request.headers.items()))
    with urllib.request.urlopen(req, timeout=60) as r:
        return json.loads(r.read())


def cpu_seconds(pid):
    fields = open(f"/proc/{pid}/stat").read().rsplit(")", 1)[1].split()
    return sum(int(x) for x in fields[11:15]) / TICK  # utime stime cutime cstime


def children(pid):
    out = []
    for task in os.listdir(f"/proc/{pid}/task"):
        try:
            out += [int(c) for c in open(f"/proc/{pid}/task/{task}/children").read().split()]
        except OSError:
            pass
    return out


def rss_kib(pid):
    try:
        for line in open(f"/proc/{pid}/status"):
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


def millis(iso):
    return datetime.strptime(iso, "%Y-%m-%dT%H:%M:%S.%fZ").timestamp() * 1000


def run_job(spec):
    before = cpu_seconds(SERVER_PID)
    job = call("POST", "/-/api/v1/jobs", spec)
    peak = 0
    while True:
        for child in children(SERVER_PID):
            peak = max(peak, rss_kib(child))
        state = call("GET", f"/-/api/v1/jobs/{job['id']}")
        if state["status"] in ("succeeded", "failed", "canceled"):
            break
        time.sleep(0.02)
    assert state["status"] == "succeeded", state
    cpu = cpu_seconds(SERVER_PID) - before
    return state, cpu, peak / 1024


def timed(argv, cwd):
    """/usr/bin/time of one command: (wall s, cpu s, peak RSS MiB)."""
    out = subprocess.run(["/usr/bin/time", "-f", "%e %U %S %M", *argv], cwd=cwd, capture_output=True, text=True)
    assert out.returncode == 0, out.stderr[-2000:]
    wall, user, system, kib = out.stderr.strip().splitlines()[-1].split()
    return float(wall), float(user) + float(system), int(kib) / 1024


def main():
    spec = {"source": "s3://bench-jobs/mezzanine.mp4", "destination": "s3://bench-jobs/out/", "outputs": [{"type": "hls"}]}
    # Job start latency: light jobs (a probe) on an idle worker, queue → running.
    latencies = []
    for _ in range(10):
        job = call("POST", "/-/api/v1/jobs", {"source": spec["source"], "destination": "s3://bench-jobs/probe/", "outputs": [{"type": "probe"}]})
        while (state := call("GET", f"/-/api/v1/jobs/{job['id']}"))["status"] not in ("succeeded", "failed"):
            time.sleep(0.01)
        latencies.append(millis(state["startedAt"]) - millis(state["createdAt"]))
    record("job_latency.magpie", f"{statistics.median(latencies):.0f}")
    record("note.job start latency ms (10 probe jobs; all)", " ".join(f"{x:.0f}" for x in latencies))

    magpie = []
    for _ in range(RUNS):
        state, cpu, rss = run_job(spec)
        wall = (millis(state["finishedAt"]) - millis(state["startedAt"])) / 1000
        magpie.append((wall, cpu, rss))
        record("note.magpie hls job latency ms", f"{millis(state['startedAt']) - millis(state['createdAt']):.0f}")
    rungs = [r["name"] for r in state["result"]["outputs"][0]["metadata"]["rungs"]]
    assert rungs == ["1080p", "720p", "480p", "360p"], rungs

    # The command Magpie ran, from its debug log (the last HLS run).
    command = None
    for line in open(SERVER_LOG):
        if '"running ffmpeg"' in line and "-var_stream_map" in line:
            command = json.loads(json.loads(line)["arguments"])
    assert command, "no ffmpeg command in the server log (run with --log-level debug)"
    source = os.path.join(WORK, "mezzanine.mp4")

    by_hand, seeds = [], []
    for run in range(RUNS):
        hand_dir = os.path.join(WORK, f"hand-{run}", "out", "hls")
        os.makedirs(hand_dir)
        os.symlink(source, os.path.join(WORK, f"hand-{run}", "source"))
        by_hand.append(timed(["ffmpeg"] + command[1:], hand_dir))

        # (a) The seeds' approach: one FFmpeg per rendition, each decoding the whole source, each
        # with its own audio, same encoder settings and segmenting as Magpie's rungs.
        total_wall = total_cpu = peak = 0.0
        for height, width, kbps in [(1080, 1920, 5000), (720, 1280, 2800), (480, 854, 1400), (360, 640, 800)]:
            out = os.path.join(WORK, f"seeds-{run}", f"{height}p")
            os.makedirs(out)
            argv = ["ffmpeg", "-hide_banner", "-nostdin", "-loglevel", "error", "-y", "-i", source,
                    "-vf", f"scale={width}:{height}", "-c:v", "libx264", "-preset", "veryfast", "-pix_fmt", "yuv420p",
                    "-profile:v", "high", "-b:v", f"{kbps}k", "-maxrate", f"{kbps * 11 // 10}k", "-bufsize", f"{kbps * 3 // 2}k",
                    "-g", "120", "-keyint_min", "120", "-sc_threshold", "0", "-force_key_frames", "expr:gte(t,n_forced*4)",
                    "-c:a", "aac", "-b:a", "128k", "-ac", "2",
                    "-f", "hls", "-hls_time", "4", "-hls_playlist_type", "vod", "-hls_segment_type", "fmp4",
                    "-hls_segment_filename", "seg_%05d.m4s", "index.m3u8"]
            wall, cpu, rss = timed(argv, out)
            total_wall += wall
            total_cpu += cpu
            peak = max(peak, rss)
        seeds.append((total_wall, total_cpu, peak))

    def best(rows, i):
        return min(r[i] for r in rows)

    for name, rows in (("magpie", magpie), ("hand", by_hand), ("seeds", seeds)):
        record(f"job_wall.{name}", f"{best(rows, 0):.2f}")
        record(f"job_cpu.{name}", f"{best(rows, 1):.2f}")
        record(f"job_rss.{name}", f"{max(r[2] for r in rows):.0f}")
        record(f"note.hls {name} runs (wall s, cpu s, rss MiB)", "; ".join(f"{w:.2f}, {c:.2f}, {r:.0f}" for w, c, r in rows))
    record("note.hls command", " ".join(command[:8]) + f" … ({len(command)} arguments, one process)")


if __name__ == "__main__":
    main()
