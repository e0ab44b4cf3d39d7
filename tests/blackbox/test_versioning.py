"""Bucket versioning, against AWS S3's documented behaviour: Put/GetBucketVersioning,
version ids on PUT/COPY/CompleteMultipartUpload, delete markers, GET/HEAD/DELETE by
versionId, permanent deletion, restoring by removing a delete marker, the null
version in unversioned and suspended buckets, ListObjectVersions (prefix, delimiter,
markers, max-keys pagination, IsLatest) and ListObjectsV2 over versioned data."""

import pytest
from botocore.exceptions import ClientError

from conftest import unique_bucket_name
from helpers import expect_error, xml_root, strip_ns, children_text

# Versioning is implemented: no xfail marker.

MiB = 1 << 20


def _delete_everything(s3, name):
    try:
        for _ in range(50):
            page = s3.list_object_versions(Bucket=name)
            items = [{"Key": v["Key"], "VersionId": v["VersionId"]}
                     for v in page.get("Versions", []) + page.get("DeleteMarkers", [])]
            if not items:
                break
            s3.delete_objects(Bucket=name, Delete={"Objects": items[:1000], "Quiet": True})
    except Exception:
        pass
    try:
        for page in s3.get_paginator("list_objects_v2").paginate(Bucket=name):
            for o in page.get("Contents", []):
                s3.delete_object(Bucket=name, Key=o["Key"])
        s3.delete_bucket(Bucket=name)
    except Exception:
        pass  # best effort; every test uses its own bucket


@pytest.fixture
def vbucket(s3):
    """A fresh bucket (versioning left to the test) removed with all its versions."""
    name = unique_bucket_name("ver")
    s3.create_bucket(Bucket=name)
    yield name
    _delete_everything(s3, name)


def enable(s3, bucket):
    s3.put_bucket_versioning(Bucket=bucket, VersioningConfiguration={"Status": "Enabled"})


def suspend(s3, bucket):
    s3.put_bucket_versioning(Bucket=bucket, VersioningConfiguration={"Status": "Suspended"})


def put(s3, bucket, key, body: bytes) -> str:
    resp = s3.put_object(Bucket=bucket, Key=key, Body=body)
    return resp.get("VersionId")


def body_of(s3, bucket, key, **kw) -> bytes:
    return s3.get_object(Bucket=bucket, Key=key, **kw)["Body"].read()


def versions(s3, bucket, **kw):
    resp = s3.list_object_versions(Bucket=bucket, **kw)
    return resp.get("Versions", []), resp.get("DeleteMarkers", [])


def raw_version_entries(signer, bucket, query=None):
    """(kind, key, version id, is latest) in document order from a raw ?versions listing."""
    r = signer.request("GET", f"/{bucket}", query=[("versions", "")] + list(query or []))
    assert r.status == 200, r
    root = xml_root(r.body)
    assert strip_ns(root.tag) == "ListVersionsResult"
    out = []
    for el in root:
        kind = strip_ns(el.tag)
        if kind in ("Version", "DeleteMarker"):
            out.append((kind, children_text(el, "Key"), children_text(el, "VersionId"),
                        children_text(el, "IsLatest")))
    return out


# --------------------------------------------------------------------------
# configuration
# --------------------------------------------------------------------------

def test_new_bucket_has_no_versioning_status(s3, vbucket):
    resp = s3.get_bucket_versioning(Bucket=vbucket)
    assert resp["ResponseMetadata"]["HTTPStatusCode"] == 200
    assert "Status" not in resp
    assert "MFADelete" not in resp


def test_get_bucket_versioning_raw_shape_for_new_bucket(signer, vbucket):
    r = signer.request("GET", f"/{vbucket}", query=[("versioning", "")])
    assert r.status == 200, r
    root = xml_root(r.body)
    assert strip_ns(root.tag) == "VersioningConfiguration"
    assert [strip_ns(c.tag) for c in root] == []


def test_enable_and_suspend(s3, vbucket):
    resp = s3.put_bucket_versioning(Bucket=vbucket,
                                    VersioningConfiguration={"Status": "Enabled"})
    assert resp["ResponseMetadata"]["HTTPStatusCode"] == 200
    assert s3.get_bucket_versioning(Bucket=vbucket)["Status"] == "Enabled"
    suspend(s3, vbucket)
    assert s3.get_bucket_versioning(Bucket=vbucket)["Status"] == "Suspended"
    enable(s3, vbucket)
    assert s3.get_bucket_versioning(Bucket=vbucket)["Status"] == "Enabled"


