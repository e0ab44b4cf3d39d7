"""Bad inputs fail jobs with clear errors while the server keeps serving; cancellation stops
FFmpeg; a kill -9 of the server mid-job is recovered on restart; webhooks are signed, retried and
kept off private addresses unless allowed."""

from __future__ import annotations

import hashlib
import hmac
import http.server
import json
import threading
import time

import pytest

from conftest import start_server
from jobs_support import JobsAPI, ffmpeg_processes_under, jobs_api, media, upload  # noqa: F401 (fixtures)


@pytest.mark.parametrize("name, code", [
    ("corrupt", "InvalidMedia"),
    ("text", "InvalidMedia"),
    ("evil_playlist", "InvalidMedia"),
])
def test_bad_sources_fail_clearly_and_the_server_keeps_serving(server, s3, bucket, jobs_api, media, name, code):
    source = upload(s3, bucket, f"bad/{name}.mp4", getattr(media, name))
    job = jobs_api.run(source, f"s3://{bucket}/out/", [{"type": "hls"}, {"type": "thumbnail"}])
    assert job["status"] == "failed", job
    assert job["error"]["code"] == code
    message = job["error"]["message"]
    assert "not a media file" in message
    assert "/" not in message.replace("s3://", ""), "no paths in client-visible errors"
    assert job["attempts"] == 1, "invalid input is not retried"
    assert not s3.list_objects_v2(Bucket=bucket, Prefix="out/").get("KeyCount"), "nothing half-written"
    assert server.health_ok()


def test_the_playlist_never_reads_local_files(server, s3, bucket, jobs_api, media):
    source = upload(s3, bucket, "bad/evil.mp4", media.evil_playlist)
    job = jobs_api.run(source, f"s3://{bucket}/out/", [{"type": "audio", "format": "mp3"}, {"type": "probe"}])
    assert job["status"] == "failed" and job["error"]["code"] == "InvalidMedia"
    assert "root:" not in json.dumps(job)


def test_outputs_the_source_cannot_make_are_refused(server, s3, bucket, jobs_api, media):
    audio = upload(s3, bucket, "tone.wav", media.audio_only, content_type="audio/wav")
    job = jobs_api.run(audio, f"s3://{bucket}/a/", [{"type": "hls"}])
    assert job["status"] == "failed" and job["error"]["code"] == "MissingStream"
    assert "video stream" in job["error"]["message"]
    silent = upload(s3, bucket, "silent.mp4", media.no_audio)
    job = jobs_api.run(silent, f"s3://{bucket}/s/", [{"type": "waveform"}])
    assert job["status"] == "failed" and job["error"]["code"] == "MissingStream"
    assert server.health_ok()


def wait_for(predicate, timeout=120, what="condition"):
    deadline = time.monotonic() + timeout
    while not predicate():
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(0.1)  # bounded polling


def test_cancel_stops_ffmpeg(server, s3, bucket, jobs_api, media):
    source = upload(s3, bucket, "long.mp4", media.long_clip)
    job = jobs_api.submit(source, f"s3://{bucket}/c/", [{"type": "hls", "rungs": [360, 240]}])
    wait_for(lambda: ffmpeg_processes_under(server.data_dir), what="ffmpeg to start")
    assert jobs_api.get(job["id"])["status"] == "running"
    r = jobs_api.call("POST", f"/-/api/v1/jobs/{job['id']}/cancel")
    assert r.status_code == 200
    done = jobs_api.wait(job["id"])
    assert done["status"] == "canceled" and done["error"]["code"] == "Canceled"
    assert ffmpeg_processes_under(server.data_dir) == [], "no FFmpeg left behind"
    assert not list((server.data_dir / "job-work").iterdir()), "the work directory is removed"
    assert server.health_ok()


def test_kill_9_mid_job_then_restart_completes_it(tmp_path, media):
    data = tmp_path / "data"
    first = start_server(data, tmp_path / "logs")
    try:
        api = JobsAPI(first.endpoint, first.access_key, first.secret_key)
        s3 = first.client()
        s3.create_bucket(Bucket="crash")
        source = upload(s3, "crash", "long.mp4", media.long_clip)
        job = api.submit(source, "s3://crash/out/", [{"type": "hls", "rungs": [240], "segmentSeconds": 2}])
        wait_for(lambda: api.get(job["id"])["progress"] > 0, what="the job to make progress")
    finally:
        first.kill9()
    # The parent-death signal takes FFmpeg down with the server.
    wait_for(lambda: not ffmpeg_processes_under(data), timeout=30, what="ffmpeg to die with the server")
    second = start_server(data, tmp_path / "logs2")
    try:
        api = JobsAPI(second.endpoint, second.access_key, second.secret_key)
        done = api.wait(job["id"])
        assert done["status"] == "succeeded", done
        assert done["attempts"] == 2
        keys = [o["Key"] for o in second.client().list_objects_v2(Bucket="crash", Prefix="out/hls/")["Contents"]]
        assert "out/hls/master.m3u8" in keys
        assert len(keys) == len(set(keys))
    finally:
        second.stop()


