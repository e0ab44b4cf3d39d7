"""Bucket operations: ListBuckets, CreateBucket (name rules), HeadBucket,
DeleteBucket, GetBucketLocation — against AWS S3's documented behaviour."""

import datetime as dt

import pytest

from conftest import unique_bucket_name
from helpers import expect_error, find_all, find_text, strip_ns, xml_root

S3_NS = "http://s3.amazonaws.com/doc/2006-03-01/"


def test_list_buckets_shows_created_bucket_with_owner(s3, bucket):
    resp = s3.list_buckets()
    names = [b["Name"] for b in resp["Buckets"]]
    assert bucket in names
    owner = resp["Owner"]
    assert owner.get("ID"), resp
    assert owner.get("DisplayName"), resp
    created = next(b for b in resp["Buckets"] if b["Name"] == bucket)["CreationDate"]
    now = dt.datetime.now(dt.timezone.utc)
    assert abs((now - created).total_seconds()) < 300, created


def test_list_buckets_raw_xml_shape(signer, bucket):
    r = signer.request("GET", "/")
    assert r.status == 200, r
    assert r.header("Content-Type", "").startswith("application/xml"), r.header("Content-Type")
    root = xml_root(r.body)
    assert root.tag == f"{{{S3_NS}}}ListAllMyBucketsResult", root.tag
    assert find_text(root, "ID")
    assert find_text(root, "DisplayName")
    names = [e.text for e in find_all(root, "Name")]
    assert bucket in names
    # CreationDate is ISO 8601 in UTC, e.g. 2009-02-03T16:45:09.000Z
    for e in find_all(root, "CreationDate"):
        assert e.text.endswith("Z"), e.text
        dt.datetime.strptime(e.text.split(".")[0].rstrip("Z"), "%Y-%m-%dT%H:%M:%S")


def test_list_buckets_is_sorted_by_name(s3, make_bucket):
    make_bucket(), make_bucket(), make_bucket()
    names = [b["Name"] for b in s3.list_buckets()["Buckets"]]
    assert names == sorted(names)


def test_create_bucket_then_head(s3):
    name = unique_bucket_name()
    resp = s3.create_bucket(Bucket=name)
    try:
        assert resp["ResponseMetadata"]["HTTPStatusCode"] == 200
        assert resp["ResponseMetadata"]["HTTPHeaders"].get("location") == f"/{name}"
        head = s3.head_bucket(Bucket=name)
        assert head["ResponseMetadata"]["HTTPStatusCode"] == 200
    finally:
        s3.delete_bucket(Bucket=name)


def test_head_bucket_reports_region(s3, bucket):
    head = s3.head_bucket(Bucket=bucket)
    assert head["ResponseMetadata"]["HTTPHeaders"].get("x-amz-bucket-region") == "us-east-1"


def test_create_existing_bucket_is_already_owned_by_you(s3, bucket):
    err = expect_error(s3.create_bucket, "BucketAlreadyOwnedByYou", 409, Bucket=bucket)
    assert err["Error"].get("BucketName", bucket) == bucket


INVALID_NAMES = [
    "ab",                      # too short
    "a" * 64,                  # too long
    "MyBucket",                # uppercase
    "my_bucket",               # underscore
    "192.168.5.4",             # IP-address form
    "xn--bucket",              # reserved prefix
    "sthree-bucket",           # reserved prefix
    "bucket-s3alias",          # reserved suffix
    "bucket--ol-s3",           # reserved suffix
    "bucket.mrap",             # reserved suffix
    "my..bucket",              # adjacent dots
    "-bucket",                 # must start with letter/digit
    "bucket-",                 # must end with letter/digit
    ".bucket",
    "bucket.",
    "bucket!",                 # invalid character
    "amzn-s3-demo-bucket",     # reserved prefix
]


@pytest.mark.parametrize("name", INVALID_NAMES)
def test_create_bucket_invalid_name(signer, name):
    r = signer.request("PUT", "/" + name)
    assert r.status == 400, r
    assert r.error.get("Code") == "InvalidBucketName", r
    # nothing was created
    h = signer.request("HEAD", "/" + name)
    assert h.status in (400, 404), h


def _uid(n=8):
    import uuid
    return uuid.uuid4().hex[:n]


