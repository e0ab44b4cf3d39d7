"""SSE-KMS (aws:kms) with Magpie's local keyring: `magpie admin kms` create/list/disable/enable, the
key id forms S3 accepts (name, alias/name, ARN), the default aws/s3 key, bucket keys, S3's KMS
errors, disabled keys, multipart uploads, copies to and from other encryption kinds, bucket default
encryption with a KMS key, versions, browser POST and the aws CLI."""
from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import uuid

import pytest
import requests
from botocore.exceptions import ClientError

from helpers import b64, expect_error, md5_b64, object_path

KiB = 1024
MiB = 1024 * KiB
CHUNK = 64 * KiB
ARN_PREFIX = "arn:aws:kms:us-east-1:000000000000:key/"
DEFAULT_ARN = ARN_PREFIX + "aws/s3"
KEY_C = hashlib.sha256(b"customer key for kms tests").digest()


def ssec(key: bytes) -> dict:
    return {"SSECustomerAlgorithm": "AES256", "SSECustomerKey": key}


def copy_ssec(key: bytes) -> dict:
    return {"CopySourceSSECustomerAlgorithm": "AES256", "CopySourceSSECustomerKey": key}


def md5_etag(data: bytes) -> str:
    return '"%s"' % hashlib.md5(data).hexdigest()


def error_of(excinfo) -> tuple[str, int]:
    r = excinfo.value.response
    return r["Error"]["Code"], r["ResponseMetadata"]["HTTPStatusCode"]


def assert_kms(resp: dict, arn: str, bucket_key: bool = False):
    headers = resp.get("ResponseMetadata", {}).get("HTTPHeaders")
    assert resp.get("ServerSideEncryption") == "aws:kms", headers
    assert resp.get("SSEKMSKeyId") == arn, headers
    if bucket_key:
        assert resp.get("BucketKeyEnabled") is True, headers
    else:
        assert "BucketKeyEnabled" not in resp, headers
    assert "SSECustomerAlgorithm" not in resp


def complete(s3, bucket, key, upload_id, etags):
    return s3.complete_multipart_upload(
        Bucket=bucket, Key=key, UploadId=upload_id,
        MultipartUpload={"Parts": [{"PartNumber": i + 1, "ETag": e} for i, e in enumerate(etags)]})


@pytest.fixture
def kms_key(magpie_cli):
    """Factory: a fresh keyring key -> (name, arn)."""
    def _make(prefix: str = "key"):
        name = f"{prefix}-{uuid.uuid4().hex[:10]}"
        info = json.loads(magpie_cli("admin", "kms", "create", name).stdout)
        return name, info["arn"]
    return _make


def kms_list(magpie_cli) -> dict:
    return {k["name"]: k for k in json.loads(magpie_cli("admin", "kms", "list").stdout)}


def check_ranges(s3, bucket, key, body, boundaries, **extra):
    n = len(body)
    specs = [("bytes=0-0", 0, 0), ("bytes=-1", n - 1, n - 1), (f"bytes=-{n}", 0, n - 1), ("bytes=0-", 0, n - 1),
             (f"bytes={n - 1}-", n - 1, n - 1), (f"bytes=3-{n + 100}", 3, n - 1)]
    for b in boundaries:
        specs += [(f"bytes={b - 1}-{b}", b - 1, b), (f"bytes={b}-{b}", b, b), (f"bytes={b - 70000}-{b + 70000}", b - 70000, min(n - 1, b + 70000)),
                  (f"bytes={b}-", b, n - 1), (f"bytes=-{n - b + 1}", b - 1, n - 1)]
    for spec, start, end in [(sp, s, e) for sp, s, e in specs if 0 <= s <= e < n]:
        got = s3.get_object(Bucket=bucket, Key=key, Range=spec, **extra)
        assert got["ContentRange"] == f"bytes {start}-{end}/{n}", spec
        assert got["Body"].read() == body[start:end + 1], spec


# --------------------------------------------------------------------------------------------
# Keyring administration
# --------------------------------------------------------------------------------------------

def test_admin_kms_create_and_list(magpie_cli):
    name = f"admin-{uuid.uuid4().hex[:8]}"
    info = json.loads(magpie_cli("admin", "kms", "create", name).stdout)
    assert set(info) == {"name", "arn", "enabled", "createdAt"}
    assert info["name"] == name and info["arn"] == ARN_PREFIX + name and info["enabled"] is True
    created = dt.datetime.fromisoformat(info["createdAt"].replace("Z", "+00:00"))
    assert abs((dt.datetime.now(dt.timezone.utc) - created).total_seconds()) < 3600
    listed = kms_list(magpie_cli)
    assert listed[name] == info
    dup = magpie_cli("admin", "kms", "create", name, check=False)
    assert dup.returncode != 0 and b"KMS.AlreadyExistsException" in dup.stderr + dup.stdout
    for bad in ("bad name", "x" * 300, "semi;colon", ""):
        assert magpie_cli("admin", "kms", "create", bad, check=False).returncode != 0, bad
    names = set(kms_list(magpie_cli))
    assert "bad name" not in names and "semi;colon" not in names
    missing = magpie_cli("admin", "kms", "disable", f"missing-{uuid.uuid4().hex[:6]}", check=False)
    assert missing.returncode != 0 and b"KMS.NotFoundException" in missing.stderr + missing.stdout


