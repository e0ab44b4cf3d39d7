"""Support for the media-job black-box tests: generated media (FFmpeg lavfi), a SigV4 JSON
client for /-/api/v1 signed with botocore's own signer, job polling, and ffprobe helpers."""

from __future__ import annotations

import json
import os
import subprocess
import time
import urllib.parse
from pathlib import Path

import requests
from botocore.auth import SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials

JOB_TIMEOUT = 300  # seconds: a bound on waiting for one job, not a performance threshold
TERMINAL = {"succeeded", "failed", "canceled"}


def ffmpeg(*args: str, cwd: Path | None = None):
    subprocess.run(["ffmpeg", "-hide_banner", "-loglevel", "error", "-nostdin", "-y", *args],
                   check=True, cwd=cwd, timeout=300)


def ffprobe_json(path: Path | str, *extra: str) -> dict:
    out = subprocess.run(["ffprobe", "-v", "error", "-print_format", "json", "-show_streams",
                          "-show_format", *extra, str(path)],
                         check=True, capture_output=True, timeout=120).stdout
    return json.loads(out)


class Media:
    """Small clips generated once per test session (per xdist worker)."""

    def __init__(self, root: Path):
        self.root = root
        root.mkdir(parents=True, exist_ok=True)

    def _make(self, name: str, build) -> Path:
        path = self.root / name
        if not path.exists():
            tmp = self.root / ("tmp-" + name)
            build(tmp)
            tmp.rename(path)
        return path

    @property
    def hd1080(self) -> Path:
        """1920x1080 at 29.97 fps with stereo audio, 3 s."""
        return self._make("hd1080.mp4", lambda p: ffmpeg(
            "-f", "lavfi", "-i", "testsrc2=size=1920x1080:rate=30000/1001",
            "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=48000",
            "-t", "3", "-c:v", "libx264", "-preset", "ultrafast", "-g", "30", "-pix_fmt", "yuv420p",
            "-c:a", "aac", "-ac", "2", "-shortest", "-f", "mp4", str(p)))

    @property
    def portrait(self) -> Path:
        """Stored 640x360 with a 90° display matrix: displayed as 360x640. 2 s with audio.
        (FFmpeg 5.1 writes the `rotate` tag as a display matrix only when stream-copying.)"""
        def build(p: Path):
            plain = self.root / "portrait-plain.mp4"
            ffmpeg("-f", "lavfi", "-i", "testsrc2=size=640x360:rate=25",
                   "-f", "lavfi", "-i", "sine=frequency=660:sample_rate=44100",
                   "-t", "2", "-c:v", "libx264", "-preset", "ultrafast", "-g", "25", "-pix_fmt", "yuv420p",
                   "-c:a", "aac", "-shortest", "-f", "mp4", str(plain))
            ffmpeg("-i", str(plain), "-c", "copy", "-metadata:s:v:0", "rotate=90", "-f", "mp4", str(p))
        return self._make("portrait.mp4", build)

    @property
    def no_audio(self) -> Path:
        return self._make("noaudio.mp4", lambda p: ffmpeg(
            "-f", "lavfi", "-i", "testsrc2=size=640x360:rate=25", "-t", "2",
            "-c:v", "libx264", "-preset", "ultrafast", "-g", "25", "-pix_fmt", "yuv420p", "-f", "mp4", str(p)))

    @property
    def small240(self) -> Path:
        return self._make("small240.mp4", lambda p: ffmpeg(
            "-f", "lavfi", "-i", "testsrc2=size=426x240:rate=25",
            "-f", "lavfi", "-i", "sine=frequency=500:sample_rate=44100",
            "-t", "2", "-c:v", "libx264", "-preset", "ultrafast", "-g", "25", "-pix_fmt", "yuv420p",
            "-c:a", "aac", "-shortest", "-f", "mp4", str(p)))

    @property
    def audio_only(self) -> Path:
        """3 s of a quiet stereo tone with a louder second half (for loudness normalisation)."""
        return self._make("tone.wav", lambda p: ffmpeg(
            "-f", "lavfi", "-i", "sine=frequency=330:sample_rate=44100:duration=3",
            "-af", "volume='if(lt(t,1.5),0.05,0.3)':eval=frame", "-ac", "2", "-f", "wav", str(p)))

    @property
    def long_clip(self) -> Path:
        """60 s of small video: long enough to cancel or kill mid-encode."""
        return self._make("long.mp4", lambda p: ffmpeg(
            "-f", "lavfi", "-i", "testsrc2=size=640x360:rate=25",
            "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=44100",
            "-t", "60", "-c:v", "libx264", "-preset", "ultrafast", "-g", "50", "-pix_fmt", "yuv420p",
            "-c:a", "aac", "-shortest", "-f", "mp4", str(p)))

    @property
    def medium_clip(self) -> Path:
        """20 s of small video (under a 30 s duration limit)."""
        return self._make("medium.mp4", lambda p: ffmpeg(
            "-f", "lavfi", "-i", "testsrc2=size=640x360:rate=25", "-t", "20",
            "-c:v", "libx264", "-preset", "ultrafast", "-g", "50", "-pix_fmt", "yuv420p", "-f", "mp4", str(p)))

    @property
    def corrupt(self) -> Path:
        return self._make("corrupt.mp4", lambda p: p.write_bytes(os.urandom(65536)))

    @property
    def text(self) -> Path:
        return self._make("notes.mp4", lambda p: p.write_text("these are notes, not a video\n" * 50))

    @property
    def evil_playlist(self) -> Path:
        """An HLS playlist, named .mp4, that points at a local file."""
        return self._make("evil.mp4", lambda p: p.write_text(
            "#EXTM3U\n#EXT-X-TARGETDURATION:10\n#EXTINF:10,\nfile:///etc/passwd\n#EXT-X-ENDLIST\n"))


