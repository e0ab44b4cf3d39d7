"""Hostile and malformed input. After every test the server must still answer
/-/health."""

import socket
import time

import pytest

import helpers as h
from helpers import expect_error, object_path


@pytest.fixture(autouse=True)
def still_healthy(server):
    yield
    assert server.health_ok(timeout=10), "server stopped answering /-/health"


def test_malformed_create_bucket_configuration(signer, s3):
    from conftest import unique_bucket_name
    name = unique_bucket_name()
    body = b"<CreateBucketConfiguration><LocationConstraint>us-east-1"
    r = signer.request("PUT", "/" + name, body=body)
    assert r.status == 400, r
    assert r.error.get("Code") == "MalformedXML", r
    expect_error(s3.head_bucket, "404", 404, Bucket=name)


def test_malformed_delete_objects_body(signer, bucket):
    body = b"<Delete><Object><Key>a</Key></Obj></Delete>"
    r = signer.request("POST", f"/{bucket}", query=[("delete", None)], body=body,
                       headers={"Content-MD5": h.md5_b64(body)})
    assert r.status == 400, r
    assert r.error.get("Code") == "MalformedXML", r


def test_xml_entity_expansion_is_not_evaluated(signer, s3, bucket):
    # "billion laughs": must be rejected or treated literally, never expanded
    lol = (b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
           + b"".join(b'<!ENTITY lol%d "%s">' % (i, (b"&lol%d;" % (i - 1) if i > 1 else b"&lol;") * 10)
                      for i in range(1, 10))
           + b']><Delete><Object><Key>&lol9;</Key></Object></Delete>')
    t0 = time.monotonic()
    r = signer.request("POST", f"/{bucket}", query=[("delete", None)], body=lol,
                       headers={"Content-MD5": h.md5_b64(lol)}, timeout=30)
    assert time.monotonic() - t0 < 10
    assert r.status == 400, r
    assert r.error.get("Code") in ("MalformedXML", "InvalidRequest"), r


@pytest.mark.parametrize("method,sub,body,not_configured", [
    ("PUT", "website",
     b"<WebsiteConfiguration><IndexDocument><Suffix>index.html</Suffix></IndexDocument>"
     b"</WebsiteConfiguration>", None),
    ("GET", "website", b"", "NoSuchWebsiteConfiguration"),
    ("GET", "lifecycle", b"", "NoSuchLifecycleConfiguration"),
    ("GET", "policy", b"", "NoSuchBucketPolicy"),
    ("GET", "replication", b"", "ReplicationConfigurationNotFoundError"),
])
def test_unimplemented_or_unconfigured_subresource(signer, bucket, method, sub, body, not_configured):
    headers = {"Content-MD5": h.md5_b64(body)} if body else {}
    r = signer.request(method, f"/{bucket}", query=[(sub, None)], body=body, headers=headers)
    code = r.error.get("Code")
    ok = (r.status == 501 and code == "NotImplemented") \
        or (not_configured and r.status == 404 and code == not_configured) \
        or (not not_configured and r.status == 200)
    assert ok, r
    assert r.header("x-amz-request-id")


def test_put_subresource_is_not_treated_as_create_bucket(signer, s3, bucket):
    r = signer.request("PUT", f"/{bucket}", query=[("analytics", None), ("id", "x")],
                       body=b"<AnalyticsConfiguration/>")
    assert r.status != 409 and r.error.get("Code") != "BucketAlreadyOwnedByYou", r
    assert r.status in (400, 501), r


def test_unknown_http_method(server, signer, bucket):
    r = signer.request("PATCH", object_path(bucket, "k"), body=b"x")
    assert r.status in (405, 501), r
    assert r.error.get("Code") in ("MethodNotAllowed", "NotImplemented"), r


def test_over_long_key(s3, bucket):
    expect_error(s3.put_object, "KeyTooLongError", 400, Bucket=bucket, Key="x" * 2000, Body=b"x")


@pytest.mark.parametrize("rng", ["bytes=abc", "bytes=1-0", "chars=0-1", "bytes=", "bytes=0-1-2"])
def test_bad_range_syntax_returns_full_object(signer, s3, bucket, rng):
    s3.put_object(Bucket=bucket, Key="r", Body=b"0123456789")
    r = signer.request("GET", object_path(bucket, "r"), headers={"Range": rng})
    assert r.status == 200, r
    assert r.body == b"0123456789"