def test_admin_kms_disable_enable_round_trip(magpie_cli, kms_key):
    name, _ = kms_key("toggle")
    out = magpie_cli("admin", "kms", "disable", name)
    assert name.encode() in out.stdout
    assert kms_list(magpie_cli)[name]["enabled"] is False
    magpie_cli("admin", "kms", "enable", name)
    assert kms_list(magpie_cli)[name]["enabled"] is True


def test_admin_kms_needs_admin_credentials(magpie_cli, new_user):
    user = new_user("kmsuser")
    env = {"MAGPIE_ROOT_ACCESS_KEY": user.creds.access_key, "MAGPIE_ROOT_SECRET_KEY": user.creds.secret_key}
    name = f"sneaky-{uuid.uuid4().hex[:8]}"
    assert magpie_cli("admin", "kms", "create", name, env_extra=env, check=False).returncode != 0
    assert magpie_cli("admin", "kms", "list", env_extra=env, check=False).returncode != 0
    assert name not in kms_list(magpie_cli)


# --------------------------------------------------------------------------------------------
# PUT / GET / HEAD
# --------------------------------------------------------------------------------------------

def test_kms_key_id_forms_all_resolve_to_the_key_arn(s3, bucket, kms_key):
    name, arn = kms_key("forms")
    assert arn == ARN_PREFIX + name
    for i, key_id in enumerate((name, f"alias/{name}", arn)):
        body = os.urandom(10_000 + i)
        put = s3.put_object(Bucket=bucket, Key=f"k{i}", Body=body, ServerSideEncryption="aws:kms", SSEKMSKeyId=key_id)
        assert_kms(put, arn)
        assert put["ETag"].startswith('"') and len(put["ETag"]) == 34
        head = s3.head_object(Bucket=bucket, Key=f"k{i}")
        assert_kms(head, arn)
        assert head["ContentLength"] == len(body) and head["ETag"] == put["ETag"]
        got = s3.get_object(Bucket=bucket, Key=f"k{i}")
        assert_kms(got, arn)
        assert got["Body"].read() == body


def test_kms_without_key_id_uses_the_default_aws_s3_key(s3, bucket, magpie_cli):
    put = s3.put_object(Bucket=bucket, Key="k", Body=b"default key", ServerSideEncryption="aws:kms")
    assert_kms(put, DEFAULT_ARN)
    got = s3.get_object(Bucket=bucket, Key="k")
    assert_kms(got, DEFAULT_ARN)
    assert got["Body"].read() == b"default key"
    listed = kms_list(magpie_cli)
    assert listed["aws/s3"]["arn"] == DEFAULT_ARN and listed["aws/s3"]["enabled"] is True


def test_kms_bucket_key_enabled_is_reported(s3, bucket, kms_key):
    name, arn = kms_key("bk")
    put = s3.put_object(Bucket=bucket, Key="bk", Body=b"x", ServerSideEncryption="aws:kms", SSEKMSKeyId=name, BucketKeyEnabled=True)
    assert_kms(put, arn, bucket_key=True)
    assert_kms(s3.head_object(Bucket=bucket, Key="bk"), arn, bucket_key=True)
    assert_kms(s3.get_object(Bucket=bucket, Key="bk"), arn, bucket_key=True)
    put = s3.put_object(Bucket=bucket, Key="nobk", Body=b"x", ServerSideEncryption="aws:kms", SSEKMSKeyId=name, BucketKeyEnabled=False)
    assert_kms(put, arn)
    assert_kms(s3.head_object(Bucket=bucket, Key="nobk"), arn)


@pytest.mark.parametrize("size", [0, 1, CHUNK, CHUNK + 1])
def test_kms_round_trips_at_chunk_edges(s3, bucket, kms_key, size):
    name, _ = kms_key("edge")
    body = os.urandom(size)
    s3.put_object(Bucket=bucket, Key="e", Body=body, ServerSideEncryption="aws:kms", SSEKMSKeyId=name)
    got = s3.get_object(Bucket=bucket, Key="e")
    assert got["Body"].read() == body and got["ContentLength"] == size


