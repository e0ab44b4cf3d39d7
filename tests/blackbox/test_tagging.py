"""Object and bucket tagging, against AWS S3's documented behaviour: Put/Get/
DeleteObjectTagging (also by version), x-amz-tagging on PutObject, CopyObject
(TaggingDirective COPY/REPLACE) and CreateMultipartUpload, x-amz-tagging-count on
GET/HEAD, the tag limits, and Put/Get/DeleteBucketTagging."""

import urllib.parse

import pytest
from botocore.exceptions import ClientError

from helpers import expect_error, object_path, xml_root, find_all, children_text

# Tagging is implemented: no xfail marker.

MiB = 1 << 20


def tagset(d: dict) -> dict:
    return {"TagSet": [{"Key": k, "Value": v} for k, v in d.items()]}


def as_dict(tag_list) -> dict:
    return {t["Key"]: t["Value"] for t in tag_list}


def get_tags(s3, bucket, key, **kw) -> dict:
    return as_dict(s3.get_object_tagging(Bucket=bucket, Key=key, **kw)["TagSet"])


def expect_tag_rejected(fn, **kwargs):
    """AWS documents InvalidTag for tags failing validation; for too many tags it
    answers 400 BadRequest ("Object tags cannot be greater than 10"). Accept either."""
    with pytest.raises(ClientError) as exc:
        fn(**kwargs)
    resp = exc.value.response
    assert resp["ResponseMetadata"]["HTTPStatusCode"] == 400, resp
    assert resp["Error"]["Code"] in ("InvalidTag", "BadRequest"), resp
    return resp


def enable_versioning(s3, bucket):
    s3.put_bucket_versioning(Bucket=bucket, VersioningConfiguration={"Status": "Enabled"})


# --------------------------------------------------------------------------
# object tagging
# --------------------------------------------------------------------------

def test_put_get_delete_object_tagging(s3, bucket):
    s3.put_object(Bucket=bucket, Key="obj", Body=b"data")
    assert s3.get_object_tagging(Bucket=bucket, Key="obj")["TagSet"] == []

    resp = s3.put_object_tagging(Bucket=bucket, Key="obj",
                                 Tagging=tagset({"project": "magpie", "env": "test"}))
    assert resp["ResponseMetadata"]["HTTPStatusCode"] == 200
    assert get_tags(s3, bucket, "obj") == {"project": "magpie", "env": "test"}

    # PUT replaces the whole set
    s3.put_object_tagging(Bucket=bucket, Key="obj", Tagging=tagset({"only": "one"}))
    assert get_tags(s3, bucket, "obj") == {"only": "one"}

    resp = s3.delete_object_tagging(Bucket=bucket, Key="obj")
    assert resp["ResponseMetadata"]["HTTPStatusCode"] == 204
    assert s3.get_object_tagging(Bucket=bucket, Key="obj")["TagSet"] == []
    # the object itself is untouched
    assert s3.get_object(Bucket=bucket, Key="obj")["Body"].read() == b"data"


def test_get_object_tagging_raw_xml_shape(signer, s3, bucket):
    s3.put_object(Bucket=bucket, Key="obj", Body=b"x")
    s3.put_object_tagging(Bucket=bucket, Key="obj", Tagging=tagset({"k": "v"}))
    r = signer.request("GET", object_path(bucket, "obj"), query=[("tagging", "")])
    assert r.status == 200, r
    root = xml_root(r.body)
    assert root.tag.endswith("Tagging")
    tags = find_all(root, "Tag")
    assert [(children_text(t, "Key"), children_text(t, "Value")) for t in tags] == [("k", "v")]
    assert find_all(root, "TagSet")


def test_object_tagging_special_characters_and_empty_value(s3, bucket):
    s3.put_object(Bucket=bucket, Key="obj", Body=b"x")
    tags = {"key with spaces": "value/with+plus=and:colon", "empty": "", "ünï": "cödé"}
    s3.put_object_tagging(Bucket=bucket, Key="obj", Tagging=tagset(tags))
    assert get_tags(s3, bucket, "obj") == tags


