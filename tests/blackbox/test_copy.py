"""CopyObject: metadata directives, self-copy rule, copy-source conditionals,
URL-encoded copy sources, missing sources."""

import datetime as dt
import hashlib
import urllib.parse

import pytest

from helpers import expect_error, object_path, find_text, xml_root

PAST = dt.datetime(2000, 1, 1, tzinfo=dt.timezone.utc)


def _src(s3, bucket, key="src", body=b"source body", **kw):
    s3.put_object(Bucket=bucket, Key=key, Body=body, ContentType="text/plain",
                  Metadata={"origin": "source"}, CacheControl="no-store", **kw)
    return s3.head_object(Bucket=bucket, Key=key)


def test_copy_default_directive_copies_metadata(s3, bucket):
    head = _src(s3, bucket)
    resp = s3.copy_object(Bucket=bucket, Key="dst", CopySource={"Bucket": bucket, "Key": "src"})
    result = resp["CopyObjectResult"]
    assert result["ETag"] == head["ETag"] == f'"{hashlib.md5(b"source body").hexdigest()}"'
    assert result["LastModified"]
    got = s3.get_object(Bucket=bucket, Key="dst")
    assert got["Body"].read() == b"source body"
    assert got["ContentType"] == "text/plain"
    assert got["Metadata"] == {"origin": "source"}
    assert got["CacheControl"] == "no-store"


def test_copy_explicit_copy_directive_ignores_new_metadata(s3, bucket):
    _src(s3, bucket)
    s3.copy_object(Bucket=bucket, Key="dst", CopySource={"Bucket": bucket, "Key": "src"},
                   MetadataDirective="COPY", Metadata={"new": "ignored"})
    got = s3.head_object(Bucket=bucket, Key="dst")
    assert got["Metadata"] == {"origin": "source"}


def test_copy_replace_directive_replaces_metadata(s3, bucket):
    _src(s3, bucket)
    s3.copy_object(Bucket=bucket, Key="dst", CopySource={"Bucket": bucket, "Key": "src"},
                   MetadataDirective="REPLACE", Metadata={"new": "value"},
                   ContentType="application/json")
    got = s3.get_object(Bucket=bucket, Key="dst")
    assert got["Body"].read() == b"source body"
    assert got["Metadata"] == {"new": "value"}
    assert got["ContentType"] == "application/json"
    assert "CacheControl" not in got
    # source untouched
    assert s3.head_object(Bucket=bucket, Key="src")["Metadata"] == {"origin": "source"}


def test_copy_raw_response_is_copy_object_result_xml(signer, s3, bucket):
    _src(s3, bucket)
    r = signer.request("PUT", object_path(bucket, "dst"),
                       headers={"x-amz-copy-source": f"/{bucket}/src"})
    assert r.status == 200, r
    root = xml_root(r.body)
    assert root.tag.endswith("CopyObjectResult")
    assert find_text(root, "ETag") == f'"{hashlib.md5(b"source body").hexdigest()}"'
    assert find_text(root, "LastModified").endswith("Z")


def test_copy_source_without_leading_slash(signer, s3, bucket):
    _src(s3, bucket)
    r = signer.request("PUT", object_path(bucket, "dst"),
                       headers={"x-amz-copy-source": f"{bucket}/src"})
    assert r.status == 200, r
    assert s3.get_object(Bucket=bucket, Key="dst")["Body"].read() == b"source body"


def test_copy_across_buckets(s3, bucket, make_bucket):
    other = make_bucket()
    _src(s3, bucket)
    s3.copy_object(Bucket=other, Key="copied", CopySource={"Bucket": bucket, "Key": "src"})
    assert s3.get_object(Bucket=other, Key="copied")["Body"].read() == b"source body"


def test_copy_onto_itself_without_replace_is_invalid_request(s3, bucket):
    _src(s3, bucket)
    expect_error(s3.copy_object, "InvalidRequest", 400, Bucket=bucket, Key="src",
                 CopySource={"Bucket": bucket, "Key": "src"})


def test_copy_onto_itself_with_replace_updates_metadata(s3, bucket):
    _src(s3, bucket)
    s3.copy_object(Bucket=bucket, Key="src", CopySource={"Bucket": bucket, "Key": "src"},
                   MetadataDirective="REPLACE", Metadata={"v": "2"}, ContentType="text/csv")
    got = s3.get_object(Bucket=bucket, Key="src")
    assert got["Body"].read() == b"source body"
    assert got["Metadata"] == {"v": "2"}
    assert got["ContentType"] == "text/csv"


def test_copy_invalid_metadata_directive(s3, signer, bucket):
    _src(s3, bucket)
    r = signer.request("PUT", object_path(bucket, "dst"),
                       headers={"x-amz-copy-source": f"/{bucket}/src",
                                "x-amz-metadata-directive": "MERGE"})
    assert r.status == 400, r
    assert r.error.get("Code") == "InvalidArgument", r


