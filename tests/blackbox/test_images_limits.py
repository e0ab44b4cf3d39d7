"""Image endpoint refusals: every one is JSON `{"error", "message", "request_id"}` with the same
reason in `X-Magpie-Error`, and the server keeps serving afterwards.

The session server has the default limits; two extra servers check the limit flags
(`--image-max-*`, `--image-timeout`) and the bounded queue (`--image-threads 1 --image-queue 0`).
"""

from __future__ import annotations

import concurrent.futures as cf
import json
import threading
import time
import uuid

import pytest
import requests

from conftest import empty_and_delete_bucket, unique_bucket_name
from helpers import http_request
from image_helpers import (GLOW, PHOTO, ImageKey, animated_gif, assert_image_error, dimensions,
                           get, hmac_sign, imgix_path, imgproxy_path, jpeg_bomb, metric, metrics,
                           plain_source, png_bomb, read_image_key, rgb_jpeg, sniff,
                           start_image_server)

GLOW_BYTES = GLOW.read_bytes()

SVG = (b'<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg" width="100" height="100">'
       b'<rect width="100" height="100" fill="red"/></svg>\n')
PDF = (b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[]/Count 0>>"
       b"endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n")


@pytest.fixture(scope="module")
def ikey(server) -> ImageKey:
    return read_image_key(server.data_dir)


@pytest.fixture(scope="module")
def sources(s3):
    name = unique_bucket_name("lim")
    s3.create_bucket(Bucket=name)
    s3.put_object(Bucket=name, Key="glow.jpg", Body=GLOW_BYTES)
    s3.put_object(Bucket=name, Key="small.jpg", Body=rgb_jpeg(60, 40))
    s3.put_object(Bucket=name, Key="notes.txt", Body=b"just some text, not an image\n" * 10,
                  ContentType="text/plain")
    s3.put_object(Bucket=name, Key="drawing.svg", Body=SVG, ContentType="image/svg+xml")
    s3.put_object(Bucket=name, Key="doc.pdf", Body=PDF, ContentType="application/pdf")
    s3.put_object(Bucket=name, Key="empty.jpg", Body=b"", ContentType="image/jpeg")
    s3.put_object(Bucket=name, Key="bomb.png", Body=png_bomb(30000, 30000), ContentType="image/png")
    s3.put_object(Bucket=name, Key="bomb.jpg", Body=jpeg_bomb(60000, 60000), ContentType="image/jpeg")
    s3.put_object(Bucket=name, Key="long.gif", Body=animated_gif(frames=120, width=8, height=8))
    yield name
    empty_and_delete_bucket(s3, name)


def fetch(server, ikey, options: str, source: str, headers=None):
    path = "/" + (options.strip("/") + "/" if options.strip("/") else "") + source
    return get(server, imgproxy_path(ikey, path), headers)


def assert_serving(server, ikey, bucket):
    """A normal request still works: the refusal did not break the process."""
    assert server.proc.poll() is None, "the server exited"
    r = fetch(server, ikey, f"w:20/cb:{uuid.uuid4().hex}", plain_source(bucket, "small.jpg", "png"))
    assert r.status_code == 200, (r.status_code, r.content[:300])
    assert sniff(r.content) == "png" and dimensions(r.content) == (20, 13)


# --------------------------------------------------------------------------
# Signatures
# --------------------------------------------------------------------------

def test_error_body_matches_headers(server, ikey, sources):
    r = get(server, "/i/AAAA/w:10/" + plain_source(sources, "glow.jpg", "png"))
    body = assert_image_error(r, 403, "invalid-signature")
    assert set(body) == {"error", "message", "request_id"}
    assert body["request_id"] == r.headers.get("x-amz-request-id")
    assert r.headers.get("Cache-Control") == "no-store"