def test_invalid_versioning_status_is_malformed_xml(s3, vbucket):
    expect_error(s3.put_bucket_versioning, "MalformedXML", 400, Bucket=vbucket,
                 VersioningConfiguration={"Status": "On"})
    assert "Status" not in s3.get_bucket_versioning(Bucket=vbucket)


def test_versioning_on_missing_bucket(s3):
    expect_error(s3.get_bucket_versioning, "NoSuchBucket", 404, Bucket="no-such-bucket-ver-zz")
    expect_error(s3.put_bucket_versioning, "NoSuchBucket", 404, Bucket="no-such-bucket-ver-zz",
                 VersioningConfiguration={"Status": "Enabled"})


# --------------------------------------------------------------------------
# version ids on writes
# --------------------------------------------------------------------------

def test_put_returns_distinct_version_ids_and_get_by_version(s3, vbucket):
    enable(s3, vbucket)
    v1 = put(s3, vbucket, "k", b"one")
    v2 = put(s3, vbucket, "k", b"two")
    v3 = put(s3, vbucket, "k", b"three")
    ids = [v1, v2, v3]
    assert all(ids) and len(set(ids)) == 3
    assert "null" not in ids

    latest = s3.get_object(Bucket=vbucket, Key="k")
    assert latest["Body"].read() == b"three"
    assert latest["VersionId"] == v3
    for vid, body in zip(ids, [b"one", b"two", b"three"]):
        got = s3.get_object(Bucket=vbucket, Key="k", VersionId=vid)
        assert got["Body"].read() == body
        assert got["VersionId"] == vid
        head = s3.head_object(Bucket=vbucket, Key="k", VersionId=vid)
        assert head["VersionId"] == vid
        assert head["ContentLength"] == len(body)
    # ranged read of an old version
    assert s3.get_object(Bucket=vbucket, Key="k", VersionId=v3,
                         Range="bytes=1-3")["Body"].read() == b"hre"


def test_copy_returns_version_ids(s3, vbucket):
    enable(s3, vbucket)
    v1 = put(s3, vbucket, "src", b"first")
    put(s3, vbucket, "src", b"second")
    resp = s3.copy_object(Bucket=vbucket, Key="dst",
                          CopySource={"Bucket": vbucket, "Key": "src", "VersionId": v1})
    assert resp["CopySourceVersionId"] == v1
    assert resp["VersionId"]
    assert body_of(s3, vbucket, "dst") == b"first"
    assert body_of(s3, vbucket, "dst", VersionId=resp["VersionId"]) == b"first"

    # copying the current version reports it as the source version
    current = s3.head_object(Bucket=vbucket, Key="src")["VersionId"]
    resp2 = s3.copy_object(Bucket=vbucket, Key="dst",
                           CopySource={"Bucket": vbucket, "Key": "src"})
    assert resp2["CopySourceVersionId"] == current
    assert resp2["VersionId"] != resp["VersionId"]
    assert body_of(s3, vbucket, "dst") == b"second"


def test_complete_multipart_returns_version_id(s3, vbucket):
    enable(s3, vbucket)
    v0 = put(s3, vbucket, "mpu", b"before")
    uid = s3.create_multipart_upload(Bucket=vbucket, Key="mpu")["UploadId"]
    p1 = s3.upload_part(Bucket=vbucket, Key="mpu", UploadId=uid, PartNumber=1,
                        Body=b"a" * (5 * MiB))
    p2 = s3.upload_part(Bucket=vbucket, Key="mpu", UploadId=uid, PartNumber=2, Body=b"z")
    resp = s3.complete_multipart_upload(Bucket=vbucket, Key="mpu", UploadId=uid, MultipartUpload={
        "Parts": [{"PartNumber": 1, "ETag": p1["ETag"]}, {"PartNumber": 2, "ETag": p2["ETag"]}]})
    assert resp["VersionId"] and resp["VersionId"] != v0
    assert s3.head_object(Bucket=vbucket, Key="mpu")["VersionId"] == resp["VersionId"]
    assert body_of(s3, vbucket, "mpu", VersionId=v0) == b"before"