def test_limits_and_the_time_limit(tmp_path, media):
    """A source over the duration limit is refused after probing; a job past its wall-clock limit
    fails with Timeout and its FFmpeg is stopped."""
    srv = start_server(tmp_path / "data", tmp_path / "logs", extra_env={
        "MAGPIE_JOB_MAX_DURATION": "30", "MAGPIE_JOB_TIMEOUT_BASE": "2", "MAGPIE_JOB_TIMEOUT_FACTOR": "0"})
    try:
        api = JobsAPI(srv.endpoint, srv.access_key, srv.secret_key)
        s3 = srv.client()
        s3.create_bucket(Bucket="limits")
        long = api.run(upload(s3, "limits", "long.mp4", media.long_clip), "s3://limits/a/", [{"type": "probe"}])
        assert long["status"] == "failed" and long["error"]["code"] == "SourceTooLarge"
        assert "limit is 30 s" in long["error"]["message"]
        # Two rungs of 20 s at x264's slowest preset take far longer than the 2 s allowed.
        slow = api.run(upload(s3, "limits", "medium.mp4", media.medium_clip), "s3://limits/b/",
                       [{"type": "hls", "rungs": [360, 240], "preset": "veryslow"}])
        assert slow["status"] == "failed" and slow["error"]["code"] == "Timeout", slow
        assert ffmpeg_processes_under(srv.data_dir) == []
        assert srv.health_ok()
    finally:
        srv.stop()


class Receiver:
    """A local webhook receiver: answers 500 to the first `failures` calls, then 200."""

    def __init__(self, failures: int = 0, host: str = "127.0.0.1"):
        self.calls = []
        self.failures = failures
        outer = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers["Content-Length"]))
                outer.calls.append((dict(self.headers), body))
                status = 500 if len(outer.calls) <= outer.failures else 200
                self.send_response(status)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args):
                pass

        self.httpd = http.server.HTTPServer(("127.0.0.1", 0), Handler)
        # `host` may be a name (localhost): the server then connects to the address it checked.
        self.url = f"http://{host}:{self.httpd.server_port}/hooks/magpie"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    def close(self):
        self.httpd.shutdown()
        self.httpd.server_close()


@pytest.fixture(scope="module")
def private_webhook_server(tmp_path_factory):
    base = tmp_path_factory.mktemp("webhooks")
    srv = start_server(base / "data", base / "logs", extra_env={"MAGPIE_WEBHOOK_ALLOW_PRIVATE": "1", "MAGPIE_JOB_RETRY_DELAY": "1"})
    yield srv
    srv.stop()


def verify(signature_header: str, body: bytes, secret: str) -> bool:
    parts = dict(part.split("=", 1) for part in signature_header.split(","))
    expected = hmac.new(secret.encode(), parts["t"].encode() + b"." + body, hashlib.sha256).hexdigest()
    return hmac.compare_digest(expected, parts["v1"]) and abs(time.time() - int(parts["t"])) < 300


def test_webhook_is_signed_and_retried(private_webhook_server, media):
    srv = private_webhook_server
    api = JobsAPI(srv.endpoint, srv.access_key, srv.secret_key)
    s3 = srv.client()
    s3.create_bucket(Bucket="hooks")
    receiver = Receiver(failures=1, host="localhost")
    try:
        source = upload(s3, "hooks", "clip.mp4", media.small240)
        job = api.submit(source, "s3://hooks/out/", [{"type": "probe"}], webhook=receiver.url)
        secret = job["webhookSecret"]
        assert secret.startswith("whsec_")
        assert api.wait(job["id"])["status"] == "succeeded"
        wait_for(lambda: len(receiver.calls) >= 2, what="the webhook retry")
        headers, body = receiver.calls[-1]
        assert verify(headers["Magpie-Signature"], body, secret)
        assert not verify(headers["Magpie-Signature"], body + b" ", secret)
        payload = json.loads(body)
        assert payload["type"] == "job.succeeded" and payload["job"]["id"] == job["id"]
        assert headers["Content-Type"] == "application/json"
        deliveries = api.get(job["id"])["webhookDeliveries"]
        wait_for(lambda: api.get(job["id"])["webhookDeliveries"][0]["status"] == "delivered", what="delivered state")
        assert api.get(job["id"])["webhookDeliveries"][0]["attempts"] == 2, deliveries
        # A failed job is announced too.
        bad = upload(s3, "hooks", "bad.mp4", media.text)
        failed = api.submit(bad, "s3://hooks/bad/", [{"type": "probe"}], webhook=receiver.url)
        assert failed["webhookSecret"] == secret, "one secret per destination"
        api.wait(failed["id"])
        wait_for(lambda: any(json.loads(b)["job"]["id"] == failed["id"] for _, b in receiver.calls), what="the failure webhook")
        event = next(json.loads(b) for _, b in receiver.calls if json.loads(b)["job"]["id"] == failed["id"])
        assert event["type"] == "job.failed" and event["job"]["error"]["code"] == "InvalidMedia"
    finally:
        receiver.close()


def test_webhooks_to_private_addresses_are_refused_by_default(server, s3, bucket, jobs_api, media):
    receiver = Receiver()
    try:
        source = upload(s3, bucket, "clip.mp4", media.small240)
        job = jobs_api.submit(source, f"s3://{bucket}/o/", [{"type": "probe"}], webhook=receiver.url)
        assert jobs_api.wait(job["id"])["status"] == "succeeded"
        wait_for(lambda: (jobs_api.get(job["id"]).get("webhookDeliveries") or [{}])[0].get("status") == "failed", what="the refusal")
        delivery = jobs_api.get(job["id"])["webhookDeliveries"][0]
        assert "private" in delivery["lastError"] and delivery["attempts"] == 1
        assert receiver.calls == []
    finally:
        receiver.close()