def test_object_tagging_missing_object(s3, bucket):
    expect_error(s3.get_object_tagging, "NoSuchKey", 404, Bucket=bucket, Key="nope")
    expect_error(s3.put_object_tagging, "NoSuchKey", 404, Bucket=bucket, Key="nope",
                 Tagging=tagset({"a": "b"}))
    expect_error(s3.delete_object_tagging, "NoSuchKey", 404, Bucket=bucket, Key="nope")


def test_object_tagging_missing_bucket(s3):
    expect_error(s3.get_object_tagging, "NoSuchBucket", 404,
                 Bucket="no-such-bucket-tagging-zz", Key="k")


def test_tagging_count_header_on_get_and_head(s3, bucket):
    s3.put_object(Bucket=bucket, Key="untagged", Body=b"x")
    assert "TagCount" not in s3.head_object(Bucket=bucket, Key="untagged")
    got = s3.get_object(Bucket=bucket, Key="untagged")
    assert "TagCount" not in got
    assert "x-amz-tagging-count" not in got["ResponseMetadata"]["HTTPHeaders"]

    s3.put_object(Bucket=bucket, Key="tagged", Body=b"x", Tagging="a=1&b=2&c=3")
    got = s3.get_object(Bucket=bucket, Key="tagged")
    assert got["TagCount"] == 3
    assert got["ResponseMetadata"]["HTTPHeaders"]["x-amz-tagging-count"] == "3"
    # HEAD: AWS documents x-amz-tagging-count on GetObject; check HEAD only if sent
    head = s3.head_object(Bucket=bucket, Key="tagged")
    if "x-amz-tagging-count" in head["ResponseMetadata"]["HTTPHeaders"]:
        assert head["ResponseMetadata"]["HTTPHeaders"]["x-amz-tagging-count"] == "3"

    s3.delete_object_tagging(Bucket=bucket, Key="tagged")
    assert "TagCount" not in s3.get_object(Bucket=bucket, Key="tagged")


def test_put_object_with_tagging_header(s3, bucket):
    header = urllib.parse.urlencode({"team": "storage", "note": "a b/c+d", "flag": ""})
    s3.put_object(Bucket=bucket, Key="obj", Body=b"x", Tagging=header)
    assert get_tags(s3, bucket, "obj") == {"team": "storage", "note": "a b/c+d", "flag": ""}
    # overwriting the object without tags drops the old tags
    s3.put_object(Bucket=bucket, Key="obj", Body=b"y")
    assert get_tags(s3, bucket, "obj") == {}


def test_copy_object_tagging_directive(s3, bucket):
    s3.put_object(Bucket=bucket, Key="src", Body=b"source", Tagging="colour=blue&size=l")
    src = {"Bucket": bucket, "Key": "src"}

    # default directive is COPY
    s3.copy_object(Bucket=bucket, Key="default", CopySource=src)
    assert get_tags(s3, bucket, "default") == {"colour": "blue", "size": "l"}

    s3.copy_object(Bucket=bucket, Key="copy", CopySource=src, TaggingDirective="COPY")
    assert get_tags(s3, bucket, "copy") == {"colour": "blue", "size": "l"}

    s3.copy_object(Bucket=bucket, Key="replace", CopySource=src, TaggingDirective="REPLACE",
                   Tagging="colour=red")
    assert get_tags(s3, bucket, "replace") == {"colour": "red"}
    assert s3.get_object(Bucket=bucket, Key="replace")["TagCount"] == 1

    s3.copy_object(Bucket=bucket, Key="replace-empty", CopySource=src,
                   TaggingDirective="REPLACE")
    assert get_tags(s3, bucket, "replace-empty") == {}

    # the source keeps its tags
    assert get_tags(s3, bucket, "src") == {"colour": "blue", "size": "l"}


def test_copy_object_invalid_tagging_directive(s3, bucket):
    s3.put_object(Bucket=bucket, Key="src", Body=b"x")
    expect_error(s3.copy_object, "InvalidArgument", 400, Bucket=bucket, Key="dst",
                 CopySource={"Bucket": bucket, "Key": "src"}, TaggingDirective="MERGE")


