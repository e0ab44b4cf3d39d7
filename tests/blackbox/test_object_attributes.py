"""GetObjectAttributes, against AWS S3's documented behaviour: ETag (unquoted),
Checksum, ObjectParts (with part-level checksums and MaxParts/PartNumberMarker
paging for multipart objects), StorageClass and ObjectSize; by version; errors."""

import base64
import hashlib
import random

import pytest
from botocore.exceptions import ClientError

from helpers import expect_error, object_path, xml_root, strip_ns, find_text

# GetObjectAttributes is implemented: no xfail marker.

MiB = 1 << 20
ALL = ["ETag", "Checksum", "ObjectParts", "StorageClass", "ObjectSize"]


def b64(raw: bytes) -> str:
    return base64.b64encode(raw).decode()


def rand_bytes(n, seed) -> bytes:
    return random.Random(seed).randbytes(n)


def multipart_object(s3, bucket, key, bodies, checksum=None):
    kw = {"ChecksumAlgorithm": checksum} if checksum else {}
    uid = s3.create_multipart_upload(Bucket=bucket, Key=key, **kw)["UploadId"]
    parts = []
    for n, body in enumerate(bodies, start=1):
        r = s3.upload_part(Bucket=bucket, Key=key, UploadId=uid, PartNumber=n, Body=body, **kw)
        part = {"PartNumber": n, "ETag": r["ETag"]}
        if checksum:
            name = "Checksum" + checksum
            part[name] = r[name]
        parts.append(part)
    return s3.complete_multipart_upload(Bucket=bucket, Key=key, UploadId=uid,
                                        MultipartUpload={"Parts": parts})


def test_simple_object_attributes(s3, bucket):
    body = b"attributes of a simple object"
    s3.put_object(Bucket=bucket, Key="obj", Body=body)
    resp = s3.get_object_attributes(Bucket=bucket, Key="obj",
                                    ObjectAttributes=["ETag", "StorageClass", "ObjectSize"])
    assert resp["ResponseMetadata"]["HTTPStatusCode"] == 200
    assert resp["ETag"] == hashlib.md5(body).hexdigest()  # no quotes in this API
    assert resp["ObjectSize"] == len(body)
    assert resp["StorageClass"] == "STANDARD"
    assert resp["LastModified"]
    assert "ObjectParts" not in resp


def test_only_requested_attributes_returned(s3, bucket):
    s3.put_object(Bucket=bucket, Key="obj", Body=b"abc")
    resp = s3.get_object_attributes(Bucket=bucket, Key="obj", ObjectAttributes=["ObjectSize"])
    assert resp["ObjectSize"] == 3
    for absent in ("ETag", "StorageClass", "Checksum", "ObjectParts"):
        assert absent not in resp


def test_raw_response_shape(signer, s3, bucket):
    s3.put_object(Bucket=bucket, Key="obj", Body=b"raw")
    r = signer.request("GET", object_path(bucket, "obj"), query=[("attributes", "")],
                       headers={"x-amz-object-attributes": "ETag,ObjectSize"})
    assert r.status == 200, r
    root = xml_root(r.body)
    assert strip_ns(root.tag) == "GetObjectAttributesResponse"
    assert find_text(root, "ETag") == hashlib.md5(b"raw").hexdigest()
    assert find_text(root, "ObjectSize") == "3"
    assert r.header("Last-Modified")


def test_checksum_attribute_single_part(s3, bucket):
    body = b"checksummed body"
    s3.put_object(Bucket=bucket, Key="obj", Body=body, ChecksumAlgorithm="SHA256")
    resp = s3.get_object_attributes(Bucket=bucket, Key="obj", ObjectAttributes=ALL)
    assert resp["Checksum"]["ChecksumSHA256"] == b64(hashlib.sha256(body).digest())
    assert resp["Checksum"].get("ChecksumType", "FULL_OBJECT") == "FULL_OBJECT"
    assert resp["ObjectSize"] == len(body)
    assert resp["ETag"] == hashlib.md5(body).hexdigest()
    assert "ObjectParts" not in resp


def test_multipart_object_without_checksums(s3, bucket):
    bodies = [rand_bytes(5 * MiB, "p1"), rand_bytes(5 * MiB, "p2"), b"tail"]
    done = multipart_object(s3, bucket, "mpu", bodies)
    resp = s3.get_object_attributes(Bucket=bucket, Key="mpu", ObjectAttributes=ALL)
    assert resp["ETag"] == done["ETag"].strip('"')
    assert resp["ETag"].endswith("-3")
    assert resp["ObjectSize"] == sum(map(len, bodies))
    assert resp["StorageClass"] == "STANDARD"
    assert resp["ObjectParts"]["TotalPartsCount"] == 3
    # general purpose buckets list parts only when an additional checksum was used
    assert not resp["ObjectParts"].get("Parts")


