"""PutObject / GetObject / HeadObject / DeleteObject and object metadata."""

import datetime as dt
import email.utils
import hashlib
import os

import pytest

from helpers import expect_error, object_path


@pytest.fixture(params=["default", "when_required", "sigv2"])
def any_client(request, s3, s3_when_required, s3_v2):
    return {"default": s3, "when_required": s3_when_required, "sigv2": s3_v2}[request.param]


def test_put_get_head_delete_roundtrip(any_client, bucket):
    c = any_client
    body = os.urandom(70_000)
    put = c.put_object(Bucket=bucket, Key="dir/obj.bin", Body=body)
    md5 = hashlib.md5(body).hexdigest()
    assert put["ETag"] == f'"{md5}"'
    got = c.get_object(Bucket=bucket, Key="dir/obj.bin")
    assert got["Body"].read() == body
    assert got["ETag"] == f'"{md5}"'
    assert got["ContentLength"] == len(body)
    head = c.head_object(Bucket=bucket, Key="dir/obj.bin")
    assert head["ContentLength"] == len(body)
    assert head["ETag"] == f'"{md5}"'
    assert head["LastModified"] == got["LastModified"]
    listed = c.list_objects_v2(Bucket=bucket)["Contents"]
    assert [(o["Key"], o["Size"], o["ETag"]) for o in listed] == [("dir/obj.bin", len(body), f'"{md5}"')]
    d = c.delete_object(Bucket=bucket, Key="dir/obj.bin")
    assert d["ResponseMetadata"]["HTTPStatusCode"] == 204
    expect_error(c.get_object, "NoSuchKey", 404, Bucket=bucket, Key="dir/obj.bin")


def test_empty_object(s3, bucket):
    put = s3.put_object(Bucket=bucket, Key="empty", Body=b"")
    assert put["ETag"] == '"d41d8cd98f00b204e9800998ecf8427e"'
    got = s3.get_object(Bucket=bucket, Key="empty")
    assert got["ContentLength"] == 0
    assert got["Body"].read() == b""


def test_last_modified_is_recent_and_http_date(signer, s3, bucket):
    s3.put_object(Bucket=bucket, Key="k", Body=b"abc")
    r = signer.request("HEAD", object_path(bucket, "k"))
    assert r.status == 200
    lm = r.header("Last-Modified")
    parsed = email.utils.parsedate_to_datetime(lm)
    assert lm.endswith("GMT"), lm
    now = dt.datetime.now(dt.timezone.utc)
    assert abs((now - parsed).total_seconds()) < 300, lm


def test_overwrite_replaces_content_and_metadata(s3, bucket):
    s3.put_object(Bucket=bucket, Key="k", Body=b"first", ContentType="text/plain",
                  Metadata={"a": "1"})
    s3.put_object(Bucket=bucket, Key="k", Body=b"second!", ContentType="image/png")
    got = s3.get_object(Bucket=bucket, Key="k")
    assert got["Body"].read() == b"second!"
    assert got["ContentType"] == "image/png"
    assert got["Metadata"] == {}


def test_standard_headers_and_user_metadata_roundtrip(s3, bucket):
    expires = dt.datetime(2044, 12, 1, 10, 30, 0, tzinfo=dt.timezone.utc)
    s3.put_object(
        Bucket=bucket, Key="meta", Body=b"<p>hi</p>",
        ContentType="text/html; charset=utf-8",
        CacheControl="max-age=3600, must-revalidate",
        ContentDisposition='attachment; filename="report.html"',
        ContentEncoding="x-magpie-test",
        ContentLanguage="de-CH",
        Expires=expires,
        Metadata={"color": "blue", "multi-word-name": "Value With Spaces", "empty": ""},
    )
    for resp in (s3.get_object(Bucket=bucket, Key="meta"), s3.head_object(Bucket=bucket, Key="meta")):
        hdrs = resp["ResponseMetadata"]["HTTPHeaders"]
        assert resp["ContentType"] == "text/html; charset=utf-8"
        assert resp["CacheControl"] == "max-age=3600, must-revalidate"
        assert resp["ContentDisposition"] == 'attachment; filename="report.html"'
        assert resp["ContentEncoding"] == "x-magpie-test"
        assert resp["ContentLanguage"] == "de-CH"
        assert email.utils.parsedate_to_datetime(hdrs["expires"]) == expires
        assert resp["Metadata"] == {"color": "blue", "multi-word-name": "Value With Spaces",
                                    "empty": ""}


