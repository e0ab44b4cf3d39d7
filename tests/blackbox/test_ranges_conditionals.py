"""Range requests and conditional GET/HEAD/PUT, with AWS's precedence rules."""

import datetime as dt
import email.utils

import pytest

from helpers import expect_error, object_path

BODY = b"0123456789"
ETAG = '"781e5e245d69b566979b86e28d23f2c7"'
OTHER_ETAG = '"00000000000000000000000000000000"'
PAST = "Sat, 01 Jan 2000 00:00:00 GMT"


@pytest.fixture
def obj(s3, signer, bucket):
    s3.put_object(Bucket=bucket, Key="ten", Body=BODY)
    head = signer.request("HEAD", object_path(bucket, "ten"))
    assert head.status == 200
    return {"path": object_path(bucket, "ten"), "last_modified": head.header("Last-Modified"),
            "bucket": bucket}


def get(signer, obj, method="GET", **headers):
    return signer.request(method, obj["path"], headers=headers)


@pytest.mark.parametrize("rng,content,crange", [
    ("bytes=0-9", b"0123456789", "bytes 0-9/10"),
    ("bytes=0-0", b"0", "bytes 0-0/10"),
    ("bytes=2-5", b"2345", "bytes 2-5/10"),
    ("bytes=5-", b"56789", "bytes 5-9/10"),
    ("bytes=-3", b"789", "bytes 7-9/10"),
    ("bytes=9-9", b"9", "bytes 9-9/10"),
    ("bytes=5-100", b"56789", "bytes 5-9/10"),      # past end: clipped
    ("bytes=-100", b"0123456789", "bytes 0-9/10"),  # suffix longer than object
])
def test_range_get(signer, obj, rng, content, crange):
    r = get(signer, obj, Range=rng)
    assert r.status == 206, r
    assert r.body == content
    assert r.header("Content-Range") == crange
    assert r.header("Content-Length") == str(len(content))
    assert r.header("ETag") == ETAG


@pytest.mark.parametrize("rng", ["bytes=100-", "bytes=10-20", "bytes=10-"])
def test_unsatisfiable_range_is_416_invalid_range(signer, obj, rng):
    r = get(signer, obj, Range=rng)
    assert r.status == 416, r
    assert r.error.get("Code") == "InvalidRange", r
    assert r.header("Content-Range") == "bytes */10"


@pytest.mark.parametrize("rng", ["bytes=abc", "items=0-1", "bytes=5-2", "bytes=--1", "bytes 0-1"])
def test_invalid_range_syntax_is_ignored(signer, obj, rng):
    r = get(signer, obj, Range=rng)
    assert r.status == 200, r
    assert r.body == BODY
    assert r.header("Content-Range") is None


def test_range_boto3(s3, obj):
    resp = s3.get_object(Bucket=obj["bucket"], Key="ten", Range="bytes=-3")
    assert resp["Body"].read() == b"789"
    assert resp["ContentRange"] == "bytes 7-9/10"
    assert resp["ResponseMetadata"]["HTTPStatusCode"] == 206


def test_range_on_head(signer, obj):
    r = get(signer, obj, "HEAD", Range="bytes=2-5")
    assert r.status == 206, r
    assert r.header("Content-Length") == "4"
    assert r.header("Content-Range") == "bytes 2-5/10"
    r = get(signer, obj, "HEAD", Range="bytes=100-")
    assert r.status == 416, r


# ---- conditional GET / HEAD -------------------------------------------------

@pytest.mark.parametrize("method", ["GET", "HEAD"])
def test_if_match(signer, obj, method):
    assert get(signer, obj, method, **{"If-Match": ETAG}).status == 200
    r = get(signer, obj, method, **{"If-Match": OTHER_ETAG})
    assert r.status == 412, r
    if method == "GET":
        assert r.error.get("Code") == "PreconditionFailed", r


@pytest.mark.parametrize("method", ["GET", "HEAD"])
def test_if_none_match(signer, obj, method):
    r = get(signer, obj, method, **{"If-None-Match": ETAG})
    assert r.status == 304, r
    assert r.body == b""
    assert r.header("ETag") == ETAG
    assert get(signer, obj, method, **{"If-None-Match": OTHER_ETAG}).status == 200


