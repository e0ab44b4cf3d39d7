"""Authentication: SigV4 header and query auth, SigV2, aws-chunked signed
streaming, clock skew, expiry, anonymous access, Expect: 100-continue."""

import datetime as dt
import hashlib
import os
import socket
import time

import pytest
import requests

import helpers as h
from conftest import make_client
from helpers import Creds, expect_error, object_path


@pytest.fixture
def obj(s3, bucket):
    s3.put_object(Bucket=bucket, Key="secret.txt", Body=b"top secret")
    return bucket, "secret.txt"


# ---- wrong / unknown credentials ---------------------------------------------

def test_wrong_secret_is_signature_does_not_match(server, obj):
    bad = make_client(server.endpoint, Creds(server.access_key, server.secret_key + "x"))
    expect_error(bad.get_object, "SignatureDoesNotMatch", 403, Bucket=obj[0], Key=obj[1])
    expect_error(bad.list_buckets, "SignatureDoesNotMatch", 403)
    expect_error(bad.put_object, "SignatureDoesNotMatch", 403, Bucket=obj[0], Key="w", Body=b"x")


def test_unknown_access_key_is_invalid_access_key_id(server, obj):
    bad = make_client(server.endpoint, Creds("AKIAUNKNOWNKEY000000", "whatever"))
    expect_error(bad.get_object, "InvalidAccessKeyId", 403, Bucket=obj[0], Key=obj[1])
    expect_error(bad.list_buckets, "InvalidAccessKeyId", 403)


def test_sigv2_wrong_secret_and_unknown_key(server, obj):
    bad = make_client(server.endpoint, Creds(server.access_key, "wrong"), signature_version="s3")
    expect_error(bad.get_object, "SignatureDoesNotMatch", 403, Bucket=obj[0], Key=obj[1])
    unk = make_client(server.endpoint, Creds("AKIAUNKNOWNKEY000000", "x"), signature_version="s3")
    expect_error(unk.get_object, "InvalidAccessKeyId", 403, Bucket=obj[0], Key=obj[1])


def test_tampered_signed_request_is_rejected(signer, obj):
    # sign a GET for one key, send it for another
    path = object_path(obj[0], obj[1])
    signed = h.sign_v4_headers("GET", path, [], {"Host": signer.host_header}, h.EMPTY_SHA256,
                               signer.creds)
    r = h.http_request(signer.host, signer.port, "GET", object_path(obj[0], "other"), signed.headers)
    assert r.status == 403, r
    assert r.error.get("Code") == "SignatureDoesNotMatch", r


# ---- anonymous ---------------------------------------------------------------

@pytest.mark.parametrize("method,path_fmt", [
    ("GET", "/"),
    ("GET", "/{b}"),
    ("GET", "/{b}/secret.txt"),
    ("HEAD", "/{b}/secret.txt"),
    ("PUT", "/{b}/anon.txt"),
    ("DELETE", "/{b}/secret.txt"),
    ("PUT", "/anon-bucket-creation-attempt"),
])
def test_anonymous_is_access_denied(server, obj, s3, method, path_fmt):
    path = path_fmt.format(b=obj[0])
    r = h.http_request(server.host, server.port, method, path,
                       body=b"anon" if method == "PUT" else None)
    assert r.status == 403, r
    if method != "HEAD":
        assert r.error.get("Code") == "AccessDenied", r
    assert s3.get_object(Bucket=obj[0], Key=obj[1])["Body"].read() == b"top secret"
    expect_error(s3.head_object, "404", 404, Bucket=obj[0], Key="anon.txt")


# ---- clock skew / expiry -----------------------------------------------------

@pytest.mark.parametrize("minutes", [-20, 20])
def test_skewed_clock_is_request_time_too_skewed(signer, obj, minutes):
    when = h.utcnow() + dt.timedelta(minutes=minutes)
    r = signer.request("GET", object_path(*obj), when=when)
    assert r.status == 403, r
    assert r.error.get("Code") == "RequestTimeTooSkewed", r


def test_small_clock_skew_is_accepted(signer, obj):
    r = signer.request("GET", object_path(*obj), when=h.utcnow() - dt.timedelta(minutes=5))
    assert r.status == 200, r
    assert r.body == b"top secret"


def test_boto3_signer_with_skewed_clock(server, obj, monkeypatch):
    # sign with botocore's own SigV4 signer, its clock 20 minutes behind
    import botocore.auth
    from botocore.compat import get_current_datetime

    def skewed(remove_tzinfo=True):
        return get_current_datetime(remove_tzinfo) - dt.timedelta(minutes=20)

    monkeypatch.setattr(botocore.auth, "get_current_datetime", skewed)
    c = make_client(server.endpoint, server.creds, retries={"max_attempts": 1})
    expect_error(c.get_object, "RequestTimeTooSkewed", 403, Bucket=obj[0], Key=obj[1])