def test_kms_ranges_and_conditionals(s3, bucket, kms_key):
    name, _ = kms_key("ranges")
    body = os.urandom(3 * CHUNK + 777)
    etag = s3.put_object(Bucket=bucket, Key="r", Body=body, ServerSideEncryption="aws:kms", SSEKMSKeyId=name)["ETag"]
    check_ranges(s3, bucket, "r", body, [CHUNK, 2 * CHUNK, 3 * CHUNK])
    with pytest.raises(ClientError) as e:
        s3.get_object(Bucket=bucket, Key="r", Range=f"bytes={len(body)}-")
    assert error_of(e) == ("InvalidRange", 416)
    with pytest.raises(ClientError) as e:
        s3.get_object(Bucket=bucket, Key="r", IfNoneMatch=etag)
    assert e.value.response["ResponseMetadata"]["HTTPStatusCode"] == 304
    with pytest.raises(ClientError) as e:
        s3.get_object(Bucket=bucket, Key="r", IfMatch='"00000000000000000000000000000000"')
    assert error_of(e) == ("PreconditionFailed", 412)


# --------------------------------------------------------------------------------------------
# Errors
# --------------------------------------------------------------------------------------------

def test_unknown_kms_key_is_refused_everywhere_and_stores_nothing(s3, bucket):
    s3.put_object(Bucket=bucket, Key="src", Body=b"src")
    for key_id in ("no-such-key", "alias/no-such-key", ARN_PREFIX + "no-such-key"):
        expect_error(s3.put_object, "KMS.NotFoundException", 400, Bucket=bucket, Key="k", Body=b"x",
                     ServerSideEncryption="aws:kms", SSEKMSKeyId=key_id)
        expect_error(s3.create_multipart_upload, "KMS.NotFoundException", 400, Bucket=bucket, Key="mp",
                     ServerSideEncryption="aws:kms", SSEKMSKeyId=key_id)
        expect_error(s3.copy_object, "KMS.NotFoundException", 400, Bucket=bucket, Key="k",
                     CopySource={"Bucket": bucket, "Key": "src"}, ServerSideEncryption="aws:kms", SSEKMSKeyId=key_id)
    assert [o["Key"] for o in s3.list_objects_v2(Bucket=bucket)["Contents"]] == ["src"]
    assert "Uploads" not in s3.list_multipart_uploads(Bucket=bucket)


def test_kms_key_id_without_aws_kms_is_invalid_argument(signer, s3, bucket, kms_key):
    name, _ = kms_key("noalg")
    s3.put_object(Bucket=bucket, Key="src", Body=b"src")
    for extra in ({}, {"x-amz-server-side-encryption": "AES256"}):
        headers = {"x-amz-server-side-encryption-aws-kms-key-id": name, **extra}
        r = signer.request("PUT", object_path(bucket, "k"), body=b"x", headers=headers)
        assert (r.error.get("Code"), r.status) == ("InvalidArgument", 400), r
        r = signer.request("POST", object_path(bucket, "mp"), query=[("uploads", None)], headers=headers)
        assert (r.error.get("Code"), r.status) == ("InvalidArgument", 400), r
        r = signer.request("PUT", object_path(bucket, "cp"), headers={"x-amz-copy-source": f"/{bucket}/src", **headers})
        assert (r.error.get("Code"), r.status) == ("InvalidArgument", 400), r
    assert [o["Key"] for o in s3.list_objects_v2(Bucket=bucket)["Contents"]] == ["src"]
    assert "Uploads" not in s3.list_multipart_uploads(Bucket=bucket)


def test_kms_together_with_sse_c_is_invalid_argument(signer, s3, bucket, kms_key):
    name, _ = kms_key("mix")
    headers = {"x-amz-server-side-encryption": "aws:kms", "x-amz-server-side-encryption-aws-kms-key-id": name,
               "x-amz-server-side-encryption-customer-algorithm": "AES256",
               "x-amz-server-side-encryption-customer-key": b64(KEY_C),
               "x-amz-server-side-encryption-customer-key-MD5": md5_b64(KEY_C)}
    r = signer.request("PUT", object_path(bucket, "k"), body=b"x", headers=headers)
    assert (r.error.get("Code"), r.status) == ("InvalidArgument", 400), r
    assert "Contents" not in s3.list_objects_v2(Bucket=bucket)


def test_kms_requires_signature_v4(s3_v2, s3, bucket, kms_key):
    # S3: "Requests specifying Server Side Encryption with AWS KMS managed keys require AWS Signature Version 4."
    name, _ = kms_key("sigv2")
    s3.put_object(Bucket=bucket, Key="v4", Body=b"x", ServerSideEncryption="aws:kms", SSEKMSKeyId=name)
    expect_error(s3_v2.get_object, "InvalidArgument", 400, Bucket=bucket, Key="v4")
    expect_error(s3_v2.put_object, "InvalidArgument", 400, Bucket=bucket, Key="v2", Body=b"x",
                 ServerSideEncryption="aws:kms", SSEKMSKeyId=name)
    assert [o["Key"] for o in s3.list_objects_v2(Bucket=bucket)["Contents"]] == ["v4"]