def test_unversioned_bucket_objects_have_null_version(s3, vbucket):
    resp = s3.put_object(Bucket=vbucket, Key="k", Body=b"plain")
    assert resp.get("VersionId") in (None, "null")
    assert body_of(s3, vbucket, "k", VersionId="null") == b"plain"
    vers, markers = versions(s3, vbucket)
    assert [(v["Key"], v["VersionId"], v["IsLatest"]) for v in vers] == [("k", "null", True)]
    assert markers == []


# --------------------------------------------------------------------------
# delete markers
# --------------------------------------------------------------------------

def test_delete_creates_delete_marker(s3, vbucket):
    enable(s3, vbucket)
    v1 = put(s3, vbucket, "k", b"data")
    resp = s3.delete_object(Bucket=vbucket, Key="k")
    assert resp["ResponseMetadata"]["HTTPStatusCode"] == 204
    assert resp["DeleteMarker"] is True
    marker = resp["VersionId"]
    assert marker and marker != v1
    hdrs = resp["ResponseMetadata"]["HTTPHeaders"]
    assert hdrs["x-amz-delete-marker"] == "true"
    assert hdrs["x-amz-version-id"] == marker

    # the key now reads as deleted, and says why
    with pytest.raises(ClientError) as exc:
        s3.get_object(Bucket=vbucket, Key="k")
    err = exc.value.response
    assert err["Error"]["Code"] == "NoSuchKey"
    assert err["ResponseMetadata"]["HTTPStatusCode"] == 404
    assert err["ResponseMetadata"]["HTTPHeaders"].get("x-amz-delete-marker") == "true"
    assert err["ResponseMetadata"]["HTTPHeaders"].get("x-amz-version-id") == marker

    with pytest.raises(ClientError) as exc:
        s3.head_object(Bucket=vbucket, Key="k")
    err = exc.value.response
    assert err["ResponseMetadata"]["HTTPStatusCode"] == 404
    assert err["ResponseMetadata"]["HTTPHeaders"].get("x-amz-delete-marker") == "true"

    # the old version is still there
    assert body_of(s3, vbucket, "k", VersionId=v1) == b"data"

    # GET/HEAD of the delete marker itself: 405 Method Not Allowed
    with pytest.raises(ClientError) as exc:
        s3.get_object(Bucket=vbucket, Key="k", VersionId=marker)
    err = exc.value.response
    assert err["ResponseMetadata"]["HTTPStatusCode"] == 405
    assert err["Error"]["Code"] == "MethodNotAllowed"
    assert err["ResponseMetadata"]["HTTPHeaders"].get("x-amz-delete-marker") == "true"
    assert "last-modified" in err["ResponseMetadata"]["HTTPHeaders"]
    with pytest.raises(ClientError) as exc:
        s3.head_object(Bucket=vbucket, Key="k", VersionId=marker)
    assert exc.value.response["ResponseMetadata"]["HTTPStatusCode"] == 405


def test_removing_delete_marker_restores_previous_version(s3, vbucket):
    enable(s3, vbucket)
    put(s3, vbucket, "k", b"old")
    v2 = put(s3, vbucket, "k", b"new")
    marker = s3.delete_object(Bucket=vbucket, Key="k")["VersionId"]
    expect_error(s3.get_object, "NoSuchKey", 404, Bucket=vbucket, Key="k")

    resp = s3.delete_object(Bucket=vbucket, Key="k", VersionId=marker)
    assert resp["ResponseMetadata"]["HTTPStatusCode"] == 204
    assert resp["VersionId"] == marker
    assert resp["DeleteMarker"] is True  # the version removed was a delete marker

    got = s3.get_object(Bucket=vbucket, Key="k")
    assert got["Body"].read() == b"new"
    assert got["VersionId"] == v2
    vers, markers = versions(s3, vbucket)
    assert markers == []
    assert len(vers) == 2