@pytest.mark.parametrize("method", ["GET", "HEAD"])
def test_if_modified_since(signer, obj, method):
    assert get(signer, obj, method, **{"If-Modified-Since": PAST}).status == 200
    # exactly Last-Modified => not modified since then (second granularity)
    r = get(signer, obj, method, **{"If-Modified-Since": obj["last_modified"]})
    assert r.status == 304, r
    assert r.body == b""


@pytest.mark.parametrize("method", ["GET", "HEAD"])
def test_if_unmodified_since(signer, obj, method):
    assert get(signer, obj, method, **{"If-Unmodified-Since": obj["last_modified"]}).status == 200
    r = get(signer, obj, method, **{"If-Unmodified-Since": PAST})
    assert r.status == 412, r
    if method == "GET":
        assert r.error.get("Code") == "PreconditionFailed", r


@pytest.mark.parametrize("method", ["GET", "HEAD"])
def test_if_match_true_and_unmodified_since_false_is_200(signer, obj, method):
    r = get(signer, obj, method, **{"If-Match": ETAG, "If-Unmodified-Since": PAST})
    assert r.status == 200, r
    if method == "GET":
        assert r.body == BODY


@pytest.mark.parametrize("method", ["GET", "HEAD"])
def test_if_none_match_false_and_modified_since_true_is_304(signer, obj, method):
    r = get(signer, obj, method, **{"If-None-Match": ETAG, "If-Modified-Since": PAST})
    assert r.status == 304, r


def test_if_none_match_true_and_modified_since_false_is_200(signer, obj):
    # If-None-Match present => If-Modified-Since is ignored (RFC 7232 §6)
    r = get(signer, obj, **{"If-None-Match": OTHER_ETAG, "If-Modified-Since": obj["last_modified"]})
    assert r.status == 200, r


def test_if_match_false_wins_over_range(signer, obj):
    r = get(signer, obj, **{"If-Match": OTHER_ETAG, "Range": "bytes=0-1"})
    assert r.status == 412, r


def test_conditional_with_range_success(signer, obj):
    r = get(signer, obj, **{"If-Match": ETAG, "Range": "bytes=0-1"})
    assert r.status == 206 and r.body == b"01"


def test_conditional_get_boto3(s3, obj):
    expect_error(s3.get_object, "PreconditionFailed", 412, Bucket=obj["bucket"], Key="ten",
                 IfMatch=OTHER_ETAG)
    expect_error(s3.get_object, "304", 304, Bucket=obj["bucket"], Key="ten", IfNoneMatch=ETAG)
    lm = email.utils.parsedate_to_datetime(obj["last_modified"])
    expect_error(s3.get_object, "304", 304, Bucket=obj["bucket"], Key="ten", IfModifiedSince=lm)
    got = s3.get_object(Bucket=obj["bucket"], Key="ten", IfUnmodifiedSince=lm + dt.timedelta(days=1))
    assert got["Body"].read() == BODY


# ---- conditional PUT --------------------------------------------------------

def test_put_if_none_match_star_on_existing_key_fails(s3, obj):
    expect_error(s3.put_object, "PreconditionFailed", 412, Bucket=obj["bucket"], Key="ten",
                 Body=b"overwrite", IfNoneMatch="*")
    assert s3.get_object(Bucket=obj["bucket"], Key="ten")["Body"].read() == BODY


def test_put_if_none_match_star_on_new_key_succeeds(s3, bucket):
    s3.put_object(Bucket=bucket, Key="fresh", Body=b"new", IfNoneMatch="*")
    assert s3.get_object(Bucket=bucket, Key="fresh")["Body"].read() == b"new"


def test_put_if_match_correct_etag_replaces(s3, obj):
    s3.put_object(Bucket=obj["bucket"], Key="ten", Body=b"replaced", IfMatch=ETAG)
    assert s3.get_object(Bucket=obj["bucket"], Key="ten")["Body"].read() == b"replaced"


def test_put_if_match_wrong_etag_fails(s3, obj):
    expect_error(s3.put_object, "PreconditionFailed", 412, Bucket=obj["bucket"], Key="ten",
                 Body=b"overwrite", IfMatch=OTHER_ETAG)
    assert s3.get_object(Bucket=obj["bucket"], Key="ten")["Body"].read() == BODY


def test_put_if_match_on_missing_key_is_no_such_key(s3, bucket):
    expect_error(s3.put_object, "NoSuchKey", 404, Bucket=bucket, Key="absent",
                 Body=b"x", IfMatch=OTHER_ETAG)
    expect_error(s3.head_object, "404", 404, Bucket=bucket, Key="absent")
