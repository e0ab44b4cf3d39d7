"""Client-side helpers for the image transformation tests (test_images*.py).

An independent signer for both URL grammars (imgproxy path, imgix query) written from the
documented scheme — base64url_nopad(HMAC-SHA256(key, salt + message)) — so a mismatch points
at the server; image makers for inputs the shared photos don't cover (PNG with alpha,
animated GIF, EXIF-oriented JPEGs, decompression bombs); decoders (Pillow) for the results;
a Prometheus text reader; and a starter for servers that need image flags.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import io
import json
import re
import struct
import subprocess
import time
import urllib.parse
import uuid
import zlib
from dataclasses import dataclass
from pathlib import Path

import requests
from PIL import Image

from conftest import (HEALTH_TIMEOUT, ROOT_ACCESS_KEY, ROOT_SECRET_KEY, MagpieServer,
                      _die_with_parent, base_env, free_port, require_binary)

PHOTOS = Path(__file__).resolve().parents[3] / "shared" / "testdata" / "photos"
PHOTO = PHOTOS / "photo4000x3000.jpg"      # 4000×3000, EXIF (Make SONY) and XMP
GLOW = PHOTOS / "eveningglow2560.jpg"      # 2560×1600

MAGIC = {
    "jpeg": lambda b: b[:3] == b"\xff\xd8\xff",
    "png": lambda b: b[:8] == b"\x89PNG\r\n\x1a\n",
    "webp": lambda b: b[:4] == b"RIFF" and b[8:12] == b"WEBP",
    "avif": lambda b: b[4:8] == b"ftyp" and b[8:12] in (b"avif", b"avis"),
    "gif": lambda b: b[:6] in (b"GIF87a", b"GIF89a"),
}


def sniff(body: bytes) -> str | None:
    """The format a body's magic bytes say it is."""
    for name, test in MAGIC.items():
        if test(body):
            return name
    return None


# --------------------------------------------------------------------------
# Keys and signatures
# --------------------------------------------------------------------------

@dataclass(frozen=True)
class ImageKey:
    key: bytes
    salt: bytes


def read_image_key(data_dir: Path) -> ImageKey:
    """The first key/salt pair of `<data-dir>/image-keys` (`key = <hex>`, `salt = <hex>`)."""
    values = {}
    for line in (Path(data_dir) / "image-keys").read_text().splitlines():
        line = line.strip()
        if not line or line.startswith("#") or "=" not in line:
            continue
        name, _, value = line.partition("=")
        values[name.strip()] = value.strip()
    return ImageKey(bytes.fromhex(values["key"].split(",")[0]),
                    bytes.fromhex(values["salt"].split(",")[0]))


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def hmac_sign(key: ImageKey, message: str) -> str:
    return b64url(hmac.new(key.key, key.salt + message.encode(), hashlib.sha256).digest())


def plain_source(bucket: str, key: str, ext: str | None = None, version: str | None = None) -> str:
    """`plain/s3://bucket/key[?version][@ext]` with the key percent-encoded (slashes kept)."""
    src = "plain/s3://" + bucket + "/" + urllib.parse.quote(key, safe="/")
    if version:
        src += "%3F" + urllib.parse.quote(version, safe="")
    return src + (f"@{ext}" if ext else "")


def b64_source(bucket: str, key: str, ext: str | None = None) -> str:
    return b64url(f"s3://{bucket}/{key}".encode()) + (f".{ext}" if ext else "")


def imgproxy_path(key: ImageKey, path: str) -> str:
    """`/i/{signature}{path}`; `path` is everything after the signature, starting with `/`."""
    assert path.startswith("/")
    return "/i/" + hmac_sign(key, path) + path


def imgix_path(key: ImageKey, bucket: str, obj: str, query: str = "") -> str:
    """`/a/bucket/key?query&s=…` signed over path + `?` + query (the path alone without query)."""
    path = "/a/" + urllib.parse.quote(bucket, safe="") + "/" + urllib.parse.quote(obj, safe="/")
    message = path + ("?" + query if query else "")
    sig = hmac_sign(key, message)
    return path + "?" + (query + "&" if query else "") + "s=" + sig