def test_wrong_content_md5(signer, s3, bucket):
    r = signer.request("PUT", object_path(bucket, "m"), body=b"abc",
                       headers={"Content-MD5": h.md5_b64(b"abd")})
    assert r.status == 400 and r.error.get("Code") == "BadDigest", r
    expect_error(s3.head_object, "404", 404, Bucket=bucket, Key="m")


@pytest.mark.parametrize("value", ["abc", "-1", "1.5", "99999999999999999999999"])
def test_invalid_max_keys(signer, bucket, value):
    r = signer.request("GET", f"/{bucket}", query=[("list-type", "2"), ("max-keys", value)])
    assert r.status == 400, r
    assert r.error.get("Code") == "InvalidArgument", r


def test_invalid_continuation_token(signer, bucket):
    r = signer.request("GET", f"/{bucket}", query=[("list-type", "2"),
                                                  ("continuation-token", "!!!garbage!!!")])
    assert r.status == 400, r
    assert r.error.get("Code") == "InvalidArgument", r


def test_invalid_encoding_type(signer, bucket):
    r = signer.request("GET", f"/{bucket}", query=[("list-type", "2"), ("encoding-type", "base64")])
    assert r.status == 400, r
    assert r.error.get("Code") == "InvalidArgument", r


def test_malformed_authorization_header(server, bucket):
    r = h.http_request(server.host, server.port, "GET", f"/{bucket}",
                       {"Authorization": "AWS4-HMAC-SHA256 garbage",
                        "x-amz-date": h.amz_date(h.utcnow()),
                        "x-amz-content-sha256": h.EMPTY_SHA256})
    assert r.status == 400, r
    assert r.error.get("Code") == "AuthorizationHeaderMalformed", r


def _signed_head(signer, method, path, headers, payload_hash=h.UNSIGNED_PAYLOAD):
    hdrs = {"Host": signer.host_header}
    hdrs.update(headers)
    signed = h.sign_v4_headers(method, path, [], hdrs, payload_hash, signer.creds)
    head = f"{method} {path} HTTP/1.1\r\n" + "".join(f"{k}: {v}\r\n" for k, v in signed.headers.items())
    return (head + "\r\n").encode()


def test_truncated_body_stores_nothing(signer, server, s3, bucket):
    path = object_path(bucket, "truncated")
    head = _signed_head(signer, "PUT", path, {"Content-Length": "1000"})
    with socket.create_connection((server.host, server.port), timeout=10) as sock:
        sock.sendall(head + b"0123456789")
        sock.shutdown(socket.SHUT_WR)
        sock.settimeout(10)
        try:
            while sock.recv(65536):
                pass
        except (socket.timeout, ConnectionResetError):
            pass
    # the server keeps serving others, and the object never appears
    s3.put_object(Bucket=bucket, Key="other", Body=b"fine")
    assert s3.get_object(Bucket=bucket, Key="other")["Body"].read() == b"fine"
    for _ in range(3):
        expect_error(s3.head_object, "404", 404, Bucket=bucket, Key="truncated")
        assert "truncated" not in [o["Key"] for o in
                                   s3.list_objects_v2(Bucket=bucket).get("Contents", [])]


def test_truncated_body_does_not_replace_existing(signer, server, s3, bucket):
    s3.put_object(Bucket=bucket, Key="keep", Body=b"original")
    path = object_path(bucket, "keep")
    head = _signed_head(signer, "PUT", path, {"Content-Length": "100000"})
    with socket.create_connection((server.host, server.port), timeout=10) as sock:
        sock.sendall(head + b"x" * 5000)
        sock.close()
    s3.put_object(Bucket=bucket, Key="sync", Body=b"1")  # a later request completes
    assert s3.get_object(Bucket=bucket, Key="keep")["Body"].read() == b"original"


def test_oversized_header_is_400(server):
    big = "a" * (100 * 1024)
    req = (f"GET /-/health HTTP/1.1\r\nHost: {server.host}:{server.port}\r\n"
           f"X-Big: {big}\r\nConnection: close\r\n\r\n").encode()
    with socket.create_connection((server.host, server.port), timeout=10) as sock:
        try:
            sock.sendall(req)
        except (BrokenPipeError, ConnectionResetError):
            pass
        status, headers, body = h.read_http_response(sock, timeout=10)
    assert status == 400, (status, headers, body[:300])
    assert h.parse_error(body).get("Code") == "RequestHeaderSectionTooLarge", body[:300]