def test_delete_version_permanently(s3, vbucket):
    enable(s3, vbucket)
    v1 = put(s3, vbucket, "k", b"one")
    v2 = put(s3, vbucket, "k", b"two")

    # delete an older version: current stays
    resp = s3.delete_object(Bucket=vbucket, Key="k", VersionId=v1)
    assert resp["ResponseMetadata"]["HTTPStatusCode"] == 204
    assert resp["VersionId"] == v1
    assert "DeleteMarker" not in resp or resp["DeleteMarker"] is False
    expect_error(s3.get_object, "NoSuchVersion", 404, Bucket=vbucket, Key="k", VersionId=v1)
    assert body_of(s3, vbucket, "k") == b"two"

    # delete the current version: the key disappears with no delete marker
    s3.delete_object(Bucket=vbucket, Key="k", VersionId=v2)
    expect_error(s3.get_object, "NoSuchKey", 404, Bucket=vbucket, Key="k")
    vers, markers = versions(s3, vbucket)
    assert vers == [] and markers == []


def test_previous_version_becomes_current_when_latest_deleted(s3, vbucket):
    enable(s3, vbucket)
    v1 = put(s3, vbucket, "k", b"one")
    v2 = put(s3, vbucket, "k", b"two")
    s3.delete_object(Bucket=vbucket, Key="k", VersionId=v2)
    got = s3.get_object(Bucket=vbucket, Key="k")
    assert got["Body"].read() == b"one"
    assert got["VersionId"] == v1
    vers, _ = versions(s3, vbucket)
    assert [(v["VersionId"], v["IsLatest"]) for v in vers] == [(v1, True)]


def test_delete_objects_in_versioned_bucket(s3, vbucket):
    enable(s3, vbucket)
    va = put(s3, vbucket, "a", b"a")
    put(s3, vbucket, "b", b"b1")
    vb2 = put(s3, vbucket, "b", b"b2")
    resp = s3.delete_objects(Bucket=vbucket, Delete={"Objects": [
        {"Key": "a"},                       # -> delete marker
        {"Key": "b", "VersionId": vb2},     # -> permanent delete of that version
    ]})
    deleted = {d["Key"]: d for d in resp["Deleted"]}
    assert deleted["a"]["DeleteMarker"] is True
    assert deleted["a"]["DeleteMarkerVersionId"]
    assert deleted["b"]["VersionId"] == vb2
    assert resp.get("Errors", []) == []

    expect_error(s3.get_object, "NoSuchKey", 404, Bucket=vbucket, Key="a")
    assert body_of(s3, vbucket, "a", VersionId=va) == b"a"
    assert body_of(s3, vbucket, "b") == b"b1"


def test_version_id_errors(s3, vbucket):
    enable(s3, vbucket)
    put(s3, vbucket, "a", b"a")
    vb = put(s3, vbucket, "b", b"b")
    # a real version id, but of another key
    expect_error(s3.get_object, "NoSuchVersion", 404, Bucket=vbucket, Key="a", VersionId=vb)
    # not a version id at all
    expect_error(s3.get_object, "InvalidArgument", 400, Bucket=vbucket, Key="a",
                 VersionId="this-is-not-a-version-id")
    with pytest.raises(ClientError) as exc:
        s3.head_object(Bucket=vbucket, Key="a", VersionId="this-is-not-a-version-id")
    assert exc.value.response["ResponseMetadata"]["HTTPStatusCode"] == 400


# --------------------------------------------------------------------------
# null version / suspended
# --------------------------------------------------------------------------

def test_object_from_before_versioning_keeps_null_version(s3, vbucket):
    put(s3, vbucket, "k", b"pre-versioning")
    enable(s3, vbucket)
    v1 = put(s3, vbucket, "k", b"versioned")
    assert v1 != "null"
    assert body_of(s3, vbucket, "k", VersionId="null") == b"pre-versioning"
    assert body_of(s3, vbucket, "k") == b"versioned"
    vers, _ = versions(s3, vbucket)
    assert [(v["VersionId"], v["IsLatest"]) for v in vers] == [(v1, True), ("null", False)]


def test_suspended_put_overwrites_null_version(s3, vbucket):
    enable(s3, vbucket)
    v1 = put(s3, vbucket, "k", b"enabled-version")
    suspend(s3, vbucket)
    put(s3, vbucket, "k", b"null-1")
    put(s3, vbucket, "k", b"null-2")

    assert body_of(s3, vbucket, "k") == b"null-2"
    got = s3.get_object(Bucket=vbucket, Key="k", VersionId="null")
    assert got["Body"].read() == b"null-2"
    assert got.get("VersionId", "null") == "null"
    assert body_of(s3, vbucket, "k", VersionId=v1) == b"enabled-version"

    vers, markers = versions(s3, vbucket)
    assert [(v["VersionId"], v["IsLatest"]) for v in vers] == [("null", True), (v1, False)]
    assert markers == []