# --------------------------------------------------------------------------
# HTTP
# --------------------------------------------------------------------------

def get(server: MagpieServer, target: str, headers: dict | None = None,
        timeout: float = 60, method: str = "GET") -> requests.Response:
    """GET exactly `target` (already encoded) from the server."""
    req = requests.Request(method, server.endpoint + "/", headers=headers or {}).prepare()
    req.url = server.endpoint + target  # keep the path byte for byte (no re-quoting)
    with requests.Session() as session:
        return session.send(req, timeout=timeout)


def assert_image_error(resp: requests.Response, status: int, reason: str):
    """A refusal: status, X-Magpie-Error, and the JSON body naming the same reason."""
    assert resp.status_code == status, (resp.status_code, resp.headers, resp.content[:300])
    assert resp.headers.get("X-Magpie-Error") == reason, (resp.headers, resp.content[:300])
    assert resp.headers.get("Content-Type", "").startswith("application/json"), resp.headers
    body = resp.json()
    assert body["error"] == reason, body
    assert isinstance(body.get("message"), str) and body["message"], body
    assert body.get("request_id"), body
    return body


def decode(body: bytes) -> Image.Image:
    img = Image.open(io.BytesIO(body))
    img.load()
    return img


def dimensions(body: bytes) -> tuple[int, int]:
    return Image.open(io.BytesIO(body)).size


def frame_count(body: bytes) -> int:
    return getattr(Image.open(io.BytesIO(body)), "n_frames", 1)


# --------------------------------------------------------------------------
# Metrics
# --------------------------------------------------------------------------

_SAMPLE = re.compile(r"^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{[^}]*\})?\s+(\S+)")


def metrics(server: MagpieServer) -> dict[tuple[str, frozenset], float]:
    """`/-/metrics` as {(name, frozenset(label pairs)): value}."""
    r = requests.get(server.endpoint + "/-/metrics", timeout=30)
    assert r.status_code == 200, (r.status_code, r.text[:300])
    out = {}
    for line in r.text.splitlines():
        if not line or line.startswith("#"):
            continue
        m = _SAMPLE.match(line)
        if not m:
            continue
        labels = frozenset(re.findall(r'(\w+)="((?:[^"\\]|\\.)*)"', m.group(2) or ""))
        out[(m.group(1), labels)] = float(m.group(3))
    return out


def metric(samples: dict, name: str, **labels) -> float:
    """Sum of the samples of `name` whose labels include `labels` (0 when absent)."""
    want = set(labels.items())
    return sum(v for (n, ls), v in samples.items() if n == name and want <= set(ls))


# --------------------------------------------------------------------------
# Generated inputs
# --------------------------------------------------------------------------