def test_invalid_signatures(server, ikey, sources):
    path = "/w:10/" + plain_source(sources, "glow.jpg", "png")
    good = hmac_sign(ikey, path)
    other_key = ImageKey(b"another key", ikey.salt)
    no_salt = ImageKey(ikey.key, b"")
    for sig in (good[:-4],                                   # truncated
                good[:10] + ("A" if good[10] != "A" else "B") + good[11:],
                hmac_sign(ikey, "/w:11/" + plain_source(sources, "glow.jpg", "png")),
                hmac_sign(other_key, path),
                hmac_sign(no_salt, path),
                "not*base64!",
                "A" * 43):
        assert_image_error(get(server, f"/i/{sig}{path}"), 403, "invalid-signature")
    # Signing the percent-decoded path does not match what was sent.
    encoded = "/w:10/" + plain_source(sources, "glow.jpg", "png").replace("glow", "gl%6Fw")
    assert_image_error(get(server, f"/i/{hmac_sign(ikey, path)}{encoded}"), 403, "invalid-signature")
    assert get(server, imgproxy_path(ikey, encoded)).status_code == 200
    assert_serving(server, ikey, sources)


@pytest.mark.parametrize("placeholder", ["insecure", "unsafe", "_"])
def test_unsigned_refused_without_flag(server, sources, placeholder):
    r = get(server, f"/i/{placeholder}/w:10/" + plain_source(sources, "glow.jpg", "png"))
    assert_image_error(r, 403, "missing-signature")


def test_unsigned_imgix_refused_without_flag(server, sources):
    assert_image_error(get(server, f"/a/{sources}/glow.jpg?w=10"), 403, "missing-signature")
    assert_image_error(get(server, f"/a/{sources}/glow.jpg"), 403, "missing-signature")
    assert_image_error(get(server, f"/a/{sources}/glow.jpg?w=10&s=AAAA"), 403, "invalid-signature")


def test_expired(server, ikey, sources):
    past = int(time.time()) - 5
    assert_image_error(fetch(server, ikey, f"w:10/exp:{past}", plain_source(sources, "glow.jpg", "png")),
                       403, "expired")
    assert_image_error(get(server, imgix_path(ikey, sources, "glow.jpg", f"w=10&expires={past}")),
                       403, "expired")


def test_expired_is_checked_after_the_signature(server, sources):
    past = int(time.time()) - 5
    r = get(server, f"/i/AAAA/w:10/exp:{past}/" + plain_source(sources, "glow.jpg", "png"))
    assert_image_error(r, 403, "invalid-signature")


# --------------------------------------------------------------------------
# Grammar
# --------------------------------------------------------------------------

@pytest.mark.parametrize("options", [
    "w:abc", "w:-1", "h:1.5", "q:101", "rot:45", "dpr:6", "dpr:0", "rs:bogus:10:10",
    "g:bogus", "bg:zz", "bg:1:2", "fl:maybe", "bl:-1", "c:x", "pd:a", "exp:soon",
    "fq:jpg", "el:2", "z:0", "f:bmp",
])
def test_invalid_imgproxy_options(server, ikey, sources, options):
    r = fetch(server, ikey, options, plain_source(sources, "glow.jpg", "png"))
    body = assert_image_error(r, 400, "invalid-option")
    assert len(body["message"]) < 200


def test_invalid_extension(server, ikey, sources):
    assert_image_error(fetch(server, ikey, "w:10", plain_source(sources, "glow.jpg", "bmp")),
                       400, "invalid-option")


@pytest.mark.parametrize("options", ["foo:1", "width2:10", "resize_type:fit"])
def test_unknown_imgproxy_options(server, ikey, sources, options):
    r = fetch(server, ikey, options, plain_source(sources, "glow.jpg", "png"))
    assert_image_error(r, 400, "unknown-option")


@pytest.mark.parametrize("query", [
    "w=abc", "w=-5", "fit=bogus", "fm=bmp", "q=101", "flip=x", "crop=faces", "rot=400",
    "ar=16x9&fit=crop&w=10", "rect=1,2,3", "blur=5000", "dpr=9", "bg=nothex", "auto=magic",
])
def test_invalid_imgix_parameters(server, ikey, sources, query):
    assert_image_error(get(server, imgix_path(ikey, sources, "glow.jpg", query)), 400, "invalid-option")


@pytest.mark.parametrize("query", ["bogus=1", "width=10", "w=10&fm=png&h2=3"])
def test_unknown_imgix_parameters(server, ikey, sources, query):
    r = get(server, imgix_path(ikey, sources, "glow.jpg", query))
    assert_image_error(r, 400, "unknown-option")