def test_presigned_v4_own_signer_works(signer, obj):
    target = h.presign_v4("GET", signer.host_header, object_path(*obj), signer.creds, 300)
    r = h.http_request(signer.host, signer.port, "GET", target)
    assert r.status == 200, r
    assert r.body == b"top secret"


def test_expired_presigned_url_is_access_denied(signer, obj):
    when = h.utcnow() - dt.timedelta(hours=2)
    target = h.presign_v4("GET", signer.host_header, object_path(*obj), signer.creds, 3600, when=when)
    r = h.http_request(signer.host, signer.port, "GET", target)
    assert r.status == 403, r
    assert r.error.get("Code") == "AccessDenied", r
    assert "Request has expired" in r.error.get("Message", ""), r


def test_presigned_expires_over_a_week_is_rejected(signer, obj):
    target = h.presign_v4("GET", signer.host_header, object_path(*obj), signer.creds, 604801)
    r = h.http_request(signer.host, signer.port, "GET", target)
    assert r.status == 400, r
    assert r.error.get("Code") == "AuthorizationQueryParametersError", r


def test_presigned_exactly_a_week_is_accepted(signer, obj):
    target = h.presign_v4("GET", signer.host_header, object_path(*obj), signer.creds, 604800)
    r = h.http_request(signer.host, signer.port, "GET", target)
    assert r.status == 200, r


def test_presigned_tampered_signature(signer, obj):
    target = h.presign_v4("GET", signer.host_header, object_path(*obj), signer.creds, 300)
    sig = target[-64:]
    bad = target[:-64] + ("0" if sig[0] != "0" else "1") + sig[1:]
    r = h.http_request(signer.host, signer.port, "GET", bad)
    assert r.status == 403, r
    assert r.error.get("Code") == "SignatureDoesNotMatch", r


def test_presigned_for_other_key_is_rejected(signer, obj):
    target = h.presign_v4("GET", signer.host_header, object_path(*obj), signer.creds, 300)
    other = target.replace("secret.txt", "secret.tx2", 1)
    r = h.http_request(signer.host, signer.port, "GET", other)
    assert r.status == 403, r
    assert r.error.get("Code") == "SignatureDoesNotMatch", r


# ---- SigV2 -------------------------------------------------------------------

def test_sigv2_header_auth_full_cycle(s3_v2):
    import uuid
    b = f"mp-v2-{uuid.uuid4().hex[:12]}"
    s3_v2.create_bucket(Bucket=b)
    try:
        s3_v2.put_object(Bucket=b, Key="a b/ü+%.txt", Body=b"v2 body", ContentType="text/plain",
                         Metadata={"k": "v"})
        got = s3_v2.get_object(Bucket=b, Key="a b/ü+%.txt")
        assert got["Body"].read() == b"v2 body"
        assert got["Metadata"] == {"k": "v"}
        assert [o["Key"] for o in s3_v2.list_objects(Bucket=b, Prefix="a b/")["Contents"]] == ["a b/ü+%.txt"]
        s3_v2.delete_object(Bucket=b, Key="a b/ü+%.txt")
    finally:
        s3_v2.delete_bucket(Bucket=b)


def test_sigv2_presigned_get_and_put(s3_v2, s3, bucket):
    s3.put_object(Bucket=bucket, Key="v2.txt", Body=b"presigned v2")
    url = s3_v2.generate_presigned_url("get_object", Params={"Bucket": bucket, "Key": "v2.txt"},
                                       ExpiresIn=300)
    assert "Signature=" in url and "AWSAccessKeyId=" in url
    r = requests.get(url, timeout=30)
    assert r.status_code == 200, r.text
    assert r.content == b"presigned v2"
    put_url = s3_v2.generate_presigned_url("put_object", Params={"Bucket": bucket, "Key": "v2up.txt"},
                                           ExpiresIn=300)
    r = requests.put(put_url, data=b"uploaded via v2 presign", timeout=30)
    assert r.status_code == 200, r.text
    assert s3.get_object(Bucket=bucket, Key="v2up.txt")["Body"].read() == b"uploaded via v2 presign"


def test_sigv2_presigned_expired(s3_v2, s3, bucket):
    s3.put_object(Bucket=bucket, Key="v2.txt", Body=b"x")
    url = s3_v2.generate_presigned_url("get_object", Params={"Bucket": bucket, "Key": "v2.txt"},
                                       ExpiresIn=-60)
    r = requests.get(url, timeout=30)
    assert r.status_code == 403, r.text
    err = h.parse_error(r.content)
    assert err.get("Code") == "AccessDenied", r.text
    assert "Request has expired" in err.get("Message", ""), r.text


# ---- canonical query ---------------------------------------------------------

def test_signed_query_with_characters_needing_encoding(signer, s3, bucket):
    key = "q/a b+c=d&e~f*g'h(i)!j"
    s3.put_object(Bucket=bucket, Key=key, Body=b"")
    r = signer.request("GET", f"/{bucket}", query=[("list-type", "2"), ("prefix", "q/a b+c=d&e~f*"),
                                                  ("delimiter", "/"), ("max-keys", "10")])
    assert r.status == 200, r
    assert h.find_text(h.xml_root(r.body), "Key") == key