def test_create_multipart_upload_with_tagging(s3, bucket):
    uid = s3.create_multipart_upload(Bucket=bucket, Key="mpu", Tagging="origin=mpu&n=1")["UploadId"]
    r1 = s3.upload_part(Bucket=bucket, Key="mpu", UploadId=uid, PartNumber=1,
                        Body=b"a" * (5 * MiB))
    r2 = s3.upload_part(Bucket=bucket, Key="mpu", UploadId=uid, PartNumber=2, Body=b"tail")
    s3.complete_multipart_upload(Bucket=bucket, Key="mpu", UploadId=uid, MultipartUpload={
        "Parts": [{"PartNumber": 1, "ETag": r1["ETag"]}, {"PartNumber": 2, "ETag": r2["ETag"]}]})
    assert get_tags(s3, bucket, "mpu") == {"origin": "mpu", "n": "1"}
    assert s3.get_object(Bucket=bucket, Key="mpu")["TagCount"] == 2


def test_object_tagging_by_version_id(s3, bucket):
    enable_versioning(s3, bucket)
    v1 = s3.put_object(Bucket=bucket, Key="obj", Body=b"one", Tagging="v=1")["VersionId"]
    v2 = s3.put_object(Bucket=bucket, Key="obj", Body=b"two")["VersionId"]
    assert v1 != v2

    assert get_tags(s3, bucket, "obj") == {}
    assert get_tags(s3, bucket, "obj", VersionId=v1) == {"v": "1"}
    resp = s3.get_object_tagging(Bucket=bucket, Key="obj", VersionId=v1)
    assert resp["VersionId"] == v1

    resp = s3.put_object_tagging(Bucket=bucket, Key="obj", VersionId=v2,
                                 Tagging=tagset({"v": "2"}))
    assert resp["VersionId"] == v2
    assert get_tags(s3, bucket, "obj") == {"v": "2"}
    assert get_tags(s3, bucket, "obj", VersionId=v1) == {"v": "1"}

    resp = s3.delete_object_tagging(Bucket=bucket, Key="obj", VersionId=v1)
    assert resp["VersionId"] == v1
    assert get_tags(s3, bucket, "obj", VersionId=v1) == {}
    assert get_tags(s3, bucket, "obj", VersionId=v2) == {"v": "2"}

    # the current-version call reports which version it addressed
    assert s3.get_object_tagging(Bucket=bucket, Key="obj")["VersionId"] == v2


# --------------------------------------------------------------------------
# limits and validation
# --------------------------------------------------------------------------

def test_ten_tags_ok_eleven_rejected(s3, bucket):
    s3.put_object(Bucket=bucket, Key="obj", Body=b"x")
    ten = {f"k{i}": f"v{i}" for i in range(10)}
    s3.put_object_tagging(Bucket=bucket, Key="obj", Tagging=tagset(ten))
    assert get_tags(s3, bucket, "obj") == ten

    eleven = {f"k{i}": f"v{i}" for i in range(11)}
    expect_tag_rejected(s3.put_object_tagging, Bucket=bucket, Key="obj", Tagging=tagset(eleven))
    assert get_tags(s3, bucket, "obj") == ten  # unchanged


def test_eleven_tags_in_header_rejected(s3, bucket):
    header = "&".join(f"k{i}=v{i}" for i in range(11))
    expect_tag_rejected(s3.put_object, Bucket=bucket, Key="obj", Body=b"x", Tagging=header)
    expect_error(s3.head_object, "404", 404, Bucket=bucket, Key="obj")


def test_tag_key_and_value_length_limits(s3, bucket):
    s3.put_object(Bucket=bucket, Key="obj", Body=b"x")
    ok = {"k" * 128: "v" * 256}
    s3.put_object_tagging(Bucket=bucket, Key="obj", Tagging=tagset(ok))
    assert get_tags(s3, bucket, "obj") == ok

    resp = expect_tag_rejected(s3.put_object_tagging, Bucket=bucket, Key="obj",
                               Tagging=tagset({"k" * 129: "v"}))
    assert resp["Error"]["Code"] == "InvalidTag"
    resp = expect_tag_rejected(s3.put_object_tagging, Bucket=bucket, Key="obj",
                               Tagging=tagset({"k": "v" * 257}))
    assert resp["Error"]["Code"] == "InvalidTag"
    assert get_tags(s3, bucket, "obj") == ok