def test_disabled_key_blocks_reads_and_writes_until_enabled(magpie_cli, s3, bucket, kms_key):
    name, arn = kms_key("off")
    other, other_arn = kms_key("on")
    body = os.urandom(100_000)
    s3.put_object(Bucket=bucket, Key="obj", Body=body, ServerSideEncryption="aws:kms", SSEKMSKeyId=name)
    s3.put_object(Bucket=bucket, Key="other", Body=b"other", ServerSideEncryption="aws:kms", SSEKMSKeyId=other)
    s3.put_object(Bucket=bucket, Key="plain", Body=b"plain")
    uid = s3.create_multipart_upload(Bucket=bucket, Key="mp", ServerSideEncryption="aws:kms", SSEKMSKeyId=name)["UploadId"]
    magpie_cli("admin", "kms", "disable", name)

    for kwargs in ({}, {"Range": "bytes=0-10"}):
        with pytest.raises(ClientError) as e:
            s3.get_object(Bucket=bucket, Key="obj", **kwargs)
        assert error_of(e) == ("KMS.DisabledException", 400)
    expect_error(s3.put_object, "KMS.DisabledException", 400, Bucket=bucket, Key="new", Body=b"x",
                 ServerSideEncryption="aws:kms", SSEKMSKeyId=name)
    expect_error(s3.create_multipart_upload, "KMS.DisabledException", 400, Bucket=bucket, Key="mp2",
                 ServerSideEncryption="aws:kms", SSEKMSKeyId=name)
    expect_error(s3.upload_part, "KMS.DisabledException", 400, Bucket=bucket, Key="mp", UploadId=uid, PartNumber=1, Body=b"p")
    expect_error(s3.copy_object, "KMS.DisabledException", 400, Bucket=bucket, Key="copy",
                 CopySource={"Bucket": bucket, "Key": "obj"})
    expect_error(s3.copy_object, "KMS.DisabledException", 400, Bucket=bucket, Key="copy",
                 CopySource={"Bucket": bucket, "Key": "plain"}, ServerSideEncryption="aws:kms", SSEKMSKeyId=name)
    # Objects under other keys are unaffected.
    assert s3.get_object(Bucket=bucket, Key="other")["Body"].read() == b"other"
    assert sorted(o["Key"] for o in s3.list_objects_v2(Bucket=bucket)["Contents"]) == ["obj", "other", "plain"]

    magpie_cli("admin", "kms", "enable", name)
    got = s3.get_object(Bucket=bucket, Key="obj")
    assert_kms(got, arn)
    assert got["Body"].read() == body
    etag = s3.upload_part(Bucket=bucket, Key="mp", UploadId=uid, PartNumber=1, Body=b"part")["ETag"]
    complete(s3, bucket, "mp", uid, [etag])
    assert s3.get_object(Bucket=bucket, Key="mp")["Body"].read() == b"part"
    assert_kms(s3.put_object(Bucket=bucket, Key="new", Body=b"x", ServerSideEncryption="aws:kms", SSEKMSKeyId=name), arn)
    assert other_arn != arn


# --------------------------------------------------------------------------------------------
# Multipart
# --------------------------------------------------------------------------------------------

def test_kms_multipart_upload(s3, bucket, kms_key):
    name, arn = kms_key("mp")
    parts = [os.urandom(5 * MiB), os.urandom(5 * MiB), os.urandom(123_457)]
    body = b"".join(parts)
    create = s3.create_multipart_upload(Bucket=bucket, Key="mp", ServerSideEncryption="aws:kms", SSEKMSKeyId=f"alias/{name}",
                                        BucketKeyEnabled=True)
    assert_kms(create, arn, bucket_key=True)
    uid = create["UploadId"]
    etags = []
    for i, p in enumerate(parts):
        r = s3.upload_part(Bucket=bucket, Key="mp", UploadId=uid, PartNumber=i + 1, Body=p)
        assert_kms(r, arn, bucket_key=True)
        etags.append(r["ETag"])
    done = complete(s3, bucket, "mp", uid, etags)
    assert_kms(done, arn, bucket_key=True)
    assert done["ETag"].endswith('-3"')
    head = s3.head_object(Bucket=bucket, Key="mp")
    assert_kms(head, arn, bucket_key=True)
    assert head["ContentLength"] == len(body)
    assert s3.get_object(Bucket=bucket, Key="mp")["Body"].read() == body
    check_ranges(s3, bucket, "mp", body, [5 * MiB, 10 * MiB])
    offset = 0
    for i, p in enumerate(parts):
        got = s3.get_object(Bucket=bucket, Key="mp", PartNumber=i + 1)
        assert got["PartsCount"] == 3
        assert got["ContentRange"] == f"bytes {offset}-{offset + len(p) - 1}/{len(body)}"
        assert_kms(got, arn, bucket_key=True)
        assert got["Body"].read() == p
        offset += len(p)