def test_user_metadata_names_are_lowercased(signer, bucket, s3):
    r = signer.request("PUT", object_path(bucket, "k"), body=b"x",
                       headers={"x-amz-meta-MixedCase": "Keep Value Case"})
    assert r.status == 200, r
    got = s3.head_object(Bucket=bucket, Key="k")
    assert got["Metadata"] == {"mixedcase": "Keep Value Case"}


def test_default_content_type_is_binary_octet_stream(signer, bucket):
    r = signer.request("PUT", object_path(bucket, "noct"), body=b"data")
    assert r.status == 200, r
    g = signer.request("GET", object_path(bucket, "noct"))
    assert g.status == 200
    assert g.header("Content-Type") == "binary/octet-stream"


def test_response_header_overrides_on_signed_get(s3, bucket):
    s3.put_object(Bucket=bucket, Key="o", Body=b"payload", ContentType="text/plain")
    got = s3.get_object(
        Bucket=bucket, Key="o",
        ResponseContentType="application/json",
        ResponseContentLanguage="fr",
        ResponseExpires=dt.datetime(2030, 1, 1, tzinfo=dt.timezone.utc),
        ResponseCacheControl="no-cache",
        ResponseContentDisposition='inline; filename="x.json"',
        ResponseContentEncoding="identity",
    )
    assert got["Body"].read() == b"payload"
    hdrs = got["ResponseMetadata"]["HTTPHeaders"]
    assert got["ContentType"] == "application/json"
    assert got["ContentLanguage"] == "fr"
    assert got["CacheControl"] == "no-cache"
    assert got["ContentDisposition"] == 'inline; filename="x.json"'
    assert got["ContentEncoding"] == "identity"
    assert email.utils.parsedate_to_datetime(hdrs["expires"]).year == 2030
    # stored metadata unchanged
    assert s3.head_object(Bucket=bucket, Key="o")["ContentType"] == "text/plain"


def test_get_accept_ranges_and_content_length(signer, s3, bucket):
    s3.put_object(Bucket=bucket, Key="k", Body=b"0123456789")
    r = signer.request("GET", object_path(bucket, "k"))
    assert r.status == 200
    assert r.header("Content-Length") == "10"
    assert r.header("Accept-Ranges") == "bytes"
    assert r.header("ETag") == '"781e5e245d69b566979b86e28d23f2c7"'


def test_get_missing_key_is_no_such_key_with_key_in_xml(signer, bucket):
    key = "missing/key name.txt"
    r = signer.request("GET", object_path(bucket, key))
    assert r.status == 404, r
    assert r.header("Content-Type", "").startswith("application/xml")
    err = r.error
    assert err.get("Code") == "NoSuchKey", r
    assert err.get("Key") == key
    assert err.get("Message")
    assert err.get("RequestId") == r.header("x-amz-request-id")


def test_get_missing_key_boto3(s3, bucket):
    err = expect_error(s3.get_object, "NoSuchKey", 404, Bucket=bucket, Key="nope")
    assert err["Error"].get("Key") == "nope"


def test_head_missing_key_is_404_without_body(signer, bucket):
    r = signer.request("HEAD", object_path(bucket, "nope"))
    assert r.status == 404
    assert r.body == b""
    assert r.header("x-amz-request-id")


def test_delete_missing_key_is_204(s3, bucket):
    resp = s3.delete_object(Bucket=bucket, Key="never-existed")
    assert resp["ResponseMetadata"]["HTTPStatusCode"] == 204