@pytest.mark.parametrize("source", [
    "enc/abcdef", "plain/ftp://host/x.jpg", "plain/s3://bucketonly", "plain/s3:///key.jpg",
    "not*base64*at*all", "plain/s3://b/k@png@jpg", "plain/s3://b/bad%zzescape.jpg",
])
def test_invalid_sources(server, ikey, source):
    # Raw http.client: urllib3 would "repair" the malformed %zz escape before sending.
    raw = http_request(server.host, server.port, "GET", imgproxy_path(ikey, "/w:10/" + source))
    assert raw.status == 400, raw
    assert raw.header("X-Magpie-Error") == "invalid-source", raw
    assert json.loads(raw.body)["error"] == "invalid-source"


def test_remote_source_refused(server, ikey):
    r = fetch(server, ikey, "w:10", "plain/https://example.com/a.jpg@png")
    assert_image_error(r, 403, "remote-source-disabled")


@pytest.mark.parametrize("method", ["POST", "PUT", "DELETE"])
def test_method_not_allowed(server, ikey, sources, method):
    r = requests.request(method, server.endpoint + imgproxy_path(ikey, "/w:10/" + plain_source(sources, "glow.jpg", "png")),
                         data=b"x" if method != "DELETE" else None, timeout=30)
    assert_image_error(r, 405, "method-not-allowed")
    # The object itself is untouched.
    assert fetch(server, ikey, "w:10", plain_source(sources, "glow.jpg", "png")).status_code == 200


# --------------------------------------------------------------------------
# Sources
# --------------------------------------------------------------------------

def test_source_not_found(server, ikey, sources):
    assert_image_error(fetch(server, ikey, "w:10", plain_source(sources, "missing.jpg", "png")),
                       404, "source-not-found")
    assert_image_error(fetch(server, ikey, "info", plain_source(sources, "missing.jpg")),
                       404, "source-not-found")
    assert_image_error(get(server, imgix_path(ikey, sources, "missing.jpg", "w=10")),
                       404, "source-not-found")


def test_missing_bucket_is_source_not_found(server, ikey):
    bucket = unique_bucket_name("nobucket")
    assert_image_error(fetch(server, ikey, "w:10", plain_source(bucket, "a.jpg", "png")),
                       404, "source-not-found")
    assert_image_error(get(server, imgix_path(ikey, bucket, "a.jpg", "w=10")), 404, "source-not-found")
    assert_image_error(fetch(server, ikey, "w:10", plain_source("Invalid_Bucket!", "a.jpg", "png")),
                       404, "source-not-found")


def test_deleted_source_is_not_found(server, ikey, s3, bucket):
    s3.put_object(Bucket=bucket, Key="gone.jpg", Body=rgb_jpeg(30, 20))
    src = plain_source(bucket, "gone.jpg", "png")
    assert fetch(server, ikey, "w:10", src).status_code == 200
    s3.delete_object(Bucket=bucket, Key="gone.jpg")
    # Not served from the result cache once the source is gone.
    assert_image_error(fetch(server, ikey, "w:10", src), 404, "source-not-found")


@pytest.mark.parametrize("key", ["notes.txt", "drawing.svg", "doc.pdf", "empty.jpg"])
def test_non_images_unsupported(server, ikey, sources, key):
    assert_image_error(fetch(server, ikey, "w:10", plain_source(sources, key, "png")),
                       422, "source-format-unsupported")
    assert_image_error(fetch(server, ikey, "info", plain_source(sources, key)),
                       422, "source-format-unsupported")


@pytest.mark.parametrize("key,pixels", [("bomb.png", 30000 * 30000), ("bomb.jpg", 60000 * 60000)])
def test_decompression_bombs_refused(server, ikey, sources, key, pixels):
    before = metrics(server)
    for target in (imgproxy_path(ikey, "/w:10/" + plain_source(sources, key, "png")),
                   imgproxy_path(ikey, "/info/" + plain_source(sources, key)),
                   imgix_path(ikey, sources, key, "w=10&fm=png")):
        body = assert_image_error(get(server, target, timeout=30), 422, "source-resolution-limit")
        assert str(pixels) in body["message"], body
    after = metrics(server)
    assert metric(after, "magpie_image_results_total", status="422") - \
        metric(before, "magpie_image_results_total", status="422") == 3
    assert_serving(server, ikey, sources)


