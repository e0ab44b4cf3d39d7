"""Image transformations over HTTP: `/i/…` (imgproxy grammar) and `/a/…` (imgix grammar).

Sources are uploaded with boto3; results are fetched with `requests` and decoded with Pillow.
URLs are signed by image_helpers' own HMAC signer with the key the server wrote to
`<data-dir>/image-keys` (checked against imgproxy's published signing example first).
Results are kept small: the 4000×3000 photo is only ever fetched scaled down.
"""

from __future__ import annotations

import base64
import concurrent.futures as cf
import email.utils
import io
import os
import re
import threading
import time
import uuid

import pytest
from PIL import Image, ImageOps

from conftest import empty_and_delete_bucket, run_magpie, unique_bucket_name
from image_helpers import (GLOW, PHOTO, ImageKey, animated_gif, assert_image_error, b64_source, b64url,
                           decode, dimensions, exif_orientation, frame_count, get, hmac_sign,
                           imgix_path, imgproxy_path, info_json, metric, metrics, oriented_jpeg,
                           plain_source, png_with_alpha, read_image_key, rgb_jpeg, sniff,
                           start_image_server)

PHOTO_BYTES = PHOTO.read_bytes()
GLOW_BYTES = GLOW.read_bytes()
BLURHASH_ALPHABET = set("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz#$%*+,-.:;=?@[]^_{|}~")


def quadrant_png() -> bytes:
    """60×40 PNG, top-left 30×20 quarter red, the rest white."""
    img = Image.new("RGB", (60, 40), (255, 255, 255))
    img.paste((255, 0, 0), (0, 0, 30, 20))
    buf = io.BytesIO()
    img.save(buf, "PNG")
    return buf.getvalue()


def bordered_png() -> bytes:
    """80×60 PNG: a 40×30 blue block centred on white (for trim)."""
    img = Image.new("RGB", (80, 60), (255, 255, 255))
    img.paste((0, 0, 200), (20, 15, 60, 45))
    buf = io.BytesIO()
    img.save(buf, "PNG")
    return buf.getvalue()