def test_delete_then_list_is_empty(s3, bucket):
    s3.put_object(Bucket=bucket, Key="a", Body=b"1")
    s3.delete_object(Bucket=bucket, Key="a")
    assert s3.list_objects_v2(Bucket=bucket)["KeyCount"] == 0


def test_request_id_on_every_response(signer, s3, bucket):
    ids = []
    cases = [
        ("PUT", object_path(bucket, "rid"), b"x", 200),
        ("GET", object_path(bucket, "rid"), b"", 200),
        ("HEAD", object_path(bucket, "rid"), b"", 200),
        ("GET", f"/{bucket}", b"", 200),
        ("GET", "/", b"", 200),
        ("GET", object_path(bucket, "missing"), b"", 404),
        ("HEAD", object_path(bucket, "missing"), b"", 404),
        ("DELETE", object_path(bucket, "rid"), b"", 204),
        ("DELETE", "/" + bucket + "-does-not-exist", b"", 404),
    ]
    for method, path, body, status in cases:
        r = signer.request(method, path, body=body)
        assert r.status == status, (method, path, r)
        rid = r.header("x-amz-request-id")
        assert rid, (method, path, dict(r.headers))
        ids.append(rid)
    assert len(set(ids)) == len(ids), ids


def test_request_id_on_auth_errors(server):
    import urllib.request
    import urllib.error
    try:
        urllib.request.urlopen(server.endpoint + "/", timeout=10)
        pytest.fail("anonymous ListBuckets succeeded")
    except urllib.error.HTTPError as e:
        assert e.code == 403
        assert e.headers.get("x-amz-request-id")


def test_put_object_response_has_etag_and_no_body(signer, bucket):
    r = signer.request("PUT", object_path(bucket, "k"), body=b"hello")
    assert r.status == 200
    assert r.header("ETag") == '"5d41402abc4b2a76b9719d911017c592"'
    assert r.body == b""


def test_keys_are_case_sensitive(s3, bucket):
    s3.put_object(Bucket=bucket, Key="Key", Body=b"upper")
    s3.put_object(Bucket=bucket, Key="key", Body=b"lower")
    assert s3.get_object(Bucket=bucket, Key="Key")["Body"].read() == b"upper"
    assert s3.get_object(Bucket=bucket, Key="key")["Body"].read() == b"lower"


def test_key_and_prefix_key_coexist(s3, bucket):
    # "a" as an object and "a/b" as an object must both exist (no directory semantics)
    s3.put_object(Bucket=bucket, Key="a", Body=b"file")
    s3.put_object(Bucket=bucket, Key="a/b", Body=b"nested")
    s3.put_object(Bucket=bucket, Key="a/", Body=b"dir-marker")
    assert s3.get_object(Bucket=bucket, Key="a")["Body"].read() == b"file"
    assert s3.get_object(Bucket=bucket, Key="a/b")["Body"].read() == b"nested"
    assert s3.get_object(Bucket=bucket, Key="a/")["Body"].read() == b"dir-marker"
    s3.delete_object(Bucket=bucket, Key="a")
    assert s3.get_object(Bucket=bucket, Key="a/b")["Body"].read() == b"nested"


def test_unsigned_payload_put(signer, bucket, s3):
    r = signer.request("PUT", object_path(bucket, "u"), body=b"unsigned body",
                       payload_hash="UNSIGNED-PAYLOAD")
    assert r.status == 200, r
    assert s3.get_object(Bucket=bucket, Key="u")["Body"].read() == b"unsigned body"


def test_content_encoding_gzip_is_stored_not_applied(signer, bucket, s3):
    body = b"\x1f\x8b not really gzip"
    s3.put_object(Bucket=bucket, Key="gz", Body=body, ContentEncoding="gzip")
    assert s3.head_object(Bucket=bucket, Key="gz")["ContentEncoding"] == "gzip"
    r = signer.request("GET", object_path(bucket, "gz"), headers={"Accept-Encoding": "identity"})
    assert r.status == 200
    assert r.header("Content-Encoding") == "gzip"
    assert r.body == body