@pytest.mark.parametrize("make_name", [
    lambda: "b" + _uid(32) + "x" * 30,          # exactly 63 characters
    lambda: f"my.bucket.{_uid()}",               # dots
    lambda: f"0{_uid()}",                        # starts with a digit
    lambda: f"b-u-c-k-e-t-{_uid()}",             # many hyphens
], ids=["63-chars", "dots", "leading-digit", "hyphens"])
def test_create_bucket_valid_edge_names(s3, make_name):
    name = make_name()
    assert 3 <= len(name) <= 63
    s3.create_bucket(Bucket=name)
    try:
        assert s3.head_bucket(Bucket=name)["ResponseMetadata"]["HTTPStatusCode"] == 200
        assert name in [b["Name"] for b in s3.list_buckets()["Buckets"]]
    finally:
        s3.delete_bucket(Bucket=name)


def test_create_bucket_name_exactly_3_chars(s3):
    # Three-character names are valid; pick one unlikely to be taken by a parallel test.
    import random
    import string
    for _ in range(20):
        name = "".join(random.choice(string.ascii_lowercase + string.digits) for _ in range(3))
        try:
            s3.create_bucket(Bucket=name)
        except s3.exceptions.BucketAlreadyOwnedByYou:
            continue
        try:
            assert name in [b["Name"] for b in s3.list_buckets()["Buckets"]]
        finally:
            s3.delete_bucket(Bucket=name)
        return
    pytest.fail("could not find a free 3-character bucket name")


def test_head_missing_bucket_is_404_without_body(signer):
    r = signer.request("HEAD", "/" + unique_bucket_name("missing"))
    assert r.status == 404, r
    assert r.body == b""
    assert r.header("x-amz-request-id")


def test_head_missing_bucket_boto3(s3):
    expect_error(s3.head_bucket, "404", 404, Bucket=unique_bucket_name("missing"))


def test_delete_bucket(s3):
    name = unique_bucket_name()
    s3.create_bucket(Bucket=name)
    resp = s3.delete_bucket(Bucket=name)
    assert resp["ResponseMetadata"]["HTTPStatusCode"] == 204
    expect_error(s3.head_bucket, "404", 404, Bucket=name)
    assert name not in [b["Name"] for b in s3.list_buckets()["Buckets"]]


def test_delete_non_empty_bucket_is_bucket_not_empty(s3, bucket):
    s3.put_object(Bucket=bucket, Key="k", Body=b"x")
    expect_error(s3.delete_bucket, "BucketNotEmpty", 409, Bucket=bucket)
    # bucket and object still there
    assert s3.get_object(Bucket=bucket, Key="k")["Body"].read() == b"x"


def test_delete_missing_bucket_is_no_such_bucket(s3):
    name = unique_bucket_name("missing")
    err = expect_error(s3.delete_bucket, "NoSuchBucket", 404, Bucket=name)
    assert err["Error"].get("BucketName") == name


def test_bucket_can_be_recreated_after_delete(s3):
    name = unique_bucket_name()
    s3.create_bucket(Bucket=name)
    s3.put_object(Bucket=name, Key="old", Body=b"old")
    s3.delete_object(Bucket=name, Key="old")
    s3.delete_bucket(Bucket=name)
    s3.create_bucket(Bucket=name)
    try:
        assert s3.list_objects_v2(Bucket=name)["KeyCount"] == 0
    finally:
        s3.delete_bucket(Bucket=name)


def test_get_bucket_location_us_east_1_is_empty(s3, signer, bucket):
    resp = s3.get_bucket_location(Bucket=bucket)
    assert resp.get("LocationConstraint") in (None, ""), resp
    r = signer.request("GET", f"/{bucket}", query=[("location", None)])
    assert r.status == 200, r
    root = xml_root(r.body)
    assert strip_ns(root.tag) == "LocationConstraint"
    assert (root.text or "") == ""


def test_get_bucket_location_missing_bucket(s3):
    expect_error(s3.get_bucket_location, "NoSuchBucket", 404,
                 Bucket=unique_bucket_name("missing"))


def test_operations_on_missing_bucket_are_no_such_bucket(s3):
    name = unique_bucket_name("missing")
    expect_error(s3.put_object, "NoSuchBucket", 404, Bucket=name, Key="k", Body=b"x")
    expect_error(s3.list_objects_v2, "NoSuchBucket", 404, Bucket=name)
    expect_error(s3.list_objects, "NoSuchBucket", 404, Bucket=name)
    expect_error(s3.get_object, "NoSuchBucket", 404, Bucket=name, Key="k")
