"""Remote http(s) image sources: off by default; when a host list is configured, fetches
refuse private, loopback and link-local addresses (after DNS, on every redirect) unless the
operator explicitly allows them, and bodies over the source-size limit are refused."""

from __future__ import annotations

import base64
import hashlib
import hmac
import http.server
import threading
from pathlib import Path

import pytest
import requests

from conftest import start_server

PHOTO = Path(__file__).resolve().parents[3] / "shared" / "testdata" / "photos" / "eveningglow2560.jpg"


class _Origin(http.server.BaseHTTPRequestHandler):
    """/photo.jpg, /missing (404), /redirect-to-localhost (302 to a name outside the list)."""

    def do_GET(self):  # noqa: N802 (http.server API)
        if self.path == "/photo.jpg":
            body = PHOTO.read_bytes()
            self.send_response(200)
            self.send_header("Content-Type", "image/jpeg")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
        elif self.path == "/redirect-to-localhost":
            self.send_response(302)
            self.send_header("Location", f"http://localhost:{self.server.server_port}/photo.jpg")
            self.send_header("Content-Length", "0")
            self.end_headers()
        else:
            self.send_response(404)
            self.send_header("Content-Length", "0")
            self.end_headers()

    def log_message(self, *args):
        pass


@pytest.fixture(scope="module")
def origin():
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Origin)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_port}"
    httpd.shutdown()


def _signed(server, path: str) -> str:
    values = dict(line.split(" = ", 1) for line in (server.data_dir / "image-keys").read_text().splitlines() if " = " in line)
    key, salt = bytes.fromhex(values["key"]), bytes.fromhex(values["salt"])
    digest = hmac.new(key, salt + path.encode(), hashlib.sha256).digest()
    return f"{server.endpoint}/i/{base64.urlsafe_b64encode(digest).rstrip(b'=').decode()}{path}"


def _get(server, source: str):
    return requests.get(_signed(server, f"/rs:fit:200:200/plain/{source}@png"), timeout=60)


@pytest.fixture(scope="module")
def servers(tmp_path_factory):
    started = {}
    for name, env in {
        "off": {},
        "listed": {"MAGPIE_IMAGE_REMOTE_HOSTS": "127.0.0.1,localhost"},
        "private": {"MAGPIE_IMAGE_REMOTE_HOSTS": "127.0.0.1", "MAGPIE_IMAGE_REMOTE_ALLOW_PRIVATE": "1"},
        "small": {"MAGPIE_IMAGE_REMOTE_HOSTS": "127.0.0.1", "MAGPIE_IMAGE_REMOTE_ALLOW_PRIVATE": "1",
                  "MAGPIE_IMAGE_MAX_SOURCE_MIB": "0"},
    }.items():
        base = tmp_path_factory.mktemp(f"remote-{name}")
        started[name] = start_server(base / "data", base / "logs", extra_env=env)
    yield started
    for server in started.values():
        server.stop()


def test_remote_sources_are_off_by_default(servers, origin):
    response = _get(servers["off"], f"{origin}/photo.jpg")
    assert response.status_code == 403
    assert response.headers["X-Magpie-Error"] == "remote-source-disabled"


@pytest.mark.parametrize("host", ["127.0.0.1", "localhost"])
def test_listed_hosts_still_cannot_reach_loopback(servers, origin, host):
    port = origin.rsplit(":", 1)[1]
    response = _get(servers["listed"], f"http://{host}:{port}/photo.jpg")
    assert response.status_code == 403
    assert response.headers["X-Magpie-Error"] == "remote-address-forbidden"
    assert response.json()["error"] == "remote-address-forbidden"


def test_metadata_address_is_refused(servers):
    server = servers["listed"]
    response = _get(server, "http://169.254.169.254/latest/meta-data/")
    assert response.status_code == 403
    assert response.headers["X-Magpie-Error"] in ("remote-host-not-allowed", "remote-address-forbidden")


def test_allowed_private_fetch_transforms(servers, origin):
    response = _get(servers["private"], f"{origin}/photo.jpg")
    assert response.status_code == 200, response.text
    assert response.headers["Content-Type"] == "image/png"
    assert response.content[:8] == b"\x89PNG\r\n\x1a\n"
    again = _get(servers["private"], f"{origin}/photo.jpg")
    assert again.headers["X-Magpie-Cache"] == "HIT"


def test_host_outside_the_list_and_redirects_to_it_are_refused(servers, origin):
    port = origin.rsplit(":", 1)[1]
    outside = _get(servers["private"], f"http://localhost:{port}/photo.jpg")
    assert outside.status_code == 403
    assert outside.headers["X-Magpie-Error"] == "remote-host-not-allowed"
    redirected = _get(servers["private"], f"{origin}/redirect-to-localhost")
    assert redirected.status_code == 403
    assert redirected.headers["X-Magpie-Error"] == "remote-host-not-allowed"


def test_missing_remote_and_oversized_bodies(servers, origin):
    missing = _get(servers["private"], f"{origin}/missing")
    assert missing.status_code == 404
    assert missing.headers["X-Magpie-Error"] == "source-not-found"
    large = _get(servers["small"], f"{origin}/photo.jpg")
    assert large.status_code == 422
    assert large.headers["X-Magpie-Error"] == "remote-too-large"
    # The server keeps serving after every refusal.
    assert _get(servers["private"], f"{origin}/photo.jpg").status_code == 200