def test_multipart_object_with_sha256_parts(s3, bucket):
    bodies = [rand_bytes(5 * MiB, "s1"), rand_bytes(5 * MiB, "s2"), rand_bytes(100, "s3")]
    done = multipart_object(s3, bucket, "mpu", bodies, checksum="SHA256")
    part_sums = [b64(hashlib.sha256(b).digest()) for b in bodies]
    composite = b64(hashlib.sha256(b"".join(hashlib.sha256(b).digest() for b in bodies)).digest())

    resp = s3.get_object_attributes(Bucket=bucket, Key="mpu", ObjectAttributes=ALL)
    # the composite value, with or without the "-N" suffix CompleteMultipartUpload shows
    assert resp["Checksum"]["ChecksumSHA256"].split("-")[0] == composite
    assert done["ChecksumSHA256"].split("-")[0] == composite
    op = resp["ObjectParts"]
    assert op["TotalPartsCount"] == 3
    assert op.get("IsTruncated") in (False, None)
    assert [(p["PartNumber"], p["Size"], p["ChecksumSHA256"]) for p in op["Parts"]] == [
        (n, len(b), s) for n, (b, s) in enumerate(zip(bodies, part_sums), start=1)]


def test_object_parts_paging(s3, bucket):
    bodies = [rand_bytes(5 * MiB, f"q{i}") for i in range(3)] + [b"end"]
    multipart_object(s3, bucket, "mpu", bodies, checksum="CRC32")

    first = s3.get_object_attributes(Bucket=bucket, Key="mpu", ObjectAttributes=["ObjectParts"],
                                     MaxParts=2)
    op = first["ObjectParts"]
    assert op["TotalPartsCount"] == 4
    assert op["MaxParts"] == 2
    assert op["IsTruncated"] is True
    assert [p["PartNumber"] for p in op["Parts"]] == [1, 2]
    assert int(op["NextPartNumberMarker"]) == 2

    second = s3.get_object_attributes(Bucket=bucket, Key="mpu", ObjectAttributes=["ObjectParts"],
                                      MaxParts=2, PartNumberMarker=int(op["NextPartNumberMarker"]))
    op2 = second["ObjectParts"]
    assert [p["PartNumber"] for p in op2["Parts"]] == [3, 4]
    assert op2["IsTruncated"] is False
    assert int(op2["PartNumberMarker"]) == 2
    assert [p["Size"] for p in op["Parts"] + op2["Parts"]] == [len(b) for b in bodies]


def test_attributes_by_version(s3, bucket):
    s3.put_bucket_versioning(Bucket=bucket, VersioningConfiguration={"Status": "Enabled"})
    v1 = s3.put_object(Bucket=bucket, Key="obj", Body=b"first")["VersionId"]
    v2 = s3.put_object(Bucket=bucket, Key="obj", Body=b"second!")["VersionId"]
    old = s3.get_object_attributes(Bucket=bucket, Key="obj", VersionId=v1,
                                   ObjectAttributes=["ObjectSize", "ETag"])
    assert old["VersionId"] == v1
    assert old["ObjectSize"] == 5
    assert old["ETag"] == hashlib.md5(b"first").hexdigest()
    cur = s3.get_object_attributes(Bucket=bucket, Key="obj", ObjectAttributes=["ObjectSize"])
    assert cur["VersionId"] == v2
    assert cur["ObjectSize"] == 7

    s3.delete_object(Bucket=bucket, Key="obj")
    with pytest.raises(ClientError) as exc:
        s3.get_object_attributes(Bucket=bucket, Key="obj", ObjectAttributes=["ObjectSize"])
    err = exc.value.response
    assert err["ResponseMetadata"]["HTTPStatusCode"] == 404
    assert err["Error"]["Code"] == "NoSuchKey"
    assert err["ResponseMetadata"]["HTTPHeaders"].get("x-amz-delete-marker") == "true"


def test_missing_object_and_bucket(s3, bucket):
    expect_error(s3.get_object_attributes, "NoSuchKey", 404, Bucket=bucket, Key="nope",
                 ObjectAttributes=["ObjectSize"])
    expect_error(s3.get_object_attributes, "NoSuchBucket", 404, Bucket="no-such-bucket-attr-zz",
                 Key="k", ObjectAttributes=["ObjectSize"])