def test_tag_length_limits_in_header(s3, bucket):
    expect_tag_rejected(s3.put_object, Bucket=bucket, Key="a", Body=b"x",
                        Tagging=f"{'k' * 129}=v")
    expect_tag_rejected(s3.put_object, Bucket=bucket, Key="b", Body=b"x",
                        Tagging=f"k={'v' * 257}")


def test_duplicate_tag_keys_rejected(s3, bucket):
    s3.put_object(Bucket=bucket, Key="obj", Body=b"x")
    dup = {"TagSet": [{"Key": "same", "Value": "1"}, {"Key": "same", "Value": "2"}]}
    expect_error(s3.put_object_tagging, "InvalidTag", 400, Bucket=bucket, Key="obj", Tagging=dup)


def test_malformed_tagging_xml(signer, s3, bucket):
    s3.put_object(Bucket=bucket, Key="obj", Body=b"x")
    import base64
    import hashlib
    body = b"<Tagging><TagSet><Tag><Key>a</Key>"
    r = signer.request("PUT", object_path(bucket, "obj"), query=[("tagging", "")], body=body,
                       headers={"Content-MD5": base64.b64encode(hashlib.md5(body).digest()).decode()})
    assert r.status == 400, r
    assert r.error.get("Code") == "MalformedXML", r


# --------------------------------------------------------------------------
# bucket tagging
# --------------------------------------------------------------------------

def test_bucket_tagging_lifecycle(s3, bucket):
    expect_error(s3.get_bucket_tagging, "NoSuchTagSet", 404, Bucket=bucket)

    resp = s3.put_bucket_tagging(Bucket=bucket, Tagging=tagset({"cost-centre": "42", "owner": "me"}))
    assert resp["ResponseMetadata"]["HTTPStatusCode"] in (200, 204)
    assert as_dict(s3.get_bucket_tagging(Bucket=bucket)["TagSet"]) == {
        "cost-centre": "42", "owner": "me"}

    s3.put_bucket_tagging(Bucket=bucket, Tagging=tagset({"owner": "you"}))
    assert as_dict(s3.get_bucket_tagging(Bucket=bucket)["TagSet"]) == {"owner": "you"}

    resp = s3.delete_bucket_tagging(Bucket=bucket)
    assert resp["ResponseMetadata"]["HTTPStatusCode"] == 204
    expect_error(s3.get_bucket_tagging, "NoSuchTagSet", 404, Bucket=bucket)


def test_bucket_tagging_independent_of_object_tagging(s3, bucket):
    s3.put_object(Bucket=bucket, Key="obj", Body=b"x", Tagging="obj=1")
    s3.put_bucket_tagging(Bucket=bucket, Tagging=tagset({"bucket": "1"}))
    assert get_tags(s3, bucket, "obj") == {"obj": "1"}
    assert as_dict(s3.get_bucket_tagging(Bucket=bucket)["TagSet"]) == {"bucket": "1"}


def test_bucket_tagging_missing_bucket(s3):
    expect_error(s3.get_bucket_tagging, "NoSuchBucket", 404, Bucket="no-such-bucket-tags-zz")
    expect_error(s3.put_bucket_tagging, "NoSuchBucket", 404, Bucket="no-such-bucket-tags-zz",
                 Tagging=tagset({"a": "b"}))


def test_bucket_tagging_limits(s3, bucket):
    expect_tag_rejected(s3.put_bucket_tagging, Bucket=bucket, Tagging=tagset({"k" * 129: "v"}))
    expect_tag_rejected(s3.put_bucket_tagging, Bucket=bucket, Tagging=tagset({"k": "v" * 257}))
    dup = {"TagSet": [{"Key": "same", "Value": "1"}, {"Key": "same", "Value": "2"}]}
    expect_tag_rejected(s3.put_bucket_tagging, Bucket=bucket, Tagging=dup)
    expect_error(s3.get_bucket_tagging, "NoSuchTagSet", 404, Bucket=bucket)
