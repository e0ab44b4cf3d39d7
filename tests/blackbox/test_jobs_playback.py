"""Prefix-signed playback URLs: one token for a whole HLS tree, correct Content-Types, Range, and
the result playing in headless Chromium (native HLS in <video>)."""

from __future__ import annotations

import shutil
import time
import urllib.parse

import pytest
import requests

from helpers import http_request
from jobs_support import jobs_api, media, upload  # noqa: F401 (fixtures)


@pytest.fixture(scope="module")
def hls_tree(server, media, tmp_path_factory):
    """A small HLS ladder (cmaf) with a storyboard, made once for the module."""
    s3 = server.client()
    bucket = "play-" + str(int(time.time() * 1000))[-9:]
    s3.create_bucket(Bucket=bucket)
    from jobs_support import JobsAPI
    api = JobsAPI(server.endpoint, server.access_key, server.secret_key)
    source = upload(s3, bucket, "videos/clip.mp4", media.small240)
    job = api.run(source, f"s3://{bucket}/videos/clip/", [{"type": "hls", "segmentSeconds": 1}, {"type": "storyboard", "interval": 1}])
    assert job["status"] == "succeeded", job
    return bucket


def sign(magpie_cli, server, target: str, *extra: str) -> str:
    return magpie_cli("sign-prefix", target, "--data-dir", str(server.data_dir), *extra).stdout.decode().strip()


def test_one_token_serves_every_file_under_the_prefix(server, hls_tree, magpie_cli):
    url = sign(magpie_cli, server, f"s3://{hls_tree}/videos/clip/hls/", "--expires", "600")
    assert url.startswith(server.endpoint + "/p/") and url.endswith("/master.m3u8")
    master = requests.get(url, timeout=30)
    assert master.status_code == 200
    assert master.headers["Content-Type"] == "application/vnd.apple.mpegurl"
    assert master.headers["Access-Control-Allow-Origin"] == "*"
    variant = next(line for line in master.text.splitlines() if line and not line.startswith("#"))
    media_playlist = requests.get(urllib.parse.urljoin(url, variant), timeout=30)
    assert media_playlist.status_code == 200 and "#EXTINF" in media_playlist.text
    segment_name = next(line for line in media_playlist.text.splitlines() if line.endswith(".m4s"))
    segment_url = urllib.parse.urljoin(urllib.parse.urljoin(url, variant), segment_name)
    segment = requests.get(segment_url, timeout=30)
    assert segment.status_code == 200 and segment.headers["Content-Type"] == "video/iso.segment"
    part = requests.get(segment_url, headers={"Range": "bytes=0-99"}, timeout=30)
    assert part.status_code == 206 and len(part.content) == 100 and part.content == segment.content[:100]
    assert part.headers["Content-Range"] == f"bytes 0-99/{len(segment.content)}"
    init = next(line.split('URI="')[1].split('"')[0] for line in media_playlist.text.splitlines() if line.startswith("#EXT-X-MAP"))
    assert requests.head(urllib.parse.urljoin(urllib.parse.urljoin(url, variant), init), timeout=30).headers["Content-Type"] == "video/mp4"


def test_storyboard_files_get_their_types(server, hls_tree, magpie_cli):
    url = sign(magpie_cli, server, f"s3://{hls_tree}/videos/clip/storyboard/", "--file", "storyboard.vtt")
    vtt = requests.get(url, timeout=30)
    assert vtt.status_code == 200 and vtt.headers["Content-Type"].startswith("text/vtt") and vtt.text.startswith("WEBVTT")
    sprite = requests.get(urllib.parse.urljoin(url, "sprite.jpg"), timeout=30)
    assert sprite.status_code == 200 and sprite.headers["Content-Type"] == "image/jpeg"


def test_tokens_grant_only_their_prefix_and_time(server, hls_tree, magpie_cli):
    url = sign(magpie_cli, server, f"s3://{hls_tree}/videos/clip/hls/")
    base = url.rsplit("/", 1)[0]
    token = base.rsplit("/", 1)[1]
    raw = http_request(server.host, server.port, "GET", f"/p/{token}/../../clip.mp4")  # sent as is, not normalised
    assert raw.status == 400
    assert requests.get(f"{server.endpoint}/p/{token}/%2E%2E/storyboard/sprite.jpg", timeout=30).status_code == 400
    tampered = token[:-2] + ("AA" if not token.endswith("AA") else "BB")
    assert requests.get(f"{server.endpoint}/p/{tampered}/master.m3u8", timeout=30).status_code == 403
    assert requests.get(f"{server.endpoint}/p/{token}/missing.m3u8", timeout=30).status_code == 404
    assert requests.put(url, data=b"x", timeout=30).status_code == 405
    expired = sign(magpie_cli, server, f"s3://{hls_tree}/videos/clip/hls/", "--expires", "1")
    time.sleep(2.1)  # the token's own expiry (seconds resolution), not a performance bound
    r = requests.get(expired, timeout=30)
    assert r.status_code == 403 and b"expired" in r.content


def test_hls_plays_in_headless_chromium(server, hls_tree, magpie_cli, tmp_path):
    chromium = shutil.which("chromium")
    driver_path = shutil.which("chromedriver")
    assert chromium and driver_path, "chromium and chromium-driver are installed by scripts/install-test-deps.sh"
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    url = sign(magpie_cli, server, f"s3://{hls_tree}/videos/clip/hls/")
    options = webdriver.ChromeOptions()
    options.binary_location = chromium
    for flag in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--autoplay-policy=no-user-gesture-required",
                 f"--user-data-dir={tmp_path / 'profile'}"):
        options.add_argument(flag)
    driver = webdriver.Chrome(service=Service(driver_path), options=options)
    try:
        driver.set_script_timeout(60)
        driver.get(server.endpoint + "/-/health")  # any page on the server's origin
        driver.execute_script("""
            const video = document.createElement('video');
            video.id = 'player'; video.muted = true; video.autoplay = true; video.src = arguments[0];
            document.body.appendChild(video);
            video.play().catch(() => {});
        """, url)
        deadline = time.monotonic() + 90
        state = {}
        while time.monotonic() < deadline:
            state = driver.execute_script(
                "const v = document.getElementById('player');"
                "return {t: v.currentTime, error: v.error && v.error.code, ready: v.readyState, w: v.videoWidth, h: v.videoHeight,"
                " canPlay: v.canPlayType('application/vnd.apple.mpegurl')};")
            assert state["error"] is None, f"the player reported an error: {state}"
            if state["t"] > 0.5:
                break
            time.sleep(0.2)  # bounded polling of the playback clock
        assert state["t"] > 0.5, f"playback did not advance: {state}"
        assert (state["w"], state["h"]) == (426, 240)
    finally:
        driver.quit()