def test_upload_part_copy_from_sse_c_into_a_kms_upload(s3, bucket, kms_key):
    name, arn = kms_key("upc")
    src = os.urandom(5 * MiB + 2 * CHUNK + 11)
    s3.put_object(Bucket=bucket, Key="src", Body=src, **ssec(KEY_C))
    kms_src = os.urandom(3 * CHUNK)
    s3.put_object(Bucket=bucket, Key="kms-src", Body=kms_src, ServerSideEncryption="aws:kms")
    uid = s3.create_multipart_upload(Bucket=bucket, Key="dst", ServerSideEncryption="aws:kms", SSEKMSKeyId=name)["UploadId"]
    lo = 2 * CHUNK - 3
    p1 = s3.upload_part_copy(Bucket=bucket, Key="dst", UploadId=uid, PartNumber=1, CopySource={"Bucket": bucket, "Key": "src"},
                             CopySourceRange=f"bytes={lo}-{lo + 5 * MiB - 1}", **copy_ssec(KEY_C))
    assert_kms(p1, arn)
    p2 = s3.upload_part_copy(Bucket=bucket, Key="dst", UploadId=uid, PartNumber=2, CopySource={"Bucket": bucket, "Key": "kms-src"},
                             CopySourceRange=f"bytes={CHUNK - 1}-{2 * CHUNK}")
    complete(s3, bucket, "dst", uid, [p1["CopyPartResult"]["ETag"], p2["CopyPartResult"]["ETag"]])
    want = src[lo:lo + 5 * MiB] + kms_src[CHUNK - 1:2 * CHUNK + 1]
    got = s3.get_object(Bucket=bucket, Key="dst")
    assert_kms(got, arn)
    assert got["Body"].read() == want
    assert s3.get_object(Bucket=bucket, Key="dst", Range=f"bytes={5 * MiB - 2}-{5 * MiB + 1}")["Body"].read() == want[5 * MiB - 2:5 * MiB + 2]


# --------------------------------------------------------------------------------------------
# Copies
# --------------------------------------------------------------------------------------------

def test_copies_between_kms_and_every_other_kind(s3, bucket, kms_key):
    k1, arn1 = kms_key("c1")
    k2, arn2 = kms_key("c2")
    body = os.urandom(150_000)
    s3.put_object(Bucket=bucket, Key="plain", Body=body)
    # plain -> KMS
    r = s3.copy_object(Bucket=bucket, Key="kms", CopySource={"Bucket": bucket, "Key": "plain"}, ServerSideEncryption="aws:kms", SSEKMSKeyId=k1)
    assert_kms(r, arn1)
    # KMS -> KMS under another key
    r = s3.copy_object(Bucket=bucket, Key="kms2", CopySource={"Bucket": bucket, "Key": "kms"}, ServerSideEncryption="aws:kms", SSEKMSKeyId=k2)
    assert_kms(r, arn2)
    assert s3.get_object(Bucket=bucket, Key="kms2")["Body"].read() == body
    # KMS -> SSE-C
    r = s3.copy_object(Bucket=bucket, Key="ssec", CopySource={"Bucket": bucket, "Key": "kms"}, **ssec(KEY_C))
    assert r["SSECustomerAlgorithm"] == "AES256" and "SSEKMSKeyId" not in r and "ServerSideEncryption" not in r
    assert s3.get_object(Bucket=bucket, Key="ssec", **ssec(KEY_C))["Body"].read() == body
    # SSE-C -> KMS
    r = s3.copy_object(Bucket=bucket, Key="back", CopySource={"Bucket": bucket, "Key": "ssec"}, **copy_ssec(KEY_C),
                       ServerSideEncryption="aws:kms", SSEKMSKeyId=k2, BucketKeyEnabled=True)
    assert_kms(r, arn2, bucket_key=True)
    got = s3.get_object(Bucket=bucket, Key="back")
    assert_kms(got, arn2, bucket_key=True)
    assert got["Body"].read() == body
    # KMS -> SSE-S3
    r = s3.copy_object(Bucket=bucket, Key="s3", CopySource={"Bucket": bucket, "Key": "kms"}, ServerSideEncryption="AES256")
    assert r["ServerSideEncryption"] == "AES256" and "SSEKMSKeyId" not in r
    assert r["CopyObjectResult"]["ETag"] == md5_etag(body)
    # KMS -> no encryption asked, no bucket default: not encrypted
    r = s3.copy_object(Bucket=bucket, Key="none", CopySource={"Bucket": bucket, "Key": "kms"})
    assert "ServerSideEncryption" not in r and "SSEKMSKeyId" not in r
    got = s3.get_object(Bucket=bucket, Key="none")
    assert "ServerSideEncryption" not in got and got["Body"].read() == body