def test_suspended_delete_places_null_delete_marker(s3, vbucket):
    enable(s3, vbucket)
    v1 = put(s3, vbucket, "k", b"kept")
    suspend(s3, vbucket)
    put(s3, vbucket, "k", b"null data")
    resp = s3.delete_object(Bucket=vbucket, Key="k")
    assert resp["DeleteMarker"] is True
    assert resp["VersionId"] == "null"
    expect_error(s3.get_object, "NoSuchKey", 404, Bucket=vbucket, Key="k")
    vers, markers = versions(s3, vbucket)
    # the null object version was replaced by the null delete marker
    assert [(v["VersionId"], v["IsLatest"]) for v in vers] == [(v1, False)]
    assert [(m["VersionId"], m["IsLatest"]) for m in markers] == [("null", True)]


def test_reenabled_bucket_keeps_null_version(s3, vbucket):
    enable(s3, vbucket)
    suspend(s3, vbucket)
    put(s3, vbucket, "k", b"null")
    enable(s3, vbucket)
    v2 = put(s3, vbucket, "k", b"after")
    vers, _ = versions(s3, vbucket)
    assert [(v["VersionId"], v["IsLatest"]) for v in vers] == [(v2, True), ("null", False)]


# --------------------------------------------------------------------------
# listings
# --------------------------------------------------------------------------

def test_list_object_versions_order_and_is_latest(s3, signer, vbucket):
    enable(s3, vbucket)
    a1 = put(s3, vbucket, "a", b"a1")
    a2 = put(s3, vbucket, "a", b"a22")
    am = s3.delete_object(Bucket=vbucket, Key="a")["VersionId"]
    b1 = put(s3, vbucket, "b", b"b1")

    resp = s3.list_object_versions(Bucket=vbucket)
    assert resp["IsTruncated"] is False
    assert resp["Name"] == vbucket
    vers = [(v["Key"], v["VersionId"], v["IsLatest"], v["Size"]) for v in resp["Versions"]]
    assert vers == [("a", a2, False, 3), ("a", a1, False, 2), ("b", b1, True, 2)]
    dms = [(m["Key"], m["VersionId"], m["IsLatest"]) for m in resp["DeleteMarkers"]]
    assert dms == [("a", am, True)]
    for v in resp["Versions"]:
        assert v["ETag"].startswith('"') and v["LastModified"]
        assert v.get("StorageClass", "STANDARD") == "STANDARD"

    # the XML interleaves versions and delete markers: by key, newest first
    assert raw_version_entries(signer, vbucket) == [
        ("DeleteMarker", "a", am, "true"), ("Version", "a", a2, "false"),
        ("Version", "a", a1, "false"), ("Version", "b", b1, "true")]


def test_list_objects_v2_shows_only_current_versions(s3, vbucket):
    enable(s3, vbucket)
    put(s3, vbucket, "keep", b"v1")
    put(s3, vbucket, "keep", b"v2-longer")
    put(s3, vbucket, "gone", b"x")
    s3.delete_object(Bucket=vbucket, Key="gone")
    resp = s3.list_objects_v2(Bucket=vbucket)
    assert [(o["Key"], o["Size"]) for o in resp["Contents"]] == [("keep", len(b"v2-longer"))]
    assert resp["KeyCount"] == 1
    v1 = s3.list_objects(Bucket=vbucket)
    assert [o["Key"] for o in v1["Contents"]] == ["keep"]