def test_too_many_frames(server, ikey, sources):
    body = assert_image_error(fetch(server, ikey, "w:4", plain_source(sources, "long.gif", "gif")),
                              422, "source-frames-limit")
    assert "120" in body["message"] and "100" in body["message"]
    assert_image_error(fetch(server, ikey, "info", plain_source(sources, "long.gif")),
                       422, "source-frames-limit")


@pytest.mark.parametrize("options", ["w:9000/el:1", "h:9000/el:1", "w:8200/h:10/rt:force/el:1",
                                     "z:4/el:1", "dpr:5/w:2000/el:1", "pd:5000",
                                     "w:10/pd:0:8200", "rs:fit:9000:9000:0:1", "mw:9000"])
def test_result_too_large(server, ikey, sources, options):
    r = fetch(server, ikey, options, plain_source(sources, "glow.jpg", "jpg"))
    body = assert_image_error(r, 422, "result-dimension-limit")
    assert "8192" in body["message"]


def test_large_width_without_enlarge_is_not_refused(server, ikey, sources):
    # w:9000 without el:1 is not enlarged: the source size comes back, no refusal.
    r = fetch(server, ikey, "w:9000/q:1", plain_source(sources, "small.jpg", "jpg"))
    assert r.status_code == 200 and dimensions(r.content) == (60, 40)


def test_server_keeps_serving_after_bad_input(server, ikey, sources):
    junk = ["/i/", "/i/x", "/i//", "/i/AAAA/", "/i/AAAA/plain/", "/a/", "/a/x", "/a//k",
            "/i/" + "A" * 5000 + "/w:1/plain/s3://a/b", "/a/b/k?" + "w=1&" * 2000,
            "/i/insecure/" + "w:1/" * 500 + "plain/s3://a/b"]
    for target in junk:
        r = get(server, target)
        assert r.status_code in (400, 403), (target[:80], r.status_code)
        assert r.headers.get("X-Magpie-Error") == r.json()["error"], (target[:80], r.headers)
    assert server.health_ok()
    assert_serving(server, ikey, sources)


# --------------------------------------------------------------------------
# Limit flags
# --------------------------------------------------------------------------

@pytest.fixture(scope="module")
def tight(tmp_path_factory):
    srv = start_image_server(tmp_path_factory.mktemp("img-tight"), [
        "--image-max-frames", "3", "--image-max-source-mp", "5", "--image-max-side", "500",
        "--image-max-source-mib", "1"])
    c = srv.client()
    c.create_bucket(Bucket="tight")
    c.put_object(Bucket="tight", Key="glow.jpg", Body=GLOW_BYTES)          # 4.1 MP, 0.6 MiB
    c.put_object(Bucket="tight", Key="photo.jpg", Body=PHOTO.read_bytes())  # 4.2 MB > 1 MiB
    c.put_object(Bucket="tight", Key="small.jpg", Body=rgb_jpeg(60, 40))
    c.put_object(Bucket="tight", Key="mid.jpg", Body=rgb_jpeg(600, 400))
    c.put_object(Bucket="tight", Key="six.png", Body=png_bomb(3000, 2000))  # claims 6 MP
    c.put_object(Bucket="tight", Key="four.gif", Body=animated_gif(frames=4))
    c.put_object(Bucket="tight", Key="three.gif", Body=animated_gif(frames=3))
    yield srv, read_image_key(srv.data_dir)
    srv.stop()


def test_max_frames_flag(tight):
    srv, key = tight
    body = assert_image_error(get(srv, imgproxy_path(key, "/w:20/" + plain_source("tight", "four.gif", "gif"))),
                              422, "source-frames-limit")
    assert "4" in body["message"] and "3" in body["message"], body
    ok = get(srv, imgproxy_path(key, "/w:20/" + plain_source("tight", "three.gif", "gif")))
    assert ok.status_code == 200 and sniff(ok.content) == "gif"


def test_max_source_mp_flag(tight):
    srv, key = tight
    body = assert_image_error(get(srv, imgproxy_path(key, "/w:20/" + plain_source("tight", "six.png", "png"))),
                              422, "source-resolution-limit")
    assert "5000000" in body["message"], body
    ok = get(srv, imgproxy_path(key, "/w:20/" + plain_source("tight", "glow.jpg", "png")))
    assert ok.status_code == 200 and dimensions(ok.content) == (20, 13)