def test_copy_object_of_a_multipart_sse_c_source_to_kms(s3, bucket, kms_key):
    name, arn = kms_key("mpcopy")
    parts = [os.urandom(5 * MiB), os.urandom(CHUNK + 9)]
    uid = s3.create_multipart_upload(Bucket=bucket, Key="src", **ssec(KEY_C))["UploadId"]
    etags = [s3.upload_part(Bucket=bucket, Key="src", UploadId=uid, PartNumber=i + 1, Body=p, **ssec(KEY_C))["ETag"]
             for i, p in enumerate(parts)]
    complete(s3, bucket, "src", uid, etags)
    body = b"".join(parts)
    r = s3.copy_object(Bucket=bucket, Key="dst", CopySource={"Bucket": bucket, "Key": "src"}, **copy_ssec(KEY_C),
                       ServerSideEncryption="aws:kms", SSEKMSKeyId=name)
    assert_kms(r, arn)
    got = s3.get_object(Bucket=bucket, Key="dst")
    assert got["ContentLength"] == len(body) and got["Body"].read() == body
    check_ranges(s3, bucket, "dst", body, [5 * MiB])
    # And a whole-object UploadPartCopy of it back into an SSE-C upload.
    uid = s3.create_multipart_upload(Bucket=bucket, Key="again", **ssec(KEY_C))["UploadId"]
    p = s3.upload_part_copy(Bucket=bucket, Key="again", UploadId=uid, PartNumber=1, CopySource={"Bucket": bucket, "Key": "dst"},
                            **ssec(KEY_C))
    complete(s3, bucket, "again", uid, [p["CopyPartResult"]["ETag"]])
    assert s3.get_object(Bucket=bucket, Key="again", **ssec(KEY_C))["Body"].read() == body


def test_sse_c_headers_on_a_kms_object_are_refused(signer, s3, bucket, kms_key):
    name, _ = kms_key("notc")
    s3.put_object(Bucket=bucket, Key="k", Body=b"kms", ServerSideEncryption="aws:kms", SSEKMSKeyId=name)
    with pytest.raises(ClientError) as e:
        s3.get_object(Bucket=bucket, Key="k", **ssec(KEY_C))
    assert error_of(e) == ("InvalidRequest", 400)
    r = signer.request("GET", object_path(bucket, "k"), headers={"x-amz-server-side-encryption": "aws:kms"})
    assert (r.error.get("Code"), r.status) == ("InvalidArgument", 400), r


def test_kms_checksums_are_those_of_the_plaintext(s3, bucket, kms_key):
    name, _ = kms_key("sum")
    body = os.urandom(2 * CHUNK + 1)
    want = b64(hashlib.sha256(body).digest())
    put = s3.put_object(Bucket=bucket, Key="k", Body=body, ChecksumAlgorithm="SHA256", ServerSideEncryption="aws:kms", SSEKMSKeyId=name)
    assert put["ChecksumSHA256"] == want
    got = s3.get_object(Bucket=bucket, Key="k", ChecksumMode="ENABLED")
    assert got["ChecksumSHA256"] == want and got["Body"].read() == body


def test_copy_in_place_changing_the_kms_key(s3, bucket, kms_key, magpie_cli):
    k1, arn1 = kms_key("rot1")
    k2, arn2 = kms_key("rot2")
    body = os.urandom(90_000)
    s3.put_object(Bucket=bucket, Key="doc", Body=body, Metadata={"x": "y"}, ServerSideEncryption="aws:kms", SSEKMSKeyId=k1)
    r = s3.copy_object(Bucket=bucket, Key="doc", CopySource={"Bucket": bucket, "Key": "doc"}, ServerSideEncryption="aws:kms", SSEKMSKeyId=k2)
    assert_kms(r, arn2)
    # The old key is no longer needed.
    magpie_cli("admin", "kms", "disable", k1)
    try:
        got = s3.get_object(Bucket=bucket, Key="doc")
        assert_kms(got, arn2)
        assert got["Body"].read() == body and got["Metadata"] == {"x": "y"}
    finally:
        magpie_cli("admin", "kms", "enable", k1)
    # Plain object -> KMS in place.
    s3.put_object(Bucket=bucket, Key="p", Body=b"plain")
    assert_kms(s3.copy_object(Bucket=bucket, Key="p", CopySource={"Bucket": bucket, "Key": "p"}, ServerSideEncryption="aws:kms",
                              SSEKMSKeyId=arn1), arn1)
    assert s3.get_object(Bucket=bucket, Key="p")["Body"].read() == b"plain"


# --------------------------------------------------------------------------------------------
# Bucket default encryption with KMS
# --------------------------------------------------------------------------------------------

def kms_rule(key_id: str | None = None, bucket_key: bool = False) -> dict:
    defaults = {"SSEAlgorithm": "aws:kms"}
    if key_id is not None:
        defaults["KMSMasterKeyID"] = key_id
    return {"Rules": [{"ApplyServerSideEncryptionByDefault": defaults, "BucketKeyEnabled": bucket_key}]}