def test_list_object_versions_prefix_and_delimiter(s3, vbucket):
    enable(s3, vbucket)
    for key in ["dir/a", "dir/a", "dir/sub/b", "top", "other/c"]:
        put(s3, vbucket, key, key.encode())
    resp = s3.list_object_versions(Bucket=vbucket, Prefix="dir/")
    assert resp["Prefix"] == "dir/"
    assert [v["Key"] for v in resp["Versions"]] == ["dir/a", "dir/a", "dir/sub/b"]

    resp = s3.list_object_versions(Bucket=vbucket, Delimiter="/")
    assert resp["Delimiter"] == "/"
    assert [v["Key"] for v in resp["Versions"]] == ["top"]
    assert [p["Prefix"] for p in resp["CommonPrefixes"]] == ["dir/", "other/"]

    resp = s3.list_object_versions(Bucket=vbucket, Prefix="dir/", Delimiter="/")
    assert [v["Key"] for v in resp["Versions"]] == ["dir/a", "dir/a"]
    assert [p["Prefix"] for p in resp["CommonPrefixes"]] == ["dir/sub/"]


def test_list_object_versions_pagination(s3, vbucket):
    enable(s3, vbucket)
    expected = []  # (key, version id) in listing order: key asc, newest first
    for key, n in [("a", 3), ("b", 1), ("c", 2)]:
        ids = [put(s3, vbucket, key, f"{key}{i}".encode()) for i in range(n)]
        expected += [(key, vid) for vid in reversed(ids)]
    marker = s3.delete_object(Bucket=vbucket, Key="b")["VersionId"]
    b_idx = next(i for i, (k, _) in enumerate(expected) if k == "b")
    expected.insert(b_idx, ("b", marker))
    assert len(expected) == 7

    seen, key_marker, vid_marker, pages = [], None, None, 0
    while True:
        kw = {"MaxKeys": 2}
        if key_marker is not None:
            kw.update(KeyMarker=key_marker, VersionIdMarker=vid_marker)
        resp = s3.list_object_versions(Bucket=vbucket, **kw)
        pages += 1
        assert resp["MaxKeys"] == 2
        entries = resp.get("Versions", []) + resp.get("DeleteMarkers", [])
        assert len(entries) <= 2
        batch = sorted(((e["Key"], e["VersionId"]) for e in entries),
                       key=lambda kv: expected.index(kv))
        seen += batch
        if not resp["IsTruncated"]:
            break
        key_marker, vid_marker = resp["NextKeyMarker"], resp["NextVersionIdMarker"]
        assert pages < 10
    assert seen == expected
    assert pages == 4

    # key-marker alone starts after every version of that key
    resp = s3.list_object_versions(Bucket=vbucket, KeyMarker="a")
    assert resp["KeyMarker"] == "a"
    got = [(e["Key"], e["VersionId"]) for e in resp.get("Versions", []) + resp.get("DeleteMarkers", [])]
    assert sorted(got, key=lambda kv: expected.index(kv)) == [kv for kv in expected if kv[0] > "a"]

    # key-marker + version-id-marker: the older versions of that key, then later keys
    a_ids = [vid for k, vid in expected if k == "a"]
    resp = s3.list_object_versions(Bucket=vbucket, KeyMarker="a", VersionIdMarker=a_ids[0])
    assert resp["VersionIdMarker"] == a_ids[0]
    got = [(e["Key"], e["VersionId"]) for e in resp.get("Versions", []) + resp.get("DeleteMarkers", [])]
    assert sorted(got, key=lambda kv: expected.index(kv)) == expected[1:]


def test_list_object_versions_max_keys_zero_and_empty(s3, vbucket):
    enable(s3, vbucket)
    resp = s3.list_object_versions(Bucket=vbucket)
    assert resp.get("Versions", []) == [] and resp.get("DeleteMarkers", []) == []
    assert resp["IsTruncated"] is False
    put(s3, vbucket, "k", b"x")
    resp = s3.list_object_versions(Bucket=vbucket, MaxKeys=0)
    assert resp.get("Versions", []) == []


def test_list_object_versions_missing_bucket(s3):
    expect_error(s3.list_object_versions, "NoSuchBucket", 404, Bucket="no-such-bucket-lov-zz")


def test_versioned_bucket_cannot_be_deleted_while_versions_remain(s3, vbucket):
    enable(s3, vbucket)
    v = put(s3, vbucket, "k", b"x")
    s3.delete_object(Bucket=vbucket, Key="k")  # only a delete marker is current
    assert s3.list_objects_v2(Bucket=vbucket)["KeyCount"] == 0
    expect_error(s3.delete_bucket, "BucketNotEmpty", 409, Bucket=vbucket)
    assert body_of(s3, vbucket, "k", VersionId=v) == b"x"