def red_quadrant(img: Image.Image) -> int:
    """Which quarter (0 top-left, 1 top-right, 2 bottom-left, 3 bottom-right) is reddest."""
    rgb = img.convert("RGB")
    w, h = rgb.size
    boxes = [(0, 0, w // 2, h // 2), (w - w // 2, 0, w, h // 2),
             (0, h - h // 2, w // 2, h), (w - w // 2, h - h // 2, w, h)]
    def redness(box):
        pixels = list(rgb.crop(box).getdata())
        return sum(r - (g + b) / 2 for r, g, b in pixels) / len(pixels)
    scores = [redness(b) for b in boxes]
    return scores.index(max(scores))


@pytest.fixture(scope="module")
def ikey(server) -> ImageKey:
    return read_image_key(server.data_dir)


@pytest.fixture(scope="module")
def media(s3):
    """One bucket of sources shared by the read-only tests of this module."""
    name = unique_bucket_name("img")
    s3.create_bucket(Bucket=name)
    s3.put_object(Bucket=name, Key="photo.jpg", Body=PHOTO_BYTES, ContentType="image/jpeg")
    s3.put_object(Bucket=name, Key="glow.jpg", Body=GLOW_BYTES)
    s3.put_object(Bucket=name, Key="quad.png", Body=quadrant_png())
    s3.put_object(Bucket=name, Key="border.png", Body=bordered_png())
    s3.put_object(Bucket=name, Key="alpha.png", Body=png_with_alpha())
    s3.put_object(Bucket=name, Key="anim.gif", Body=animated_gif(frames=4))
    for o in range(1, 9):
        s3.put_object(Bucket=name, Key=f"orient/{o}.jpg", Body=oriented_jpeg(o))
    yield name
    empty_and_delete_bucket(s3, name)


def fetch(server, ikey, options: str, source: str, headers=None, method="GET"):
    """Signed imgproxy URL `/{options}/{source}` (options may be empty)."""
    path = "/" + (options.strip("/") + "/" if options.strip("/") else "") + source
    return get(server, imgproxy_path(ikey, path), headers, method=method)


def ok_image(resp, fmt: str) -> bytes:
    assert resp.status_code == 200, (resp.status_code, resp.headers, resp.content[:300])
    body = resp.content
    content_type = {"jpeg": "image/jpeg", "png": "image/png", "webp": "image/webp",
                    "avif": "image/avif", "gif": "image/gif"}[fmt]
    assert resp.headers.get("Content-Type") == content_type, resp.headers
    assert sniff(body) == fmt, (fmt, body[:16])
    assert int(resp.headers["Content-Length"]) == len(body)
    return body


# --------------------------------------------------------------------------
# 1. imgproxy grammar: signing, resizing, formats, sources
# --------------------------------------------------------------------------

def test_signer_reproduces_imgproxy_documented_example():
    """docs.imgproxy.net "Signing a URL": key `secret`, salt `hello`."""
    key = ImageKey(bytes.fromhex("736563726574"), bytes.fromhex("68656C6C6F"))
    path = "/rs:fill:300:400:0/g:sm/aHR0cDovL2V4YW1w/bGUuY29tL2ltYWdl/cy9jdXJpb3NpdHku/anBn.png"
    assert hmac_sign(key, path) == "oKfUtW34Dvo2BGQehJFR4Nr0_rIjOtdtzJ3QFsUcXH8"


@pytest.fixture(scope="module")
def docs_key_server(tmp_path_factory):
    """Keys from the environment, rotated: a random pair first, imgproxy's example pair second."""
    base = tmp_path_factory.mktemp("img-docs-key")
    srv = start_image_server(base, [], extra_env={
        "MAGPIE_IMAGE_KEY": "00112233445566778899aabbccddeeff,736563726574",
        "MAGPIE_IMAGE_SALT": "ffeeddccbbaa99887766554433221100,68656C6C6F"})
    srv.client().create_bucket(Bucket="docs")
    srv.client().put_object(Bucket="docs", Key="glow.jpg", Body=GLOW_BYTES)
    yield srv
    srv.stop()


def test_documented_signed_url_is_accepted_by_a_server_with_that_key(docs_key_server):
    path = "/rs:fill:300:400:0/g:sm/aHR0cDovL2V4YW1w/bGUuY29tL2ltYWdl/cy9jdXJpb3NpdHku/anBn.png"
    good = get(docs_key_server, "/i/oKfUtW34Dvo2BGQehJFR4Nr0_rIjOtdtzJ3QFsUcXH8" + path)
    # The signature passes; the http:// source is then refused (remote fetching is off).
    assert_image_error(good, 403, "remote-source-disabled")
    # (The last character carries two unused bits, so tamper with one in the middle.)
    bad = get(docs_key_server, "/i/oKfUtW34Dvo2BGQehJFR4Nr1_rIjOtdtzJ3QFsUcXH8" + path)
    assert_image_error(bad, 403, "invalid-signature")


def test_env_keys_rotate(docs_key_server):
    src = plain_source("docs", "glow.jpg", "png")
    for pair in (ImageKey(bytes.fromhex("00112233445566778899aabbccddeeff"),
                          bytes.fromhex("ffeeddccbbaa99887766554433221100")),
                 ImageKey(b"secret", b"hello")):
        r = get(docs_key_server, imgproxy_path(pair, "/w:64/" + src))
        assert dimensions(ok_image(r, "png")) == (64, 40)
    other = ImageKey(b"not-the-key", b"hello")
    assert_image_error(get(docs_key_server, imgproxy_path(other, "/w:64/" + src)), 403,
                       "invalid-signature")


def test_key_file_is_written_on_first_start(server):
    text = (server.data_dir / "image-keys").read_text()
    assert re.search(r"^key\s*=\s*[0-9a-f]{32,}\s*$", text, re.M), text
    assert re.search(r"^salt\s*=\s*[0-9a-f]{32,}\s*$", text, re.M), text


@pytest.mark.parametrize("options,expected", [
    ("rs:fit:300:200", (267, 200)),
    ("rs:fill:300:200", (300, 200)),
    ("rs:fill-down:300:200", (300, 200)),
    ("rs:force:100:300", (100, 300)),          # force ignores the aspect ratio
    ("rs:auto:300:200", (300, 200)),           # same orientation → fill
    ("rs:auto:200:300", (200, 150)),           # other orientation → fit
    ("rs:fill:300:200/g:sm", (300, 200)),      # smart crop
    ("resize:fit:300:200", (267, 200)),        # long name
    ("rt:fill/w:300/h:200", (300, 200)),
    ("s:300:200", (267, 200)),                 # size, default type fit
])
def test_resizing_types_on_photo(server, ikey, media, options, expected):
    body = ok_image(fetch(server, ikey, options, plain_source(media, "photo.jpg", "jpg")), "jpeg")
    assert dimensions(body) == expected


@pytest.mark.parametrize("options,expected", [
    ("rs:fill-down:120:120", (40, 40)),        # smaller source: crop to the requested ratio
    ("rs:fit:120:120", (60, 40)),              # no enlarge by default
    ("rs:fit:120:120:1", (120, 80)),           # enlarge
    ("w:120/el:1", (120, 80)),
    ("rs:fit:120:120:0:1", (120, 120)),        # extend to the box
    ("ex:1/rs:fit:120:120", (120, 120)),
    ("rot:90", (40, 60)),
    ("pd:10", (80, 60)),
    ("pd:1:2:3:4", (66, 44)),                  # CSS order top:right:bottom:left
    ("dpr:2/w:30", (60, 40)),
    ("z:0.5", (30, 20)),
    ("c:20:10", (20, 10)),
    ("mw:120", (120, 80)),
    ("mh:80", (120, 80)),
])
def test_geometry_options(server, ikey, media, options, expected):
    body = ok_image(fetch(server, ikey, options, plain_source(media, "quad.png", "png")), "png")
    assert dimensions(body) == expected


def test_crop_gravity_and_flip_and_rotate_move_pixels(server, ikey, media):
    src = plain_source(media, "quad.png", "png")
    corner = decode(ok_image(fetch(server, ikey, "c:20:10:nowe", src), "png")).convert("RGB")
    assert set(corner.getdata()) == {(255, 0, 0)}
    opposite = decode(ok_image(fetch(server, ikey, "c:20:10:soea", src), "png")).convert("RGB")
    assert set(opposite.getdata()) == {(255, 255, 255)}
    assert red_quadrant(decode(ok_image(fetch(server, ikey, "", src), "png"))) == 0
    assert red_quadrant(decode(ok_image(fetch(server, ikey, "fl:1", src), "png"))) == 1
    assert red_quadrant(decode(ok_image(fetch(server, ikey, "fl:0:1", src), "png"))) == 2
    assert red_quadrant(decode(ok_image(fetch(server, ikey, "rot:90", src), "png"))) == 1   # clockwise
    assert red_quadrant(decode(ok_image(fetch(server, ikey, "rot:180", src), "png"))) == 3


def test_trim_removes_a_uniform_border(server, ikey, media):
    body = ok_image(fetch(server, ikey, "t:10", plain_source(media, "border.png", "png")), "png")
    assert dimensions(body) == (40, 30)
    assert set(decode(body).convert("RGB").getdata()) == {(0, 0, 200)}


def test_filters_change_pixels(server, ikey, media):
    src = plain_source(media, "glow.jpg", "png")
    plain = decode(ok_image(fetch(server, ikey, "w:100", src), "png")).convert("RGB")
    for option in ("bl:2", "sh:2", "pix:7"):
        out = decode(ok_image(fetch(server, ikey, f"w:100/{option}", src), "png")).convert("RGB")
        assert out.size == (100, 63), option
        assert list(out.getdata()) != list(plain.getdata()), option
    pixelated = decode(ok_image(fetch(server, ikey, "w:100/pix:10", src), "png")).convert("RGB")
    # pixelate: ~10×10 blocks of one colour, so at most (10+1)×(7+1) colours in 100×63
    assert len(set(pixelated.getdata())) <= 88
    assert len(set(plain.getdata())) > 500


def test_quality_changes_size(server, ikey, media):
    src = plain_source(media, "photo.jpg", "jpg")
    low = ok_image(fetch(server, ikey, "rs:fit:200:200/q:10", src), "jpeg")
    high = ok_image(fetch(server, ikey, "rs:fit:200:200/q:95", src), "jpeg")
    per_format = ok_image(fetch(server, ikey, "rs:fit:200:200/fq:jpg:10:webp:90", src), "jpeg")
    assert len(low) * 3 < len(high), (len(low), len(high))
    assert len(per_format) * 3 < len(high), (len(per_format), len(high))


def test_progressive_jpeg_option(server, ikey, media):
    src = plain_source(media, "photo.jpg", "jpg")
    baseline = ok_image(fetch(server, ikey, "rs:fit:200:200", src), "jpeg")
    progressive = ok_image(fetch(server, ikey, "rs:fit:200:200/jpgo:1", src), "jpeg")
    assert b"\xff\xc0" in baseline and b"\xff\xc2" not in baseline
    assert b"\xff\xc2" in progressive
    assert Image.open(io.BytesIO(progressive)).info.get("progressive") == 1


def test_background_flattens_alpha(server, ikey, media):
    src = plain_source(media, "alpha.png", "jpg")
    green = decode(ok_image(fetch(server, ikey, "bg:00ff00", src), "jpeg")).convert("RGB")
    r, g, b = green.getpixel((50, 24))  # the transparent half
    assert g > 230 and r < 25 and b < 25, (r, g, b)
    white = decode(ok_image(fetch(server, ikey, "", src), "jpeg")).convert("RGB")
    assert min(white.getpixel((50, 24))) > 230
    rgb = decode(ok_image(fetch(server, ikey, "bg:0:0:255", src), "jpeg")).convert("RGB")
    assert rgb.getpixel((50, 24))[2] > 230
    kept = decode(ok_image(fetch(server, ikey, "", plain_source(media, "alpha.png", "webp")), "webp"))
    assert kept.mode == "RGBA" and kept.getpixel((50, 24))[3] == 0
    assert kept.getpixel((5, 24))[:3][0] > 230 and kept.getpixel((5, 24))[3] == 255


@pytest.mark.parametrize("fmt,ext", [("webp", "webp"), ("avif", "avif"), ("png", "png"),
                                     ("jpeg", "jpg"), ("jpeg", "jpeg"), ("gif", "gif")])
def test_output_formats_by_extension(server, ikey, media, fmt, ext):
    body = ok_image(fetch(server, ikey, "rs:fill:300:200", plain_source(media, "photo.jpg", ext)), fmt)
    assert dimensions(body) == (300, 200)
    assert decode(body).size == (300, 200)


@pytest.mark.parametrize("option", ["f:webp", "format:webp", "ext:webp"])
def test_format_option_aliases(server, ikey, media, option):
    body = ok_image(fetch(server, ikey, f"w:100/{option}", plain_source(media, "glow.jpg")), "webp")
    assert dimensions(body) == (100, 63)


def test_base64_source_forms(server, ikey, media):
    plain = fetch(server, ikey, "w:100", plain_source(media, "glow.jpg", "png"))
    encoded = fetch(server, ikey, "w:100", b64_source(media, "glow.jpg", "png"))
    b64 = b64_source(media, "glow.jpg")
    split = "/".join(b64[i:i + 10] for i in range(0, len(b64), 10)) + ".png"  # imgproxy allows /
    split_resp = fetch(server, ikey, "w:100", split)
    padded = fetch(server, ikey, "w:100",
                   base64.urlsafe_b64encode(f"s3://{media}/glow.jpg".encode()).decode() + ".png")
    bodies = [ok_image(r, "png") for r in (plain, encoded, split_resp, padded)]
    assert dimensions(bodies[0]) == (100, 63)
    assert len(set(bodies)) == 1
    assert len({r.headers["ETag"] for r in (plain, encoded, split_resp, padded)}) == 1


@pytest.mark.parametrize("key", ["dir with space/ünï cødé+plus.jpg", "a%b&c=d#e.jpg",
                                 "日本語/写真.jpg", "semi;colon,comma:colon@at.jpg"])
def test_awkward_keys_percent_encoded(server, ikey, s3, bucket, key):
    s3.put_object(Bucket=bucket, Key=key, Body=rgb_jpeg(50, 40))
    r = fetch(server, ikey, "w:20", plain_source(bucket, key, "png"))
    assert dimensions(ok_image(r, "png")) == (20, 16)
    r64 = fetch(server, ikey, "w:20", b64_source(bucket, key, "png"))
    assert r64.headers.get("ETag") == r.headers["ETag"]
    imgix = get(server, imgix_path(ikey, bucket, key, "w=20&fm=png"))
    assert dimensions(ok_image(imgix, "png")) == (20, 16)


def test_info_forms_with_options_and_imgproxy_order(server, ikey, media):
    src = plain_source(media, "glow.jpg")
    forms = [imgproxy_path(ikey, "/info/" + src),
             imgproxy_path(ikey, "/info/w:100/" + src),
             "/i/info/" + hmac_sign(ikey, "/" + src) + "/" + src]  # imgproxy's /info/{sig}/… order
    infos = [info_json(get(server, t)) for t in forms]
    assert all(i == infos[0] for i in infos), infos
    assert (infos[0]["width"], infos[0]["height"]) == (2560, 1600)


# --------------------------------------------------------------------------
# 2. imgix grammar
# --------------------------------------------------------------------------

@pytest.mark.parametrize("query,expected", [
    ("w=300&h=200&fit=crop", (300, 200)),
    ("w=300&h=200&fit=clip", (267, 200)),
    ("w=300&h=200&fit=max", (267, 200)),
    ("w=300&h=200&fit=scale", (300, 200)),
    ("w=300&h=200&fit=fill", (300, 200)),
    ("w=300&ar=1:1&fit=crop", (300, 300)),
    ("w=150&dpr=2", (300, 225)),
    ("rect=0,0,400,300&w=100", (100, 75)),
    ("w=100&pad=10", (120, 95)),
])
def test_imgix_sizes(server, ikey, media, query, expected):
    r = get(server, imgix_path(ikey, media, "photo.jpg", query + "&fm=jpg"))
    assert dimensions(ok_image(r, "jpeg")) == expected


def test_imgix_and_imgproxy_share_the_canonical_result(server, ikey, media):
    imgproxy = fetch(server, ikey, "rs:fill:300:200:1", plain_source(media, "photo.jpg", "webp"))
    imgix = get(server, imgix_path(ikey, media, "photo.jpg", "w=300&h=200&fit=crop&fm=webp"))
    a, b = ok_image(imgproxy, "webp"), ok_image(imgix, "webp")
    assert dimensions(a) == (300, 200)
    assert imgproxy.headers["ETag"] == imgix.headers["ETag"]
    assert a == b
    assert imgix.headers.get("X-Magpie-Cache") == "HIT"
    # Without imgix's implied enlarge the imgproxy URL is a different transformation, but on
    # a source larger than the box the pixels are the same.
    no_enlarge = fetch(server, ikey, "rs:fill:300:200", plain_source(media, "photo.jpg", "webp"))
    assert ok_image(no_enlarge, "webp") == a


def test_imgix_signature_covers_path_and_query(server, ikey, media):
    good = imgix_path(ikey, media, "glow.jpg", "w=120&fm=png")
    assert dimensions(ok_image(get(server, good), "png")) == (120, 75)
    sig = good.rsplit("s=", 1)[1]
    assert_image_error(get(server, f"/a/{media}/glow.jpg?w=121&fm=png&s={sig}"), 403,
                       "invalid-signature")
    assert_image_error(get(server, f"/a/{media}/photo.jpg?w=120&fm=png&s={sig}"), 403,
                       "invalid-signature")
    assert_image_error(get(server, f"/a/{media}/glow.jpg?fm=png&w=120&s={sig}"), 403,
                       "invalid-signature")  # order is part of the signed message
    wrong = sig[:-2] + ("AA" if not sig.endswith("AA") else "BB")
    assert_image_error(get(server, f"/a/{media}/glow.jpg?w=120&fm=png&s={wrong}"), 403,
                       "invalid-signature")
    assert_image_error(get(server, f"/a/{media}/glow.jpg?w=120&fm=png"), 403, "missing-signature")
    # s first in the query is fine: it is removed, the rest signed in order.
    first = get(server, f"/a/{media}/glow.jpg?s={sig}&w=120&fm=png")
    assert dimensions(ok_image(first, "png")) == (120, 75)
    # No other parameters: the path alone is signed.
    bare = imgix_path(ikey, media, "glow.jpg")
    assert bare.count("?") == 1 and hmac_sign(ikey, f"/a/{media}/glow.jpg") in bare
    assert ok_image(get(server, bare, {"Accept": "*/*"}), "jpeg")


def test_imgix_unknown_parameter_is_400(server, ikey, media):
    r = get(server, imgix_path(ikey, media, "glow.jpg", "w=100&bogus=1"))
    body = assert_image_error(r, 400, "unknown-option")
    assert "bogus" in body["message"]


def test_imgix_expires(server, ikey, media):
    past = int(time.time()) - 60
    assert_image_error(get(server, imgix_path(ikey, media, "glow.jpg", f"w=50&fm=png&expires={past}")),
                       403, "expired")
    future = int(time.time()) + 3600
    r = get(server, imgix_path(ikey, media, "glow.jpg", f"w=50&fm=png&expires={future}"))
    assert dimensions(ok_image(r, "png")) == (50, 31)


def test_imgproxy_expires(server, ikey, media):
    src = plain_source(media, "glow.jpg", "png")
    assert_image_error(fetch(server, ikey, f"w:50/exp:{int(time.time()) - 60}", src), 403, "expired")
    r = fetch(server, ikey, f"w:50/exp:{int(time.time()) + 3600}", src)
    assert dimensions(ok_image(r, "png")) == (50, 31)


def test_imgix_flip_rotate_blur(server, ikey, media):
    src_key = "quad.png"
    assert red_quadrant(decode(ok_image(get(server, imgix_path(ikey, media, src_key, "fm=png&flip=h")), "png"))) == 1
    assert red_quadrant(decode(ok_image(get(server, imgix_path(ikey, media, src_key, "fm=png&flip=v")), "png"))) == 2
    assert red_quadrant(decode(ok_image(get(server, imgix_path(ikey, media, src_key, "fm=png&rot=180")), "png"))) == 3
    plain = decode(ok_image(get(server, imgix_path(ikey, media, src_key, "fm=png")), "png"))
    blurred = decode(ok_image(get(server, imgix_path(ikey, media, src_key, "fm=png&blur=100")), "png"))
    assert list(plain.convert("RGB").getdata()) != list(blurred.convert("RGB").getdata())


# --------------------------------------------------------------------------
# 3. Format negotiation
# --------------------------------------------------------------------------

@pytest.mark.parametrize("accept,fmt", [
    ("image/avif,image/webp,image/apng,image/*,*/*;q=0.8", "avif"),
    ("image/avif", "avif"),
    ("image/webp,*/*", "webp"),
    ("image/avif;q=0,image/webp", "webp"),
    ("*/*", "jpeg"),
    (None, "jpeg"),
])
def test_negotiated_format_for_jpeg_source(server, ikey, media, accept, fmt):
    headers = {"Accept": accept} if accept is not None else {}
    r = fetch(server, ikey, "w:100", plain_source(media, "glow.jpg"), headers)
    body = ok_image(r, fmt)
    assert dimensions(body) == (100, 63)
    assert r.headers.get("Vary") == "Accept"


def test_negotiated_format_for_png_with_alpha(server, ikey, media):
    r = fetch(server, ikey, "w:32", plain_source(media, "alpha.png"), {"Accept": "*/*"})
    img = decode(ok_image(r, "png"))
    assert img.mode in ("RGBA", "LA", "P") and img.convert("RGBA").getpixel((30, 5))[3] == 0
    assert r.headers.get("Vary") == "Accept"
    webp = fetch(server, ikey, "w:32", plain_source(media, "alpha.png"), {"Accept": "image/webp"})
    assert decode(ok_image(webp, "webp")).mode == "RGBA"


def test_fixed_format_does_not_vary(server, ikey, media):
    for accept in ("image/avif,image/webp,*/*", "*/*"):
        r = fetch(server, ikey, "w:100", plain_source(media, "glow.jpg", "webp"), {"Accept": accept})
        ok_image(r, "webp")
        assert "Vary" not in r.headers, r.headers
        f = fetch(server, ikey, "w:100/f:png", plain_source(media, "glow.jpg"), {"Accept": accept})
        ok_image(f, "png")
        assert "Vary" not in f.headers, f.headers
        imgix = get(server, imgix_path(ikey, media, "glow.jpg", "w=100&fm=webp"), {"Accept": accept})
        ok_image(imgix, "webp")
        assert "Vary" not in imgix.headers


def test_explicit_auto_format_negotiates(server, ikey, media):
    r = fetch(server, ikey, "w:100/f:auto", plain_source(media, "glow.jpg"), {"Accept": "image/webp"})
    ok_image(r, "webp")
    assert r.headers.get("Vary") == "Accept"
    imgix = get(server, imgix_path(ikey, media, "glow.jpg", "w=100&auto=format"),
                {"Accept": "image/avif,image/webp"})
    ok_image(imgix, "avif")
    assert imgix.headers.get("Vary") == "Accept"


def test_negotiated_variants_have_distinct_etags(server, ikey, media):
    src = plain_source(media, "glow.jpg")
    tags = {fetch(server, ikey, "w:90", src, {"Accept": a}).headers["ETag"]
            for a in ("image/avif", "image/webp", "*/*")}
    assert len(tags) == 3


@pytest.fixture(scope="module")
def source_format_server(tmp_path_factory):
    srv = start_image_server(tmp_path_factory.mktemp("img-source-format"),
                             ["--image-default-format", "source"])
    srv.client().create_bucket(Bucket="srcfmt")
    srv.client().put_object(Bucket="srcfmt", Key="glow.jpg", Body=GLOW_BYTES)
    yield srv
    srv.stop()


def test_default_format_source_keeps_the_source_format(source_format_server):
    srv = source_format_server
    key = read_image_key(srv.data_dir)
    r = get(srv, imgproxy_path(key, "/w:100/" + plain_source("srcfmt", "glow.jpg")),
            {"Accept": "image/avif,image/webp,*/*"})
    ok_image(r, "jpeg")
    assert "Vary" not in r.headers
    auto = get(srv, imgproxy_path(key, "/w:100/f:auto/" + plain_source("srcfmt", "glow.jpg")),
               {"Accept": "image/avif,image/webp,*/*"})
    ok_image(auto, "avif")
    assert auto.headers.get("Vary") == "Accept"


# --------------------------------------------------------------------------
# 4. Caching headers, conditional requests, result cache
# --------------------------------------------------------------------------

def test_etag_304_and_overwrite(server, ikey, s3, bucket):
    s3.put_object(Bucket=bucket, Key="k.jpg", Body=rgb_jpeg(60, 40, (10, 200, 10)))
    src = plain_source(bucket, "k.jpg", "png")
    first = fetch(server, ikey, "w:30", src)
    ok_image(first, "png")
    etag = first.headers["ETag"]
    assert re.fullmatch(r'"[^"]+"', etag), etag  # strong, quoted
    assert first.headers.get("X-Magpie-Cache") == "MISS"
    second = fetch(server, ikey, "w:30", src)
    assert second.headers.get("X-Magpie-Cache") == "HIT"
    assert second.headers["ETag"] == etag and second.content == first.content

    for inm in (etag, f'"nope", {etag}', f"W/{etag}", "*"):
        nm = fetch(server, ikey, "w:30", src, {"If-None-Match": inm})
        assert nm.status_code == 304, (inm, nm.status_code)
        assert nm.content == b""
        assert nm.headers.get("ETag") == etag
    assert fetch(server, ikey, "w:30", src, {"If-None-Match": '"other"'}).status_code == 200

    s3.put_object(Bucket=bucket, Key="k.jpg", Body=rgb_jpeg(60, 40, (200, 10, 10)))
    after = fetch(server, ikey, "w:30", src, {"If-None-Match": etag})
    body = ok_image(after, "png")
    assert after.headers["ETag"] != etag
    assert after.headers.get("X-Magpie-Cache") == "MISS"
    assert decode(body).convert("RGB").getpixel((15, 10))[0] > 150  # the new, red content


def test_head_has_headers_and_no_body(server, ikey, media):
    src = plain_source(media, "glow.jpg", "png")
    head = fetch(server, ikey, "w:40", src, method="HEAD")
    full = fetch(server, ikey, "w:40", src)
    assert head.status_code == 200 and head.content == b""
    assert head.headers["ETag"] == full.headers["ETag"]
    assert head.headers["Content-Type"] == "image/png"
    assert int(head.headers["Content-Length"]) == len(full.content)


def test_cache_control_last_modified_server_timing(server, ikey, s3, media):
    src = plain_source(media, "glow.jpg", "png")
    r = fetch(server, ikey, "w:40", src)
    ok_image(r, "png")
    assert r.headers["Cache-Control"] == "public, max-age=3600"
    lm = email.utils.parsedate_to_datetime(r.headers["Last-Modified"])
    stored = s3.head_object(Bucket=media, Key="glow.jpg")["LastModified"]
    assert abs((lm - stored).total_seconds()) < 1, (lm, stored)
    timing = r.headers["Server-Timing"]
    assert re.search(r"(^|, )total;dur=\d+(\.\d+)?", timing), timing

    busted = fetch(server, ikey, f"w:40/cb:{uuid.uuid4().hex}", src)
    ok_image(busted, "png")
    assert busted.headers["Cache-Control"] == "public, max-age=31536000, immutable"
    assert busted.headers["ETag"] != r.headers["ETag"]
    imgix = get(server, imgix_path(ikey, media, "glow.jpg", "w=40&fm=png&cb=7"))
    assert imgix.headers["Cache-Control"] == "public, max-age=31536000, immutable"


def test_version_pinned_source_is_immutable(server, ikey, s3, bucket):
    s3.put_bucket_versioning(Bucket=bucket, VersioningConfiguration={"Status": "Enabled"})
    v1 = s3.put_object(Bucket=bucket, Key="v.jpg", Body=rgb_jpeg(50, 40, (0, 0, 250)))["VersionId"]
    s3.put_object(Bucket=bucket, Key="v.jpg", Body=rgb_jpeg(50, 40, (250, 0, 0)))
    pinned = fetch(server, ikey, "w:20", plain_source(bucket, "v.jpg", "png", version=v1))
    img = decode(ok_image(pinned, "png")).convert("RGB")
    assert img.getpixel((10, 8))[2] > 200  # the old, blue version
    assert pinned.headers["Cache-Control"] == "public, max-age=31536000, immutable"
    latest = fetch(server, ikey, "w:20", plain_source(bucket, "v.jpg", "png"))
    assert decode(ok_image(latest, "png")).convert("RGB").getpixel((10, 8))[0] > 200
    assert latest.headers["Cache-Control"] == "public, max-age=3600"
    # fit=max is imgproxy's fit without enlarge: the same transformation, the same ETag.
    imgix = get(server, imgix_path(ikey, bucket, "v.jpg", f"w=20&fit=max&fm=png&versionId={v1}"))
    assert imgix.headers["Cache-Control"] == "public, max-age=31536000, immutable"
    assert imgix.headers["ETag"] == pinned.headers["ETag"]
    missing = fetch(server, ikey, "w:20", plain_source(bucket, "v.jpg", "png", version="nosuchversion"))
    assert_image_error(missing, 404, "source-not-found")


def test_content_disposition(server, ikey, media):
    src = plain_source(media, "glow.jpg", "png")
    base = fetch(server, ikey, "w:40", src)
    assert "Content-Disposition" not in base.headers
    named = fetch(server, ikey, "w:40/fn:sunset", src)
    assert named.headers["Content-Disposition"].startswith('inline; filename="sunset"')
    attached = fetch(server, ikey, "w:40/fn:sunset/att:1", src)
    assert attached.headers["Content-Disposition"].startswith('attachment; filename="sunset"')
    default_name = fetch(server, ikey, "w:40/att:1", src)
    assert default_name.headers["Content-Disposition"].startswith('attachment; filename="glow"')
    imgix = get(server, imgix_path(ikey, media, "glow.jpg", "w=40&fm=png&dl=evening.png"))
    assert imgix.headers["Content-Disposition"].startswith('attachment; filename="evening.png"')
    # Non-ASCII names: an ASCII fallback in filename, the UTF-8 bytes escaped in filename*.
    accented = get(server, imgix_path(ikey, media, "glow.jpg", "w=40&fm=png&dl=%C3%A9t%C3%A9"))
    assert accented.headers["Content-Disposition"] == "attachment; filename=\"_t_\"; filename*=UTF-8''%C3%A9t%C3%A9"
    # Headers only: same pixels, same cache entry.
    assert len({r.headers["ETag"] for r in (base, named, attached, default_name)}) == 1
    assert attached.content == base.content


# --------------------------------------------------------------------------
# 5. Metadata is stripped
# --------------------------------------------------------------------------

def test_source_photo_has_the_metadata_we_look_for():
    for marker in (b"Exif", b"SONY", b"http://ns.adobe.com/xap/"):
        assert marker in PHOTO_BYTES, marker


@pytest.mark.parametrize("ext,fmt", [("jpg", "jpeg"), ("webp", "webp"), ("avif", "avif")])
def test_metadata_stripped(server, ikey, media, ext, fmt):
    body = ok_image(fetch(server, ikey, "rs:fit:160:120", plain_source(media, "photo.jpg", ext)), fmt)
    for marker in (b"Exif", b"SONY", b"http://ns.adobe.com/xap/"):
        assert marker not in body, (fmt, marker)


def test_metadata_stripped_imgix(server, ikey, media):
    body = ok_image(get(server, imgix_path(ikey, media, "photo.jpg", "w=160&fm=jpg")), "jpeg")
    for marker in (b"Exif", b"SONY", b"http://ns.adobe.com/xap/"):
        assert marker not in body, marker


# --------------------------------------------------------------------------
# 6. EXIF orientation and animation
# --------------------------------------------------------------------------

@pytest.mark.parametrize("orientation", range(1, 9))
def test_exif_orientation_applied(server, ikey, media, orientation):
    stored = Image.open(io.BytesIO(oriented_jpeg(orientation)))
    assert stored.getexif().get(0x0112) == orientation
    expected = ImageOps.exif_transpose(stored)
    r = fetch(server, ikey, "w:30", plain_source(media, f"orient/{orientation}.jpg", "png"))
    out = decode(ok_image(r, "png"))
    assert out.size == ((30, 45) if orientation >= 5 else (30, 20))
    assert red_quadrant(out) == red_quadrant(expected), orientation
    jpeg = ok_image(fetch(server, ikey, "w:30", plain_source(media, f"orient/{orientation}.jpg", "jpg")), "jpeg")
    assert exif_orientation(jpeg) in (None, 1)  # never rotated twice by a viewer
    assert dimensions(jpeg) == out.size

    info = info_json(fetch(server, ikey, "info", plain_source(media, f"orient/{orientation}.jpg")))
    assert info["orientation"] == orientation
    assert (info["width"], info["height"]) == (60, 40)
    assert (info["oriented_width"], info["oriented_height"]) == ((40, 60) if orientation >= 5 else (60, 40))


def test_auto_rotate_off_keeps_stored_layout(server, ikey, media):
    r = fetch(server, ikey, "w:30/ar:0", plain_source(media, "orient/6.jpg", "png"))
    out = decode(ok_image(r, "png"))
    assert out.size == (30, 20)
    assert red_quadrant(out) == 0


@pytest.mark.parametrize("ext,accept,fmt", [("gif", None, "gif"), ("webp", None, "webp"),
                                            (None, "image/webp,*/*", "webp"),
                                            (None, "image/avif,image/webp", "webp"),
                                            (None, "image/avif", "gif"),
                                            (None, "*/*", "gif")])
def test_animated_gif_stays_animated(server, ikey, media, ext, accept, fmt):
    r = fetch(server, ikey, "w:20", plain_source(media, "anim.gif", ext), {"Accept": accept or "*/*"})
    body = ok_image(r, fmt)
    img = Image.open(io.BytesIO(body))
    assert img.size == (20, 15)
    assert frame_count(body) == 4
    assert getattr(img, "is_animated", False)
    frames = []
    for i in range(4):
        img.seek(i)
        frames.append(img.convert("RGB").getpixel((10, 10)))
    assert len(set(frames)) == 4, frames  # four different frames, not one repeated


# --------------------------------------------------------------------------
# 7. info endpoint
# --------------------------------------------------------------------------

def check_photo_info(info: dict):
    assert info["width"] == 4000 and info["height"] == 3000
    assert info["oriented_width"] == 4000 and info["oriented_height"] == 3000
    assert info["format"] == "jpeg"
    assert info["bytes"] == len(PHOTO_BYTES)
    assert info["alpha"] is False and info["animated"] is False and info["frames"] == 1
    assert info["orientation"] == 1
    assert info["color_space"] == "srgb"
    assert re.fullmatch(r"#[0-9a-f]{6}", info["dominant_color"]), info["dominant_color"]
    assert len(info["blurhash"]) == 28 and set(info["blurhash"]) <= BLURHASH_ALPHABET
    assert info["blurhash"][0] == "L"  # size flag for 4×3 components: (4-1) + (3-1)*9 = 21 → "L"
    assert len(base64.b64decode(info["thumbhash"])) >= 5


def test_info_imgproxy(server, ikey, media):
    r = fetch(server, ikey, "info", plain_source(media, "photo.jpg"))
    info = info_json(r)
    check_photo_info(info)


def test_info_imgix_matches_imgproxy(server, ikey, media):
    imgix = info_json(get(server, imgix_path(ikey, media, "photo.jpg", "fm=json")))
    check_photo_info(imgix)
    imgproxy = info_json(fetch(server, ikey, "info", plain_source(media, "photo.jpg")))
    assert imgix == imgproxy


def test_info_alpha_and_animation(server, ikey, media):
    alpha = info_json(fetch(server, ikey, "info", plain_source(media, "alpha.png")))
    assert (alpha["format"], alpha["alpha"], alpha["width"], alpha["height"]) == ("png", True, 64, 48)
    assert alpha["dominant_color"] == "#ff0000"  # the only opaque colour
    anim = info_json(fetch(server, ikey, "info", plain_source(media, "anim.gif")))
    assert (anim["format"], anim["animated"], anim["frames"]) == ("gif", True, 4)
    assert (anim["width"], anim["height"]) == (40, 30)  # one frame, not the strip


# --------------------------------------------------------------------------
# 8. Coalescing and metrics
# --------------------------------------------------------------------------

def test_concurrent_identical_requests_are_processed_once(server, ikey, media):
    src = plain_source(media, "photo.jpg", "webp")
    target = imgproxy_path(ikey, f"/rs:fit:160:120/cb:{uuid.uuid4().hex}/{src}")
    before = metrics(server)
    barrier = threading.Barrier(8)

    def one(_):
        barrier.wait(timeout=30)
        return get(server, target)

    with cf.ThreadPoolExecutor(8) as pool:
        responses = list(pool.map(one, range(8)))
    after = metrics(server)
    assert [r.status_code for r in responses] == [200] * 8
    assert len({r.content for r in responses}) == 1
    assert len({r.headers["ETag"] for r in responses}) == 1
    states = [r.headers.get("X-Magpie-Cache") for r in responses]
    assert states.count("MISS") == 1, states
    assert set(states) <= {"MISS", "HIT", "COALESCED"}, states
    processed = metric(after, "magpie_image_processed_total") - metric(before, "magpie_image_processed_total")
    coalesced = metric(after, "magpie_image_coalesced_total") - metric(before, "magpie_image_coalesced_total")
    assert processed == 1, processed
    assert coalesced >= 1 or "COALESCED" in states, (coalesced, states)
    assert coalesced == states.count("COALESCED"), (coalesced, states)


def test_result_and_cache_metrics(server, ikey, media):
    src = plain_source(media, "glow.jpg", "webp")
    options = f"w:48/cb:{uuid.uuid4().hex}"
    before = metrics(server)
    assert fetch(server, ikey, options, src).status_code == 200
    assert fetch(server, ikey, options, src).status_code == 200
    assert get(server, "/i/AAAA/" + options + "/" + src).status_code == 403
    after = metrics(server)

    def delta(name, **labels):
        return metric(after, name, **labels) - metric(before, name, **labels)

    assert delta("magpie_image_results_total", status="200", format="webp") == 2
    assert delta("magpie_image_results_total", status="403") == 1
    assert delta("magpie_image_cache_total", result="miss") == 1
    assert delta("magpie_image_cache_total", result="hit") == 1
    assert delta("magpie_image_processed_total") == 1
    for stage in ("transform", "encode"):
        assert delta("magpie_image_stage_seconds_count", stage=stage) == 1, stage


def test_queue_depth_gauge_is_zero_when_idle(server, ikey, media):
    assert fetch(server, ikey, f"w:24/cb:{uuid.uuid4().hex}", plain_source(media, "glow.jpg", "png")).status_code == 200
    samples = metrics(server)
    assert ("magpie_image_queue_depth", frozenset()) in samples
    assert samples[("magpie_image_queue_depth", frozenset())] == 0


# --------------------------------------------------------------------------
# 10. Unsigned modes
# --------------------------------------------------------------------------

@pytest.fixture(scope="module")
def unsigned_server(tmp_path_factory):
    srv = start_image_server(tmp_path_factory.mktemp("img-unsigned"),
                             ["--image-allow-unsigned", "--image-widths", "320,640"])
    srv.client().create_bucket(Bucket="open")
    srv.client().put_object(Bucket="open", Key="glow.jpg", Body=GLOW_BYTES)
    yield srv
    srv.stop()


@pytest.fixture(scope="module")
def presets_server(tmp_path_factory):
    srv = start_image_server(tmp_path_factory.mktemp("img-presets"),
                             ["--image-unsigned-presets-only",
                              "--image-preset", "thumb=rs:fill:100:100",
                              "--image-preset", "small=w:80/f:png"])
    srv.client().create_bucket(Bucket="pre")
    srv.client().put_object(Bucket="pre", Key="glow.jpg", Body=GLOW_BYTES)
    yield srv
    srv.stop()


def test_allow_unsigned_accepts_placeholders(unsigned_server):
    srv = unsigned_server
    for placeholder in ("insecure", "unsafe", "_"):
        r = get(srv, f"/i/{placeholder}/w:320/" + plain_source("open", "glow.jpg", "png"))
        assert dimensions(ok_image(r, "png")) == (320, 200), placeholder
    imgix = get(srv, "/a/open/glow.jpg?w=320&fm=png")
    assert dimensions(ok_image(imgix, "png")) == (320, 200)
    # A signature that is present but wrong is still refused.
    assert_image_error(get(srv, "/i/AAAAAAAA/w:320/" + plain_source("open", "glow.jpg", "png")),
                       403, "invalid-signature")


@pytest.mark.parametrize("width,snapped", [(500, 640), (100, 320), (320, 320), (2000, 640)])
def test_unsigned_widths_snap_up(unsigned_server, width, snapped):
    r = get(unsigned_server, f"/i/insecure/w:{width}/" + plain_source("open", "glow.jpg", "jpg"))
    assert dimensions(ok_image(r, "jpeg"))[0] == snapped


def test_signed_widths_do_not_snap(unsigned_server):
    key = read_image_key(unsigned_server.data_dir)
    r = get(unsigned_server, imgproxy_path(key, "/w:500/" + plain_source("open", "glow.jpg", "jpg")))
    assert dimensions(ok_image(r, "jpeg")) == (500, 313)
    imgix = get(unsigned_server, imgix_path(key, "open", "glow.jpg", "w=500&fm=jpg"))
    assert dimensions(ok_image(imgix, "jpeg")) == (500, 313)


def test_unsigned_imgix_width_snaps(unsigned_server):
    r = get(unsigned_server, "/a/open/glow.jpg?w=500&fm=jpg")
    assert dimensions(ok_image(r, "jpeg")) == (640, 400)


def test_presets_only_accepts_presets(presets_server):
    srv = presets_server
    r = get(srv, "/i/insecure/pr:thumb/" + plain_source("pre", "glow.jpg", "png"))
    assert dimensions(ok_image(r, "png")) == (100, 100)
    long_name = get(srv, "/i/insecure/preset:small/" + plain_source("pre", "glow.jpg"))
    assert dimensions(ok_image(long_name, "png")) == (80, 50)
    imgix = get(srv, "/a/pre/glow.jpg?preset=thumb", {"Accept": "*/*"})
    assert dimensions(ok_image(imgix, "jpeg")) == (100, 100)


def test_presets_only_refuses_free_options(presets_server):
    srv = presets_server
    assert_image_error(get(srv, "/i/insecure/w:100/" + plain_source("pre", "glow.jpg", "png")),
                       403, "presets-only")
    assert_image_error(get(srv, "/i/insecure/pr:thumb/w:300/" + plain_source("pre", "glow.jpg", "png")),
                       403, "presets-only")
    assert_image_error(get(srv, "/a/pre/glow.jpg?w=100"), 403, "presets-only")
    assert_image_error(get(srv, "/a/pre/glow.jpg?preset=thumb&w=300"), 403, "presets-only")
    assert_image_error(get(srv, "/i/insecure/pr:nope/" + plain_source("pre", "glow.jpg", "png")),
                       400, "unknown-preset")


def test_presets_only_still_accepts_signed_free_options(presets_server):
    key = read_image_key(presets_server.data_dir)
    r = get(presets_server, imgproxy_path(key, "/w:100/" + plain_source("pre", "glow.jpg", "png")))
    assert dimensions(ok_image(r, "png")) == (100, 63)
    signed_preset = get(presets_server, imgproxy_path(key, "/pr:thumb/w:50/" + plain_source("pre", "glow.jpg", "png")))
    assert dimensions(ok_image(signed_preset, "png")) == (50, 100)


def test_unknown_preset_is_400(server, ikey, media):
    assert_image_error(fetch(server, ikey, "pr:thumb", plain_source(media, "glow.jpg", "png")),
                       400, "unknown-preset")


# --------------------------------------------------------------------------
# 11. CLI
# --------------------------------------------------------------------------

def test_cli_image_url(server, media):
    p = run_magpie(["image", "url", f"s3://{media}/glow.jpg", "--w", "640", "--h", "480",
                    "--fit", "fill", "--gravity", "sm", "--format", "webp",
                    "--endpoint", server.endpoint, "--data-dir", str(server.data_dir)])
    url = p.stdout.decode().strip()
    assert url.startswith(server.endpoint + "/i/"), url
    assert "\n" not in url
    r = get(server, url[len(server.endpoint):])
    assert dimensions(ok_image(r, "webp")) == (640, 480)


def test_cli_image_url_awkward_key(server, s3, bucket):
    key = "my photos/été 2024.jpg"
    s3.put_object(Bucket=bucket, Key=key, Body=rgb_jpeg(90, 60))
    p = run_magpie(["image", "url", f"s3://{bucket}/{key}", "--w", "30", "--format", "png",
                    "--endpoint", server.endpoint, "--data-dir", str(server.data_dir)])
    url = p.stdout.decode().strip()
    assert " " not in url and url.isascii() and "%C3%A9t%C3%A9%202024.jpg" in url
    assert dimensions(ok_image(get(server, url[len(server.endpoint):]), "png")) == (30, 20)
    p = run_magpie(["image", "url", f"s3://{bucket}/{key}", "--w", "30", "--imgix",
                    "--endpoint", server.endpoint, "--data-dir", str(server.data_dir)])
    url = p.stdout.decode().strip()
    assert url.isascii() and f"/a/{bucket}/my%20photos/%C3%A9t%C3%A9%202024.jpg?" in url
    assert get(server, url[len(server.endpoint):]).status_code == 200


def test_cli_image_srcset(server, media):
    p = run_magpie(["image", "srcset", f"s3://{media}/glow.jpg", "--widths", "320,640",
                    "--endpoint", server.endpoint, "--data-dir", str(server.data_dir)])
    out = p.stdout.decode()
    lines = [line for line in out.splitlines() if re.match(r"^\d+w ", line)]
    assert [line.split()[0] for line in lines] == ["320w", "640w"], out
    for line in lines:
        width = int(line.split()[0][:-1])
        url = line.split()[1]
        r = get(server, url[len(server.endpoint):], {"Accept": "image/webp"})
        assert dimensions(ok_image(r, "webp"))[0] == width
    tag = out[out.index("<img"):]
    assert re.search(r'\ssrc="[^"]+"', tag) and 'sizes="' in tag, tag
    srcset = re.search(r'srcset="([^"]+)"', tag, re.S).group(1)
    candidates = [c.split() for c in srcset.split(",")]
    assert [c[1] for c in candidates] == ["320w", "640w"], srcset
    assert [c[0] for c in candidates] == [line.split()[1] for line in lines]


def rgb_png(width: int, height: int, colour) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (width, height), colour).save(out, "PNG")
    return out.getvalue()


def test_watermark_from_an_object(server, ikey, s3, bucket):
    """`wm:` with `wmu:` draws another object over the image; the result changes with the watermark
    object's content (its version is in the cache key); an SSE-C watermark is refused."""
    s3.put_object(Bucket=bucket, Key="base.png", Body=rgb_png(120, 80, (0, 0, 0)))
    s3.put_object(Bucket=bucket, Key="mark.png", Body=rgb_png(40, 40, (255, 255, 255)))
    src = plain_source(bucket, "base.png", "png")
    mark = b64url(f"s3://{bucket}/mark.png".encode())
    plain = ok_image(fetch(server, ikey, "w:120", src), "png")
    marked = fetch(server, ikey, f"w:120/wm:1:ce/wmu:{mark}", src)
    marked_bytes = ok_image(marked, "png")
    centre = decode(marked_bytes).convert("RGB").getpixel((60, 40))
    assert decode(plain).convert("RGB").getpixel((60, 40)) == (0, 0, 0)
    assert min(centre) > 200, centre  # the white mark is drawn in the middle
    s3.put_object(Bucket=bucket, Key="mark.png", Body=rgb_png(40, 40, (255, 0, 0)))
    remarked = fetch(server, ikey, f"w:120/wm:1:ce/wmu:{mark}", src)
    assert remarked.headers["ETag"] != marked.headers["ETag"]
    red = decode(ok_image(remarked, "png")).convert("RGB").getpixel((60, 40))
    assert red[0] > 200 and red[1] < 60 and red[2] < 60, red
    key = os.urandom(32)
    s3.put_object(Bucket=bucket, Key="secret-mark.png", Body=rgb_png(40, 40, (255, 255, 255)),
                  SSECustomerAlgorithm="AES256", SSECustomerKey=key)
    secret = b64url(f"s3://{bucket}/secret-mark.png".encode())
    assert_image_error(fetch(server, ikey, f"w:120/wm:1/wmu:{secret}", src), 403, "source-encrypted")