def test_bucket_default_kms_key_applies_to_every_write(s3, bucket, kms_key):
    name, arn = kms_key("bucketdefault")
    other, other_arn = kms_key("override")
    s3.put_object(Bucket=bucket, Key="src", Body=b"source")
    s3.put_bucket_encryption(Bucket=bucket, ServerSideEncryptionConfiguration=kms_rule(name, bucket_key=True))
    rule = s3.get_bucket_encryption(Bucket=bucket)["ServerSideEncryptionConfiguration"]["Rules"][0]
    assert rule["ApplyServerSideEncryptionByDefault"]["SSEAlgorithm"] == "aws:kms"
    assert rule["ApplyServerSideEncryptionByDefault"]["KMSMasterKeyID"] in (name, arn)
    assert rule["BucketKeyEnabled"] is True
    assert_kms(s3.put_object(Bucket=bucket, Key="p", Body=b"p"), arn, bucket_key=True)
    got = s3.get_object(Bucket=bucket, Key="p")
    assert_kms(got, arn, bucket_key=True)
    assert got["Body"].read() == b"p"
    assert_kms(s3.copy_object(Bucket=bucket, Key="c", CopySource={"Bucket": bucket, "Key": "src"}), arn, bucket_key=True)
    create = s3.create_multipart_upload(Bucket=bucket, Key="mp")
    assert_kms(create, arn, bucket_key=True)
    part = s3.upload_part(Bucket=bucket, Key="mp", UploadId=create["UploadId"], PartNumber=1, Body=b"part")
    assert_kms(complete(s3, bucket, "mp", create["UploadId"], [part["ETag"]]), arn, bucket_key=True)
    # Explicit headers override the default.
    r = s3.put_object(Bucket=bucket, Key="aes", Body=b"a", ServerSideEncryption="AES256")
    assert r["ServerSideEncryption"] == "AES256" and "SSEKMSKeyId" not in r
    assert_kms(s3.put_object(Bucket=bucket, Key="o", Body=b"o", ServerSideEncryption="aws:kms", SSEKMSKeyId=other), other_arn,
               bucket_key=True)
    r = s3.put_object(Bucket=bucket, Key="c2", Body=b"c", **ssec(KEY_C))
    assert r["SSECustomerAlgorithm"] == "AES256" and "SSEKMSKeyId" not in r
    assert s3.get_object(Bucket=bucket, Key="c2", **ssec(KEY_C))["Body"].read() == b"c"


def test_bucket_default_kms_without_a_key_uses_aws_s3(s3, bucket):
    s3.put_bucket_encryption(Bucket=bucket, ServerSideEncryptionConfiguration=kms_rule())
    rule = s3.get_bucket_encryption(Bucket=bucket)["ServerSideEncryptionConfiguration"]["Rules"][0]
    # S3 returns the configuration as it was put: no KMSMasterKeyID was given.
    assert rule["ApplyServerSideEncryptionByDefault"] == {"SSEAlgorithm": "aws:kms"}
    assert_kms(s3.put_object(Bucket=bucket, Key="p", Body=b"p"), DEFAULT_ARN)


def test_bucket_default_with_an_unknown_kms_key_is_refused(s3, bucket):
    for key_id in ("no-such-key", "alias/no-such-key", ARN_PREFIX + "no-such-key"):
        expect_error(s3.put_bucket_encryption, "KMS.NotFoundException", 400, Bucket=bucket,
                     ServerSideEncryptionConfiguration=kms_rule(key_id))
    expect_error(s3.get_bucket_encryption, "ServerSideEncryptionConfigurationNotFoundError", 404, Bucket=bucket)


def test_bucket_default_kms_dsse_is_not_implemented(s3, bucket):
    expect_error(s3.put_bucket_encryption, "NotImplemented", 501, Bucket=bucket, ServerSideEncryptionConfiguration={
        "Rules": [{"ApplyServerSideEncryptionByDefault": {"SSEAlgorithm": "aws:kms:dsse"}}]})
    expect_error(s3.get_bucket_encryption, "ServerSideEncryptionConfigurationNotFoundError", 404, Bucket=bucket)


def test_bucket_default_key_disabled_later_blocks_plain_writes(magpie_cli, s3, bucket, kms_key):
    name, arn = kms_key("defaultoff")
    s3.put_bucket_encryption(Bucket=bucket, ServerSideEncryptionConfiguration=kms_rule(name))
    magpie_cli("admin", "kms", "disable", name)
    try:
        expect_error(s3.put_object, "KMS.DisabledException", 400, Bucket=bucket, Key="p", Body=b"p")
        assert "Contents" not in s3.list_objects_v2(Bucket=bucket)
        r = s3.put_object(Bucket=bucket, Key="aes", Body=b"a", ServerSideEncryption="AES256")
        assert r["ServerSideEncryption"] == "AES256"
    finally:
        magpie_cli("admin", "kms", "enable", name)
    assert_kms(s3.put_object(Bucket=bucket, Key="p", Body=b"p"), arn)


# --------------------------------------------------------------------------------------------
# Versions, forms, CLI
# --------------------------------------------------------------------------------------------