# ---- aws-chunked signed streaming ---------------------------------------------

def _chunked_put(signer, bucket, key, data, chunk=65536, corrupt_chunk=None):
    chunks = [data[i:i + chunk] for i in range(0, len(data), chunk)]
    length = h.aws_chunked_signed_length([len(c) for c in chunks])
    headers = {"Host": signer.host_header, "Content-Encoding": "aws-chunked",
               "x-amz-decoded-content-length": str(len(data)), "Content-Length": str(length),
               "Content-Type": "application/octet-stream"}
    path = object_path(bucket, key)
    signed = h.sign_v4_headers("PUT", path, [], headers, h.STREAMING_SIGNED, signer.creds)
    body = h.aws_chunked_signed_body(chunks, signed, corrupt_chunk=corrupt_chunk)
    assert len(body) == length
    return h.http_request(signer.host, signer.port, "PUT", path, signed.headers, body)


def test_aws_chunked_signed_upload(signer, s3, bucket):
    data = os.urandom(65536 * 2 + 500)
    r = _chunked_put(signer, bucket, "chunked.bin", data)
    assert r.status == 200, r
    assert r.header("ETag") == f'"{hashlib.md5(data).hexdigest()}"'
    got = s3.get_object(Bucket=bucket, Key="chunked.bin")
    assert got["Body"].read() == data
    assert got["ContentLength"] == len(data)
    assert got.get("ContentEncoding") in (None, ""), "aws-chunked must not be stored"
    assert got["ContentType"] == "application/octet-stream"


def test_aws_chunked_signed_small_single_chunk(signer, s3, bucket):
    r = _chunked_put(signer, bucket, "tiny", b"tiny payload")
    assert r.status == 200, r
    assert s3.get_object(Bucket=bucket, Key="tiny")["Body"].read() == b"tiny payload"


@pytest.mark.parametrize("corrupt", [0, 1, 2])
def test_aws_chunked_corrupted_chunk_is_rejected_and_nothing_stored(signer, s3, bucket, corrupt):
    s3.put_object(Bucket=bucket, Key="existing", Body=b"original content")
    data = os.urandom(65536 * 2 + 100)
    r = _chunked_put(signer, bucket, "new-key", data, corrupt_chunk=corrupt)
    assert r.status == 403, r
    assert r.error.get("Code") == "SignatureDoesNotMatch", r
    expect_error(s3.head_object, "404", 404, Bucket=bucket, Key="new-key")
    r = _chunked_put(signer, bucket, "existing", data, corrupt_chunk=corrupt)
    assert r.status == 403, r
    assert s3.get_object(Bucket=bucket, Key="existing")["Body"].read() == b"original content"


def test_aws_chunked_decoded_length_mismatch_rejected(signer, s3, bucket):
    data = os.urandom(1000)
    chunks = [data]
    length = h.aws_chunked_signed_length([len(data)])
    headers = {"Host": signer.host_header, "Content-Encoding": "aws-chunked",
               "x-amz-decoded-content-length": str(len(data) + 5), "Content-Length": str(length)}
    path = object_path(bucket, "mismatch")
    signed = h.sign_v4_headers("PUT", path, [], headers, h.STREAMING_SIGNED, signer.creds)
    r = h.http_request(signer.host, signer.port, "PUT", path, signed.headers,
                       h.aws_chunked_signed_body(chunks, signed))
    assert 400 <= r.status < 500, r
    expect_error(s3.head_object, "404", 404, Bucket=bucket, Key="mismatch")


# ---- Expect: 100-continue -----------------------------------------------------

def test_expect_100_continue(signer, s3, bucket):
    body = os.urandom(4096)
    path = object_path(bucket, "expect.bin")
    signed = h.sign_v4_headers("PUT", path, [], {"Host": signer.host_header,
                                                 "Content-Length": str(len(body))},
                               hashlib.sha256(body).hexdigest(), signer.creds)
    head = f"PUT {path} HTTP/1.1\r\n"
    for k, v in signed.headers.items():
        head += f"{k}: {v}\r\n"
    head += "Expect: 100-continue\r\n\r\n"
    with socket.create_connection((signer.host, signer.port), timeout=10) as sock:
        sock.sendall(head.encode())
        sock.settimeout(0.5)
        t0 = time.monotonic()
        try:
            first = h.recv_until(sock, b"\r\n\r\n")
        except socket.timeout:
            pytest.fail("no interim response within 0.5 s of sending Expect: 100-continue headers")
        assert first.startswith(b"HTTP/1.1 100 Continue"), first
        assert time.monotonic() - t0 < 0.5
        sock.sendall(body)
        status, headers, _ = h.read_http_response(sock, timeout=30)
    assert status == 200
    assert headers.get("etag") == f'"{hashlib.md5(body).hexdigest()}"'
    assert s3.get_object(Bucket=bucket, Key="expect.bin")["Body"].read() == body