class JobsAPI:
    """SigV4-signed JSON calls to /-/api/v1 (botocore's signer, as any AWS SDK would)."""

    def __init__(self, endpoint: str, access_key: str, secret_key: str):
        self.endpoint = endpoint
        self.credentials = Credentials(access_key, secret_key)

    def call(self, method: str, path: str, body=None, query: dict | None = None, raw: bytes | None = None,
             signed: bool = True, stream: bool = False, timeout: float = 60) -> requests.Response:
        url = self.endpoint + path
        if query:
            url += "?" + urllib.parse.urlencode(query)
        data = raw if raw is not None else (json.dumps(body).encode() if body is not None else b"")
        headers = {"Content-Type": "application/json"} if data else {}
        if signed:
            request = AWSRequest(method=method, url=url, data=data, headers=headers)
            SigV4Auth(self.credentials, "s3", "us-east-1").add_auth(request)
            headers = dict(request.headers.items())
        return requests.request(method, url, data=data or None, headers=headers, stream=stream, timeout=timeout)

    def submit(self, source: str, destination: str, outputs: list, webhook: str | None = None) -> dict:
        body = {"source": source, "destination": destination, "outputs": outputs}
        if webhook:
            body["webhook"] = webhook
        r = self.call("POST", "/-/api/v1/jobs", body)
        assert r.status_code == 202, r.text
        return r.json()

    def get(self, job_id: str) -> dict:
        r = self.call("GET", f"/-/api/v1/jobs/{job_id}")
        assert r.status_code == 200, r.text
        return r.json()

    def wait(self, job_id: str, timeout: float = JOB_TIMEOUT, until=TERMINAL) -> dict:
        deadline = time.monotonic() + timeout
        while True:
            job = self.get(job_id)
            if job["status"] in until:
                return job
            assert time.monotonic() < deadline, f"job {job_id} still {job['status']} after {timeout}s: {job}"
            time.sleep(0.2)  # bounded polling for a state change

    def run(self, source: str, destination: str, outputs: list, **kw) -> dict:
        job = self.wait(self.submit(source, destination, outputs, **kw)["id"])
        return job


def output(job: dict, name: str) -> dict:
    for entry in job["result"]["outputs"]:
        if entry["name"] == name:
            return entry
    raise AssertionError(f"no output {name} in {job['result']['outputs']}")


def ffmpeg_processes_under(directory: Path) -> list[int]:
    """Pids of ffmpeg/ffprobe processes whose working directory is under `directory`."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            cmd = (entry / "cmdline").read_bytes().split(b"\0")[0]
            if not cmd.endswith((b"ffmpeg", b"ffprobe")):
                continue
            if str(Path(os.readlink(entry / "cwd"))).startswith(str(directory)):
                found.append(int(entry.name))
        except (OSError, IndexError):
            continue
    return found


# --- fixtures shared by the test_jobs_* modules (imported there) -----------------------------------

import pytest  # noqa: E402


@pytest.fixture(scope="session")
def media(tmp_path_factory) -> Media:
    return Media(tmp_path_factory.mktemp("jobs-media"))


@pytest.fixture(scope="session")
def jobs_api(server) -> JobsAPI:
    return JobsAPI(server.endpoint, server.access_key, server.secret_key)


def upload(s3, bucket: str, key: str, path: Path, content_type: str = "video/mp4") -> str:
    s3.put_object(Bucket=bucket, Key=key, Body=path.read_bytes(), ContentType=content_type)
    return f"s3://{bucket}/{key}"


def fetch(s3, bucket: str, key: str) -> bytes:
    return s3.get_object(Bucket=bucket, Key=key)["Body"].read()