def test_versions_under_different_kms_keys(magpie_cli, s3, bucket, kms_key):
    k1, arn1 = kms_key("v1")
    k2, arn2 = kms_key("v2")
    s3.put_bucket_versioning(Bucket=bucket, VersioningConfiguration={"Status": "Enabled"})
    v1 = s3.put_object(Bucket=bucket, Key="k", Body=b"one", ServerSideEncryption="aws:kms", SSEKMSKeyId=k1)["VersionId"]
    v2 = s3.put_object(Bucket=bucket, Key="k", Body=b"two", ServerSideEncryption="aws:kms", SSEKMSKeyId=k2)["VersionId"]
    got = s3.get_object(Bucket=bucket, Key="k", VersionId=v1)
    assert_kms(got, arn1)
    assert got["Body"].read() == b"one"
    magpie_cli("admin", "kms", "disable", k1)
    try:
        with pytest.raises(ClientError) as e:
            s3.get_object(Bucket=bucket, Key="k", VersionId=v1)
        assert error_of(e) == ("KMS.DisabledException", 400)
        got = s3.get_object(Bucket=bucket, Key="k")
        assert_kms(got, arn2)
        assert got["VersionId"] == v2 and got["Body"].read() == b"two"
    finally:
        magpie_cli("admin", "kms", "enable", k1)
    assert s3.get_object(Bucket=bucket, Key="k", VersionId=v1)["Body"].read() == b"one"
    for vid in (v1, v2):
        s3.delete_object(Bucket=bucket, Key="k", VersionId=vid)


def test_form_upload_with_kms(s3, bucket, kms_key):
    name, arn = kms_key("form")
    fields = {"x-amz-server-side-encryption": "aws:kms", "x-amz-server-side-encryption-aws-kms-key-id": name}
    post = s3.generate_presigned_post(bucket, "f", Fields=fields, Conditions=[{k: v} for k, v in fields.items()], ExpiresIn=300)
    r = requests.post(post["url"], data=post["fields"], files={"file": ("a", b"form kms")}, timeout=30)
    assert r.status_code == 204, r.text
    got = s3.get_object(Bucket=bucket, Key="f")
    assert_kms(got, arn)
    assert got["Body"].read() == b"form kms"
    fields = {"x-amz-server-side-encryption": "aws:kms", "x-amz-server-side-encryption-aws-kms-key-id": "no-such-key"}
    post = s3.generate_presigned_post(bucket, "g", Fields=fields, Conditions=[{k: v} for k, v in fields.items()], ExpiresIn=300)
    r = requests.post(post["url"], data=post["fields"], files={"file": ("a", b"x")}, timeout=30)
    assert r.status_code == 400 and "<Code>KMS.NotFoundException</Code>" in r.text, r.text
    assert [o["Key"] for o in s3.list_objects_v2(Bucket=bucket)["Contents"]] == ["f"]


def test_aws_cli_kms_upload_download_and_bucket_encryption(aws_cli, s3, bucket, kms_key, tmp_path):
    name, arn = kms_key("cli")
    data = os.urandom(9 * MiB + 77)
    path = tmp_path / "big.bin"
    path.write_bytes(data)
    aws_cli("s3", "cp", str(path), f"s3://{bucket}/big.bin", "--sse", "aws:kms", "--sse-kms-key-id", name)
    head = json.loads(aws_cli("s3api", "head-object", "--bucket", bucket, "--key", "big.bin").stdout)
    assert head["ServerSideEncryption"] == "aws:kms" and head["SSEKMSKeyId"] == arn
    assert head["ContentLength"] == len(data) and head["ETag"].endswith('-2"')
    out = tmp_path / "back.bin"
    aws_cli("s3", "cp", f"s3://{bucket}/big.bin", str(out))
    assert out.read_bytes() == data
    # Server-side copy (multipart copy for > 8 MiB) to SSE-S3.
    aws_cli("s3", "cp", f"s3://{bucket}/big.bin", f"s3://{bucket}/copy.bin", "--sse", "AES256")
    got = s3.get_object(Bucket=bucket, Key="copy.bin")
    assert got["ServerSideEncryption"] == "AES256" and got["Body"].read() == data
    config = kms_rule(arn, bucket_key=True)
    aws_cli("s3api", "put-bucket-encryption", "--bucket", bucket, "--server-side-encryption-configuration", json.dumps(config))
    rule = json.loads(aws_cli("s3api", "get-bucket-encryption", "--bucket", bucket).stdout)["ServerSideEncryptionConfiguration"]["Rules"][0]
    assert rule["ApplyServerSideEncryptionByDefault"] == {"SSEAlgorithm": "aws:kms", "KMSMasterKeyID": arn}
    assert rule["BucketKeyEnabled"] is True
    small = tmp_path / "small.txt"
    small.write_bytes(b"small")
    aws_cli("s3", "cp", str(small), f"s3://{bucket}/small.txt")
    head = json.loads(aws_cli("s3api", "head-object", "--bucket", bucket, "--key", "small.txt").stdout)
    assert head["ServerSideEncryption"] == "aws:kms" and head["SSEKMSKeyId"] == arn and head["BucketKeyEnabled"] is True
    p = aws_cli("s3api", "put-object", "--bucket", bucket, "--key", "bad", "--body", str(small),
                "--server-side-encryption", "aws:kms", "--ssekms-key-id", "no-such-key", check=False)
    assert p.returncode != 0 and b"KMS.NotFoundException" in p.stderr