def test_max_source_mib_flag(tight):
    srv, key = tight
    assert_image_error(get(srv, imgproxy_path(key, "/w:20/" + plain_source("tight", "photo.jpg", "png"))),
                       422, "source-size-limit")
    assert_image_error(get(srv, imgproxy_path(key, "/info/" + plain_source("tight", "photo.jpg"))),
                       422, "source-size-limit")


def test_max_side_flag(tight):
    srv, key = tight
    body = assert_image_error(get(srv, imgproxy_path(key, "/w:501/el:1/" + plain_source("tight", "mid.jpg", "jpg"))),
                              422, "result-dimension-limit")
    assert "500" in body["message"]
    ok = get(srv, imgproxy_path(key, "/w:500/el:1/" + plain_source("tight", "mid.jpg", "jpg")))
    assert ok.status_code == 200 and dimensions(ok.content)[0] == 500


@pytest.fixture(scope="module")
def impatient(tmp_path_factory):
    srv = start_image_server(tmp_path_factory.mktemp("img-timeout"), ["--image-timeout", "1"])
    c = srv.client()
    c.create_bucket(Bucket="slow")
    c.put_object(Bucket="slow", Key="glow.jpg", Body=GLOW_BYTES)
    c.put_object(Bucket="slow", Key="small.jpg", Body=rgb_jpeg(60, 40))
    yield srv, read_image_key(srv.data_dir)
    srv.stop()


def test_timeout_flag(impatient):
    srv, key = impatient
    # A full-size sigma-60 blur of 4 MP takes several seconds; the 1 s budget stops it.
    r = get(srv, imgproxy_path(key, "/bl:60/" + plain_source("slow", "glow.jpg", "png")), timeout=60)
    assert_image_error(r, 422, "processing-timeout")
    ok = get(srv, imgproxy_path(key, "/w:20/" + plain_source("slow", "small.jpg", "png")))
    assert ok.status_code == 200 and dimensions(ok.content) == (20, 13)


# --------------------------------------------------------------------------
# Bounded queue
# --------------------------------------------------------------------------

@pytest.fixture(scope="module")
def one_thread(tmp_path_factory):
    srv = start_image_server(tmp_path_factory.mktemp("img-queue"),
                             ["--image-threads", "1", "--image-queue", "0"])
    c = srv.client()
    c.create_bucket(Bucket="queue")
    c.put_object(Bucket="queue", Key="photo.jpg", Body=PHOTO.read_bytes())
    c.put_object(Bucket="queue", Key="small.jpg", Body=rgb_jpeg(60, 40))
    yield srv, read_image_key(srv.data_dir)
    srv.stop()


def test_queue_full_is_429_with_retry_after(one_thread):
    srv, key = one_thread
    targets = [imgproxy_path(key, f"/rs:fit:300:300/bl:10/cb:{uuid.uuid4().hex}/"
                                  + plain_source("queue", "photo.jpg", "jpg")) for _ in range(8)]
    barrier = threading.Barrier(len(targets))

    def one(target):
        barrier.wait(timeout=30)
        return get(srv, target, timeout=60)

    with cf.ThreadPoolExecutor(len(targets)) as pool:
        responses = list(pool.map(one, targets))
    statuses = sorted(r.status_code for r in responses)
    assert set(statuses) <= {200, 429}, statuses
    assert 200 in statuses and 429 in statuses, statuses
    for r in responses:
        if r.status_code == 429:
            assert_image_error(r, 429, "queue-full")
            assert r.headers.get("Retry-After", "").isdigit(), r.headers
            assert int(r.headers["Retry-After"]) >= 1
        else:
            assert sniff(r.content) == "jpeg" and dimensions(r.content) == (300, 225)
    # Once the burst is over, work is admitted again.
    after = get(srv, imgproxy_path(key, "/w:20/" + plain_source("queue", "small.jpg", "png")))
    assert after.status_code == 200 and dimensions(after.content) == (20, 13)
    refused = metric(metrics(srv), "magpie_image_results_total", status="429")
    assert refused == statuses.count(429)