def png_with_alpha(width: int = 64, height: int = 48) -> bytes:
    """RGBA PNG: left half opaque red, right half fully transparent."""
    img = Image.new("RGBA", (width, height), (0, 0, 0, 0))
    for x in range(width // 2):
        for y in range(height):
            img.putpixel((x, y), (255, 0, 0, 255))
    buf = io.BytesIO()
    img.save(buf, "PNG")
    return buf.getvalue()


def animated_gif(frames: int = 4, width: int = 40, height: int = 30) -> bytes:
    colours = [(255, 0, 0), (0, 255, 0), (0, 0, 255), (255, 255, 0), (0, 255, 255), (255, 0, 255)]
    images = [Image.new("RGB", (width, height), colours[i % len(colours)]) for i in range(frames)]
    for i, img in enumerate(images):  # a moving mark so no two frames are equal
        for x in range(width // 4):
            img.putpixel(((i * 3 + x) % width, (i * 2) % height), (i * 40 % 256, 0, 0))
    buf = io.BytesIO()
    images[0].save(buf, "GIF", save_all=True, append_images=images[1:], duration=100, loop=0)
    return buf.getvalue()


def oriented_jpeg(orientation: int, width: int = 60, height: int = 40) -> bytes:
    """A width×height (stored) JPEG with EXIF Orientation `orientation`; the top-left quarter
    is red, the rest white, so the displayed orientation can be checked by pixels."""
    img = Image.new("RGB", (width, height), (255, 255, 255))
    for x in range(width // 2):
        for y in range(height // 2):
            img.putpixel((x, y), (255, 0, 0))
    exif = Image.Exif()
    exif[0x0112] = orientation
    buf = io.BytesIO()
    img.save(buf, "JPEG", quality=95, exif=exif.tobytes())
    return buf.getvalue()


def exif_orientation(body: bytes) -> int | None:
    return Image.open(io.BytesIO(body)).getexif().get(0x0112)


def png_bomb(width: int = 30000, height: int = 30000) -> bytes:
    """A small PNG whose IHDR claims width×height (the IDAT holds one short deflate stream)."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return (struct.pack(">I", len(data)) + kind + data
                + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF))
    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    idat = zlib.compress(b"\x00" * (width * 3 + 1) * 4, 9)  # a few rows; the rest is missing
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", idat) + chunk(b"IEND", b"")


def jpeg_bomb(width: int = 60000, height: int = 60000) -> bytes:
    """A real small JPEG whose SOF0 is rewritten to claim width×height."""
    buf = io.BytesIO()
    Image.new("RGB", (16, 16), (10, 20, 30)).save(buf, "JPEG")
    data = bytearray(buf.getvalue())
    i = 2
    while i < len(data):
        assert data[i] == 0xFF
        marker = data[i + 1]
        length = struct.unpack(">H", data[i + 2:i + 4])[0]
        if marker in (0xC0, 0xC1, 0xC2):
            struct.pack_into(">HH", data, i + 5, height, width)
            return bytes(data)
        i += 2 + length
    raise AssertionError("no SOF marker")


def rgb_jpeg(width: int, height: int, colour=(30, 120, 200), quality: int = 90) -> bytes:
    buf = io.BytesIO()
    Image.new("RGB", (width, height), colour).save(buf, "JPEG", quality=quality)
    return buf.getvalue()


# --------------------------------------------------------------------------
# Servers with image flags
# --------------------------------------------------------------------------

def start_image_server(base: Path, args: list[str], extra_env: dict | None = None,
                       attempts: int = 3) -> MagpieServer:
    """`magpie serve` with extra flags on a free port and a temp data dir; waits for health."""
    binary = require_binary()
    data_dir, log_dir = base / "data", base / "logs"
    data_dir.mkdir(parents=True, exist_ok=True)
    log_dir.mkdir(parents=True, exist_ok=True)
    last = ""
    for attempt in range(attempts):
        port = free_port()
        env = base_env()
        env["MAGPIE_ROOT_ACCESS_KEY"] = ROOT_ACCESS_KEY
        env["MAGPIE_ROOT_SECRET_KEY"] = ROOT_SECRET_KEY
        env.update(extra_env or {})
        tag = f"{port}-{attempt}-{uuid.uuid4().hex[:6]}"
        out_path, err_path = log_dir / f"magpie-{tag}.stdout", log_dir / f"magpie-{tag}.stderr"
        cmd = [binary, "serve", "--address", "127.0.0.1", "--port", str(port),
               "--data-dir", str(data_dir), *args]
        with open(out_path, "wb") as out, open(err_path, "wb") as err:
            proc = subprocess.Popen(cmd, stdout=out, stderr=err, stdin=subprocess.DEVNULL,
                                    env=env, preexec_fn=_die_with_parent)
        server = MagpieServer("127.0.0.1", port, data_dir, ROOT_ACCESS_KEY, ROOT_SECRET_KEY,
                              proc, out_path, err_path)
        deadline = time.monotonic() + HEALTH_TIMEOUT
        while time.monotonic() < deadline and proc.poll() is None:
            if server.health_ok(timeout=2):
                return server
            time.sleep(0.1)  # bounded polling for readiness
        server.stop()
        last = f"exit={proc.returncode}\n{server.stderr_text()[-2000:]}"
    raise AssertionError(f"magpie serve {' '.join(args)} did not become healthy:\n{last}")


def info_json(resp: requests.Response) -> dict:
    assert resp.status_code == 200, (resp.status_code, resp.headers, resp.content[:300])
    assert resp.headers.get("Content-Type", "").startswith("application/json"), resp.headers
    return json.loads(resp.content)