def test_many_headers_is_rejected_cleanly(server):
    lines = "".join(f"X-H{i}: v\r\n" for i in range(5000))
    req = (f"GET /-/health HTTP/1.1\r\nHost: {server.host}:{server.port}\r\n{lines}"
           f"Connection: close\r\n\r\n").encode()
    with socket.create_connection((server.host, server.port), timeout=10) as sock:
        try:
            sock.sendall(req)
        except (BrokenPipeError, ConnectionResetError):
            pass
        status, _, _ = h.read_http_response(sock, timeout=10)
    assert status in (400, 431), status


def test_object_larger_than_5_gib_rejected_before_body(signer, server, bucket, s3):
    path = object_path(bucket, "huge")
    head = _signed_head(signer, "PUT", path, {"Content-Length": str(5 * 1024 ** 3 + 1)})
    with socket.create_connection((server.host, server.port), timeout=10) as sock:
        sock.sendall(head + b"x" * 1024)
        status, _, body = h.read_http_response(sock, timeout=15)
    assert status == 400, (status, body[:300])
    assert h.parse_error(body).get("Code") == "EntityTooLarge", body[:300]
    expect_error(s3.head_object, "404", 404, Bucket=bucket, Key="huge")


def test_put_without_content_length_is_411(signer, server, bucket, s3):
    path = object_path(bucket, "nolen")
    head = _signed_head(signer, "PUT", path, {}, payload_hash=h.EMPTY_SHA256)
    with socket.create_connection((server.host, server.port), timeout=10) as sock:
        sock.sendall(head)
        status, _, body = h.read_http_response(sock, timeout=15)
    assert status == 411, (status, body[:300])
    assert h.parse_error(body).get("Code") == "MissingContentLength", body[:300]


def test_bad_chunk_signature(signer, s3, bucket):
    data = b"z" * 9000
    headers = {"Host": signer.host_header, "Content-Encoding": "aws-chunked",
               "x-amz-decoded-content-length": str(len(data)),
               "Content-Length": str(h.aws_chunked_signed_length([len(data)]))}
    path = object_path(bucket, "badchunk")
    signed = h.sign_v4_headers("PUT", path, [], headers, h.STREAMING_SIGNED, signer.creds)
    body = h.aws_chunked_signed_body([data], signed)
    start = body.index(b"chunk-signature=") + len(b"chunk-signature=")
    body = body[:start] + b"0" * 64 + body[start + 64:]  # first chunk's signature wrong
    r = h.http_request(signer.host, signer.port, "PUT", path, signed.headers, body)
    assert r.status == 403, r
    assert r.error.get("Code") == "SignatureDoesNotMatch", r
    expect_error(s3.head_object, "404", 404, Bucket=bucket, Key="badchunk")


def test_garbage_chunk_framing(signer, s3, bucket):
    garbage = b"zz;chunk-signature=nothex\r\nabc\r\n\r\n\r\n12"
    headers = {"Host": signer.host_header, "Content-Encoding": "aws-chunked",
               "x-amz-decoded-content-length": "100", "Content-Length": str(len(garbage))}
    path = object_path(bucket, "garbage")
    signed = h.sign_v4_headers("PUT", path, [], headers, h.STREAMING_SIGNED, signer.creds)
    r = h.http_request(signer.host, signer.port, "PUT", path, signed.headers, garbage,
                       timeout=30)
    assert 400 <= r.status < 500, r
    expect_error(s3.head_object, "404", 404, Bucket=bucket, Key="garbage")


def test_http_garbage_request_line(server):
    with socket.create_connection((server.host, server.port), timeout=10) as sock:
        sock.sendall(b"\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03 not http at all\r\n\r\n")
        sock.settimeout(10)
        try:
            data = sock.recv(4096)
        except (socket.timeout, ConnectionResetError):
            data = b""
    assert data == b"" or data.startswith(b"HTTP/1.1 400") or data.startswith(b"HTTP/1.0 400"), data


def test_path_traversal_in_bucket_name(signer):
    for path in ("/..", "/../etc", "/%2e%2e/etc/passwd", "/.", "/bucket/..%2f..%2fetc%2fpasswd"):
        r = signer.request("GET", path)
        assert r.status in (400, 403, 404), (path, r)
        assert b"root:" not in r.body