def _copy(s3, bucket, **cond):
    return s3.copy_object(Bucket=bucket, Key="dst", CopySource={"Bucket": bucket, "Key": "src"},
                          **cond)


def test_copy_if_match(s3, bucket):
    etag = _src(s3, bucket)["ETag"]
    _copy(s3, bucket, CopySourceIfMatch=etag)
    expect_error(_copy, "PreconditionFailed", 412, s3=s3, bucket=bucket,
                 CopySourceIfMatch='"00000000000000000000000000000000"')


def test_copy_if_none_match(s3, bucket):
    etag = _src(s3, bucket)["ETag"]
    expect_error(_copy, "PreconditionFailed", 412, s3=s3, bucket=bucket,
                 CopySourceIfNoneMatch=etag)
    _copy(s3, bucket, CopySourceIfNoneMatch='"00000000000000000000000000000000"')


def test_copy_if_modified_since(s3, bucket):
    lm = _src(s3, bucket)["LastModified"]
    _copy(s3, bucket, CopySourceIfModifiedSince=PAST)
    expect_error(_copy, "PreconditionFailed", 412, s3=s3, bucket=bucket,
                 CopySourceIfModifiedSince=lm)


def test_copy_if_unmodified_since(s3, bucket):
    lm = _src(s3, bucket)["LastModified"]
    _copy(s3, bucket, CopySourceIfUnmodifiedSince=lm)
    expect_error(_copy, "PreconditionFailed", 412, s3=s3, bucket=bucket,
                 CopySourceIfUnmodifiedSince=PAST)


def test_copy_if_match_true_and_unmodified_since_false_copies(s3, bucket):
    # AWS: if-match true + if-unmodified-since false => 200, copy happens
    etag = _src(s3, bucket)["ETag"]
    _copy(s3, bucket, CopySourceIfMatch=etag, CopySourceIfUnmodifiedSince=PAST)
    assert s3.get_object(Bucket=bucket, Key="dst")["Body"].read() == b"source body"


def test_copy_if_none_match_false_and_modified_since_true_fails(s3, bucket):
    # AWS: if-none-match false + if-modified-since true => 412
    etag = _src(s3, bucket)["ETag"]
    expect_error(_copy, "PreconditionFailed", 412, s3=s3, bucket=bucket,
                 CopySourceIfNoneMatch=etag, CopySourceIfModifiedSince=PAST)
    expect_error(s3.head_object, "404", 404, Bucket=bucket, Key="dst")


AWKWARD = ["a b+c%2B/é 日本?#&=.txt", "../up", "100%", "plus+plus", "trailing/"]


@pytest.mark.parametrize("key", AWKWARD)
def test_copy_source_url_encoded_awkward_key(s3, signer, bucket, key):
    s3.put_object(Bucket=bucket, Key=key, Body=b"awkward")
    # boto3 URL-encodes the dict form
    s3.copy_object(Bucket=bucket, Key="boto-dst", CopySource={"Bucket": bucket, "Key": key})
    assert s3.get_object(Bucket=bucket, Key="boto-dst")["Body"].read() == b"awkward"
    # raw header: URL-encoded source key
    src = f"/{bucket}/" + urllib.parse.quote(key, safe="/")
    r = signer.request("PUT", object_path(bucket, "raw-dst"), headers={"x-amz-copy-source": src})
    assert r.status == 200, r
    assert s3.get_object(Bucket=bucket, Key="raw-dst")["Body"].read() == b"awkward"
    # and to an awkward destination
    s3.copy_object(Bucket=bucket, Key=key + "-copy", CopySource={"Bucket": bucket, "Key": key})
    assert s3.get_object(Bucket=bucket, Key=key + "-copy")["Body"].read() == b"awkward"


def test_copy_missing_source_key_is_no_such_key(s3, bucket):
    expect_error(s3.copy_object, "NoSuchKey", 404, Bucket=bucket, Key="dst",
                 CopySource={"Bucket": bucket, "Key": "does-not-exist"})
    expect_error(s3.head_object, "404", 404, Bucket=bucket, Key="dst")


def test_copy_missing_source_bucket_is_no_such_bucket(s3, bucket):
    expect_error(s3.copy_object, "NoSuchBucket", 404, Bucket=bucket, Key="dst",
                 CopySource={"Bucket": bucket + "-nope", "Key": "k"})


def test_copy_replaces_existing_destination(s3, bucket):
    _src(s3, bucket)
    s3.put_object(Bucket=bucket, Key="dst", Body=b"old destination", Metadata={"old": "1"})
    s3.copy_object(Bucket=bucket, Key="dst", CopySource={"Bucket": bucket, "Key": "src"})
    got = s3.get_object(Bucket=bucket, Key="dst")
    assert got["Body"].read() == b"source body"
    assert got["Metadata"] == {"origin": "source"}
