"""Encryption at rest: SSE-S3 (AES256), SSE-C (customer keys) and bucket default encryption, as
AWS S3 documents them: request and response headers, S3's errors, ranges and partNumber reads over
encrypted chunks, multipart uploads and part copies, copies between encryption kinds, versions,
conditional reads, browser POST, the aws CLI, bytes on disk, and keys surviving a restart.
SSE-KMS (the local keyring) is in test_encryption_kms.py."""
from __future__ import annotations

import base64
import hashlib
import json
import os
import stat
import subprocess
from pathlib import Path

import pytest
import requests
from botocore.exceptions import ClientError

from conftest import MAGPIE_BIN, make_client, run_magpie, start_server, unique_bucket_name
from helpers import b64, expect_error, find_text, md5_b64, object_path, xml_root

KiB = 1024
MiB = 1024 * KiB
CHUNK = 64 * KiB

KEY_A = hashlib.sha256(b"customer key A").digest()
KEY_B = hashlib.sha256(b"customer key B").digest()


def md5_etag(data: bytes) -> str:
    return '"%s"' % hashlib.md5(data).hexdigest()


def multipart_etag(parts: list[bytes]) -> str:
    digest = hashlib.md5(b"".join(hashlib.md5(p).digest() for p in parts)).hexdigest()
    return f'"{digest}-{len(parts)}"'


def ssec(key: bytes) -> dict:
    """boto3 SSE-C parameters (raw key: botocore base64-encodes it and adds the MD5)."""
    return {"SSECustomerAlgorithm": "AES256", "SSECustomerKey": key}


def copy_ssec(key: bytes) -> dict:
    return {"CopySourceSSECustomerAlgorithm": "AES256", "CopySourceSSECustomerKey": key}


def ssec_headers(key: bytes, prefix: str = "x-amz-", algorithm: str | None = "AES256",
                 md5: str | None = "auto", key_text: str | None = None) -> dict:
    """Raw SSE-C headers; pass None to leave one out."""
    h = {}
    if algorithm is not None:
        h[prefix + "server-side-encryption-customer-algorithm"] = algorithm
    h[prefix + "server-side-encryption-customer-key"] = key_text if key_text is not None else b64(key)
    if md5 == "auto":
        md5 = md5_b64(key)
    if md5 is not None:
        h[prefix + "server-side-encryption-customer-key-MD5"] = md5
    return h


def error_of(excinfo) -> tuple[str, int]:
    r = excinfo.value.response
    return r["Error"]["Code"], r["ResponseMetadata"]["HTTPStatusCode"]


def raw_error(r) -> tuple[str | None, int]:
    return r.error.get("Code"), r.status


def sse_header(headers) -> str | None:
    return headers.get("x-amz-server-side-encryption")


def assert_ssec_echo(resp: dict, key: bytes):
    assert resp.get("SSECustomerAlgorithm") == "AES256", resp.get("ResponseMetadata", {}).get("HTTPHeaders")
    assert resp.get("SSECustomerKeyMD5") == md5_b64(key)
    assert "ServerSideEncryption" not in resp


def complete(s3, bucket, key, upload_id, etags):
    return s3.complete_multipart_upload(
        Bucket=bucket, Key=key, UploadId=upload_id,
        MultipartUpload={"Parts": [{"PartNumber": i + 1, "ETag": e} for i, e in enumerate(etags)]})


def range_cases(n: int, boundaries: list[int]) -> list[tuple[str, int, int]]:
    """(Range header, first byte, last byte) covering chunk/part boundaries, suffix and open ranges."""
    cases = [("bytes=0-0", 0, 0), ("bytes=0-", 0, n - 1), (f"bytes=0-{n + 5000}", 0, n - 1),
             ("bytes=-1", n - 1, n - 1), (f"bytes=-{n}", 0, n - 1), (f"bytes=-{n + 10}", 0, n - 1),
             (f"bytes={n - 1}-", n - 1, n - 1), ("bytes=1-", 1, n - 1), (f"bytes=1-{n - 2}", 1, n - 2),
             ("bytes=17-4112", 17, 4112)]
    for b in boundaries:
        cases += [(f"bytes={b - 1}-{b}", b - 1, b), (f"bytes={b}-{b}", b, b), (f"bytes={b - 1}-{b - 1}", b - 1, b - 1),
                  (f"bytes={b - 70000}-{b + 70000}", b - 70000, min(b + 70000, n - 1)),
                  (f"bytes={b}-", b, n - 1), (f"bytes=-{n - b + 1}", b - 1, n - 1)]
    return [(spec, s, e) for spec, s, e in cases if 0 <= s <= e < n]


def check_ranges(s3, bucket, key, body, boundaries, **extra):
    n = len(body)
    for spec, start, end in range_cases(n, boundaries):
        got = s3.get_object(Bucket=bucket, Key=key, Range=spec, **extra)
        data = got["Body"].read()
        assert got["ResponseMetadata"]["HTTPStatusCode"] == 206, spec
        assert got["ContentRange"] == f"bytes {start}-{end}/{n}", spec
        assert got["ContentLength"] == end - start + 1, spec
        assert data == body[start:end + 1], f"wrong bytes for {spec}"
    with pytest.raises(ClientError) as e:
        s3.get_object(Bucket=bucket, Key=key, Range=f"bytes={n}-", **extra)
    assert error_of(e) == ("InvalidRange", 416)


# --------------------------------------------------------------------------------------------
# SSE-S3
# --------------------------------------------------------------------------------------------

def test_sse_s3_put_get_head_report_aes256_and_keep_the_md5_etag(s3, bucket):
    body = os.urandom(100_000)
    put = s3.put_object(Bucket=bucket, Key="k", Body=body, ServerSideEncryption="AES256")
    assert put["ServerSideEncryption"] == "AES256"
    assert put["ETag"] == md5_etag(body)
    assert "SSEKMSKeyId" not in put and "SSECustomerAlgorithm" not in put
    head = s3.head_object(Bucket=bucket, Key="k")
    assert head["ServerSideEncryption"] == "AES256" and head["ETag"] == md5_etag(body)
    assert head["ContentLength"] == len(body)
    got = s3.get_object(Bucket=bucket, Key="k")
    assert got["ServerSideEncryption"] == "AES256" and got["ContentLength"] == len(body)
    assert got["Body"].read() == body
    listed = s3.list_objects_v2(Bucket=bucket)["Contents"]
    assert [(o["Key"], o["ETag"], o["Size"]) for o in listed] == [("k", md5_etag(body), len(body))]


def test_unencrypted_object_reports_no_encryption_headers(s3, bucket):
    s3.put_object(Bucket=bucket, Key="plain", Body=b"plain")
    for resp in (s3.head_object(Bucket=bucket, Key="plain"), s3.get_object(Bucket=bucket, Key="plain")):
        assert "ServerSideEncryption" not in resp
        assert "SSECustomerAlgorithm" not in resp


@pytest.mark.parametrize("size", [0, 1, CHUNK - 1, CHUNK, CHUNK + 1, 3 * CHUNK])
def test_sse_s3_round_trips_at_chunk_edges(s3, bucket, size):
    body = os.urandom(size)
    s3.put_object(Bucket=bucket, Key="edge", Body=body, ServerSideEncryption="AES256")
    got = s3.get_object(Bucket=bucket, Key="edge")
    assert got["Body"].read() == body and got["ContentLength"] == size
    assert s3.head_object(Bucket=bucket, Key="edge")["ContentLength"] == size


def test_sse_s3_ranges_across_chunk_boundaries(s3, bucket):
    body = os.urandom(3 * CHUNK + 1234)
    s3.put_object(Bucket=bucket, Key="r", Body=body, ServerSideEncryption="AES256")
    check_ranges(s3, bucket, "r", body, [CHUNK, 2 * CHUNK, 3 * CHUNK])


def test_sse_s3_conditional_reads(s3, bucket):
    body = b"conditional" * 1000
    etag = s3.put_object(Bucket=bucket, Key="c", Body=body, ServerSideEncryption="AES256")["ETag"]
    with pytest.raises(ClientError) as e:
        s3.get_object(Bucket=bucket, Key="c", IfNoneMatch=etag)
    assert e.value.response["ResponseMetadata"]["HTTPStatusCode"] == 304
    with pytest.raises(ClientError) as e:
        s3.get_object(Bucket=bucket, Key="c", IfMatch='"0123456789abcdef0123456789abcdef"')
    assert error_of(e) == ("PreconditionFailed", 412)
    got = s3.get_object(Bucket=bucket, Key="c", IfMatch=etag, Range="bytes=5-9")
    assert got["Body"].read() == body[5:10]


def test_sse_s3_header_on_get_is_refused(signer, s3, bucket):
    s3.put_object(Bucket=bucket, Key="k", Body=b"data", ServerSideEncryption="AES256")
    r = signer.request("GET", object_path(bucket, "k"), headers={"x-amz-server-side-encryption": "AES256"})
    assert raw_error(r) == ("InvalidArgument", 400), r


def test_sse_s3_multipart_upload(s3, bucket):
    parts = [os.urandom(5 * MiB), os.urandom(5 * MiB), os.urandom(300 * KiB + 7)]
    body = b"".join(parts)
    create = s3.create_multipart_upload(Bucket=bucket, Key="mp", ServerSideEncryption="AES256")
    assert create["ServerSideEncryption"] == "AES256"
    uid = create["UploadId"]
    etags = []
    for i, p in enumerate(parts):
        r = s3.upload_part(Bucket=bucket, Key="mp", UploadId=uid, PartNumber=i + 1, Body=p)
        assert r["ServerSideEncryption"] == "AES256"
        assert r["ETag"] == md5_etag(p)
        etags.append(r["ETag"])
    listed = s3.list_parts(Bucket=bucket, Key="mp", UploadId=uid)["Parts"]
    assert [(p["PartNumber"], p["Size"]) for p in listed] == [(i + 1, len(p)) for i, p in enumerate(parts)]
    done = complete(s3, bucket, "mp", uid, etags)
    assert done["ServerSideEncryption"] == "AES256"
    assert done["ETag"] == multipart_etag(parts)
    head = s3.head_object(Bucket=bucket, Key="mp")
    assert head["ServerSideEncryption"] == "AES256" and head["ContentLength"] == len(body)
    assert head["ETag"] == multipart_etag(parts)
    assert s3.get_object(Bucket=bucket, Key="mp")["Body"].read() == body
    check_ranges(s3, bucket, "mp", body, [5 * MiB, 10 * MiB, 5 * MiB + CHUNK])
    # partNumber reads
    offset = 0
    for i, p in enumerate(parts):
        got = s3.get_object(Bucket=bucket, Key="mp", PartNumber=i + 1)
        assert got["ResponseMetadata"]["HTTPStatusCode"] == 206
        assert got["PartsCount"] == 3
        assert got["ContentRange"] == f"bytes {offset}-{offset + len(p) - 1}/{len(body)}"
        assert got["ServerSideEncryption"] == "AES256"
        assert got["Body"].read() == p
        h = s3.head_object(Bucket=bucket, Key="mp", PartNumber=i + 1)
        assert h["ContentLength"] == len(p) and h["PartsCount"] == 3
        offset += len(p)


def test_sse_s3_upload_part_copy_with_range(s3, bucket):
    src = os.urandom(6 * MiB + 99)
    s3.put_object(Bucket=bucket, Key="src", Body=src, ServerSideEncryption="AES256")
    uid = s3.create_multipart_upload(Bucket=bucket, Key="dst", ServerSideEncryption="AES256")["UploadId"]
    first = s3.upload_part_copy(Bucket=bucket, Key="dst", UploadId=uid, PartNumber=1,
                                CopySource={"Bucket": bucket, "Key": "src"},
                                CopySourceRange=f"bytes={CHUNK - 10}-{CHUNK - 10 + 5 * MiB - 1}")
    assert first["ServerSideEncryption"] == "AES256"
    piece1 = src[CHUNK - 10:CHUNK - 10 + 5 * MiB]
    assert first["CopyPartResult"]["ETag"] == md5_etag(piece1)
    second = s3.upload_part_copy(Bucket=bucket, Key="dst", UploadId=uid, PartNumber=2,
                                 CopySource={"Bucket": bucket, "Key": "src"},
                                 CopySourceRange=f"bytes={len(src) - 100_000}-{len(src) - 1}")
    piece2 = src[len(src) - 100_000:]
    complete(s3, bucket, "dst", uid, [first["CopyPartResult"]["ETag"], second["CopyPartResult"]["ETag"]])
    got = s3.get_object(Bucket=bucket, Key="dst")
    assert got["ServerSideEncryption"] == "AES256"
    assert got["Body"].read() == piece1 + piece2


def test_sse_s3_copy_object_variants(s3, bucket):
    body = os.urandom(70_000)
    s3.put_object(Bucket=bucket, Key="plain", Body=body)
    r = s3.copy_object(Bucket=bucket, Key="enc", CopySource={"Bucket": bucket, "Key": "plain"}, ServerSideEncryption="AES256")
    assert r["ServerSideEncryption"] == "AES256"
    assert r["CopyObjectResult"]["ETag"] == md5_etag(body)
    got = s3.get_object(Bucket=bucket, Key="enc")
    assert got["ServerSideEncryption"] == "AES256" and got["Body"].read() == body
    # Copying an SSE-S3 object without asking for encryption (no bucket default): not encrypted.
    r = s3.copy_object(Bucket=bucket, Key="back", CopySource={"Bucket": bucket, "Key": "enc"})
    assert "ServerSideEncryption" not in r
    got = s3.get_object(Bucket=bucket, Key="back")
    assert "ServerSideEncryption" not in got and got["Body"].read() == body


def test_copy_in_place_adding_and_removing_encryption(s3, bucket):
    body = os.urandom(5000)
    s3.put_object(Bucket=bucket, Key="doc", Body=body, Metadata={"a": "b"}, ContentType="text/x-doc")
    r = s3.copy_object(Bucket=bucket, Key="doc", CopySource={"Bucket": bucket, "Key": "doc"}, ServerSideEncryption="AES256")
    assert r["ServerSideEncryption"] == "AES256"
    head = s3.head_object(Bucket=bucket, Key="doc")
    assert head["ServerSideEncryption"] == "AES256" and head["Metadata"] == {"a": "b"}
    assert head["ContentType"] == "text/x-doc"
    assert s3.get_object(Bucket=bucket, Key="doc")["Body"].read() == body
    # In place to SSE-C, then back to SSE-S3.
    s3.copy_object(Bucket=bucket, Key="doc", CopySource={"Bucket": bucket, "Key": "doc"}, **ssec(KEY_A))
    assert_ssec_echo(s3.head_object(Bucket=bucket, Key="doc", **ssec(KEY_A)), KEY_A)
    s3.copy_object(Bucket=bucket, Key="doc", CopySource={"Bucket": bucket, "Key": "doc"}, **copy_ssec(KEY_A),
                   ServerSideEncryption="AES256")
    got = s3.get_object(Bucket=bucket, Key="doc")
    assert got["ServerSideEncryption"] == "AES256" and got["Body"].read() == body


def test_form_upload_with_sse_s3(server, s3, bucket):
    post = s3.generate_presigned_post(bucket, "form/${filename}", Fields={"x-amz-server-side-encryption": "AES256"},
                                      Conditions=[{"x-amz-server-side-encryption": "AES256"}], ExpiresIn=300)
    data = b"form bytes" * 100
    r = requests.post(post["url"], data=post["fields"], files={"file": ("a.bin", data)}, timeout=30)
    assert r.status_code == 204, r.text
    head = s3.head_object(Bucket=bucket, Key="form/a.bin")
    assert head["ServerSideEncryption"] == "AES256" and head["ETag"] == md5_etag(data)
    assert s3.get_object(Bucket=bucket, Key="form/a.bin")["Body"].read() == data
    # POST Object responses carry the encryption header like PUT's.
    assert r.headers.get("x-amz-server-side-encryption") == "AES256"


def test_form_upload_with_sse_c(server, s3, bucket):
    fields = {"x-amz-server-side-encryption-customer-algorithm": "AES256",
              "x-amz-server-side-encryption-customer-key": b64(KEY_A),
              "x-amz-server-side-encryption-customer-key-MD5": md5_b64(KEY_A)}
    post = s3.generate_presigned_post(bucket, "form-c", Fields=fields, Conditions=[{k: v} for k, v in fields.items()],
                                      ExpiresIn=300)
    data = b"secret form bytes" * 100
    r = requests.post(post["url"], data=post["fields"], files={"file": ("a.bin", data)}, timeout=30)
    assert r.status_code == 204, r.text
    got = s3.get_object(Bucket=bucket, Key="form-c", **ssec(KEY_A))
    assert_ssec_echo(got, KEY_A)
    assert got["Body"].read() == data
    with pytest.raises(ClientError) as e:
        s3.get_object(Bucket=bucket, Key="form-c")
    assert error_of(e) == ("InvalidRequest", 400)


def test_form_upload_with_an_unknown_encryption_is_refused(server, s3, bucket):
    post = s3.generate_presigned_post(bucket, "bad-form", Fields={"x-amz-server-side-encryption": "AES512"},
                                      Conditions=[{"x-amz-server-side-encryption": "AES512"}], ExpiresIn=300)
    r = requests.post(post["url"], data=post["fields"], files={"file": ("a.bin", b"x")}, timeout=30)
    assert r.status_code == 400, r.text
    assert "<Code>InvalidArgument</Code>" in r.text
    assert "Contents" not in s3.list_objects_v2(Bucket=bucket)


# --------------------------------------------------------------------------------------------
# Request validation
# --------------------------------------------------------------------------------------------

@pytest.mark.parametrize("value", ["AES128", "aes256", "", "aws:kms:foo", "SSE-S3"])
def test_unknown_encryption_value_is_invalid_argument(signer, s3, bucket, value):
    r = signer.request("PUT", object_path(bucket, "k"), body=b"x", headers={"x-amz-server-side-encryption": value})
    assert raw_error(r) == ("InvalidArgument", 400), r
    expect_error(s3.head_object, "404", 404, Bucket=bucket, Key="k")


def test_dsse_is_not_implemented(s3, bucket):
    expect_error(s3.put_object, "NotImplemented", 501, Bucket=bucket, Key="k", Body=b"x", ServerSideEncryption="aws:kms:dsse")
    expect_error(s3.create_multipart_upload, "NotImplemented", 501, Bucket=bucket, Key="k", ServerSideEncryption="aws:kms:dsse")
    assert "Contents" not in s3.list_objects_v2(Bucket=bucket)
    assert "Uploads" not in s3.list_multipart_uploads(Bucket=bucket)


def test_bucket_key_enabled_must_be_a_boolean(signer, s3, bucket):
    r = signer.request("PUT", object_path(bucket, "k"), body=b"x",
                       headers={"x-amz-server-side-encryption": "AES256",
                                "x-amz-server-side-encryption-bucket-key-enabled": "maybe"})
    assert r.status == 400, r
    expect_error(s3.head_object, "404", 404, Bucket=bucket, Key="k")


def test_unknown_encryption_on_copy_and_create_multipart(signer, s3, bucket):
    s3.put_object(Bucket=bucket, Key="src", Body=b"x")
    r = signer.request("PUT", object_path(bucket, "dst"),
                       headers={"x-amz-copy-source": f"/{bucket}/src", "x-amz-server-side-encryption": "AES128"})
    assert raw_error(r) == ("InvalidArgument", 400), r
    r = signer.request("POST", object_path(bucket, "mp"), query=[("uploads", None)],
                       headers={"x-amz-server-side-encryption": "AES128"})
    assert raw_error(r) == ("InvalidArgument", 400), r
    assert [o["Key"] for o in s3.list_objects_v2(Bucket=bucket)["Contents"]] == ["src"]
    assert "Uploads" not in s3.list_multipart_uploads(Bucket=bucket)


# --------------------------------------------------------------------------------------------
# SSE-C
# --------------------------------------------------------------------------------------------

def test_sse_c_put_get_head_echo_the_key_md5(s3, bucket):
    body = os.urandom(150_000)
    put = s3.put_object(Bucket=bucket, Key="c", Body=body, **ssec(KEY_A))
    assert_ssec_echo(put, KEY_A)
    # S3: the ETag of an SSE-C object is not the MD5 of its data.
    assert put["ETag"] != md5_etag(body)
    head = s3.head_object(Bucket=bucket, Key="c", **ssec(KEY_A))
    assert_ssec_echo(head, KEY_A)
    assert head["ContentLength"] == len(body) and head["ETag"] == put["ETag"]
    got = s3.get_object(Bucket=bucket, Key="c", **ssec(KEY_A))
    assert_ssec_echo(got, KEY_A)
    assert got["ETag"] == put["ETag"] and got["Body"].read() == body
    listed = s3.list_objects_v2(Bucket=bucket)["Contents"]
    assert [(o["Key"], o["ETag"], o["Size"]) for o in listed] == [("c", put["ETag"], len(body))]


def test_sse_c_with_the_base64_and_md5_passed_explicitly(s3, bucket):
    s3.put_object(Bucket=bucket, Key="c", Body=b"explicit", SSECustomerAlgorithm="AES256",
                  SSECustomerKey=b64(KEY_B), SSECustomerKeyMD5=md5_b64(KEY_B))
    got = s3.get_object(Bucket=bucket, Key="c", SSECustomerAlgorithm="AES256",
                        SSECustomerKey=b64(KEY_B), SSECustomerKeyMD5=md5_b64(KEY_B))
    assert got["Body"].read() == b"explicit"
    assert_ssec_echo(got, KEY_B)


@pytest.mark.parametrize("size", [0, 1, CHUNK - 1, CHUNK, CHUNK + 1, 2 * CHUNK])
def test_sse_c_round_trips_at_chunk_edges(s3, bucket, size):
    body = os.urandom(size)
    s3.put_object(Bucket=bucket, Key="edge", Body=body, **ssec(KEY_A))
    got = s3.get_object(Bucket=bucket, Key="edge", **ssec(KEY_A))
    assert got["Body"].read() == body and got["ContentLength"] == size


def test_sse_c_ranges_across_chunk_boundaries(s3, bucket):
    body = os.urandom(3 * CHUNK + 4321)
    s3.put_object(Bucket=bucket, Key="r", Body=body, **ssec(KEY_A))
    check_ranges(s3, bucket, "r", body, [CHUNK, 2 * CHUNK, 3 * CHUNK], **ssec(KEY_A))


def test_sse_c_get_without_md5_header_is_allowed(signer, s3, bucket):
    s3.put_object(Bucket=bucket, Key="c", Body=b"no md5 on read", **ssec(KEY_A))
    r = signer.request("GET", object_path(bucket, "c"), headers=ssec_headers(KEY_A, md5=None))
    assert r.status == 200, r
    assert r.body == b"no md5 on read"
    assert r.header("x-amz-server-side-encryption-customer-algorithm") == "AES256"
    assert r.header("x-amz-server-side-encryption-customer-key-MD5") == md5_b64(KEY_A)
    h = signer.request("HEAD", object_path(bucket, "c"), headers=ssec_headers(KEY_A, md5=None))
    assert h.status == 200, h


def test_sse_c_object_read_errors(signer, s3, bucket):
    s3.put_object(Bucket=bucket, Key="c", Body=b"locked", **ssec(KEY_A))
    path = object_path(bucket, "c")
    # No key.
    with pytest.raises(ClientError) as e:
        s3.get_object(Bucket=bucket, Key="c")
    assert error_of(e) == ("InvalidRequest", 400)
    assert signer.request("HEAD", path).status == 400
    # Another valid key.
    with pytest.raises(ClientError) as e:
        s3.get_object(Bucket=bucket, Key="c", **ssec(KEY_B))
    assert error_of(e) == ("AccessDenied", 403)
    assert signer.request("HEAD", path, headers=ssec_headers(KEY_B)).status == 403
    # MD5 header that does not match the key.
    bad_md5 = ssec_headers(KEY_A, md5=md5_b64(KEY_B))
    assert raw_error(signer.request("GET", path, headers=bad_md5)) == ("InvalidArgument", 400)
    assert signer.request("HEAD", path, headers=bad_md5).status == 400
    # Algorithm other than AES256.
    r = signer.request("GET", path, headers=ssec_headers(KEY_A, algorithm="AES128"))
    assert raw_error(r) == ("InvalidEncryptionAlgorithmError", 400), r
    # Key without algorithm, algorithm without key.
    assert raw_error(signer.request("GET", path, headers=ssec_headers(KEY_A, algorithm=None))) == ("InvalidArgument", 400)
    r = signer.request("GET", path, headers={"x-amz-server-side-encryption-customer-algorithm": "AES256"})
    assert raw_error(r) == ("InvalidArgument", 400), r
    # A wrong-length key on a read never decrypts anything.
    short = os.urandom(16)
    r = signer.request("GET", path, headers=ssec_headers(short))
    assert r.status in (400, 403) and r.body != b"locked", r
    # The object is intact.
    assert s3.get_object(Bucket=bucket, Key="c", **ssec(KEY_A))["Body"].read() == b"locked"


def test_sse_c_headers_on_an_object_that_is_not_sse_c(signer, s3, bucket):
    s3.put_object(Bucket=bucket, Key="plain", Body=b"plain")
    s3.put_object(Bucket=bucket, Key="s3", Body=b"s3", ServerSideEncryption="AES256")
    for key in ("plain", "s3"):
        with pytest.raises(ClientError) as e:
            s3.get_object(Bucket=bucket, Key=key, **ssec(KEY_A))
        assert error_of(e) == ("InvalidRequest", 400), key
        assert signer.request("HEAD", object_path(bucket, key), headers=ssec_headers(KEY_A)).status == 400


def test_sse_c_put_errors_store_nothing(signer, s3, bucket):
    path = object_path(bucket, "c")
    cases = [
        ("no md5", ssec_headers(KEY_A, md5=None), "InvalidArgument"),
        ("md5 mismatch", ssec_headers(KEY_A, md5=md5_b64(KEY_B)), "InvalidArgument"),
        ("16-byte key", ssec_headers(KEY_A[:16]), "InvalidArgument"),
        ("64-byte key", ssec_headers(KEY_A + KEY_B), "InvalidArgument"),
        ("no algorithm", ssec_headers(KEY_A, algorithm=None), "InvalidArgument"),
        ("bad algorithm", ssec_headers(KEY_A, algorithm="AES128"), "InvalidEncryptionAlgorithmError"),
        ("with AES256", {**ssec_headers(KEY_A), "x-amz-server-side-encryption": "AES256"}, "InvalidArgument"),
        ("with aws:kms", {**ssec_headers(KEY_A), "x-amz-server-side-encryption": "aws:kms"}, "InvalidArgument"),
        ("md5 only", {"x-amz-server-side-encryption-customer-key-MD5": md5_b64(KEY_A)}, "InvalidArgument"),
    ]
    for what, headers, code in cases:
        r = signer.request("PUT", path, body=b"data", headers=headers)
        assert raw_error(r) == (code, 400), (what, r)
    assert "Contents" not in s3.list_objects_v2(Bucket=bucket)


def test_sse_c_overwrite_with_another_key(s3, bucket):
    s3.put_object(Bucket=bucket, Key="c", Body=b"one", **ssec(KEY_A))
    s3.put_object(Bucket=bucket, Key="c", Body=b"two", **ssec(KEY_B))
    assert s3.get_object(Bucket=bucket, Key="c", **ssec(KEY_B))["Body"].read() == b"two"
    with pytest.raises(ClientError) as e:
        s3.get_object(Bucket=bucket, Key="c", **ssec(KEY_A))
    assert error_of(e) == ("AccessDenied", 403)


def test_sse_c_conditional_reads(s3, bucket):
    etag = s3.put_object(Bucket=bucket, Key="c", Body=b"cond" * 100, **ssec(KEY_A))["ETag"]
    with pytest.raises(ClientError) as e:
        s3.get_object(Bucket=bucket, Key="c", IfNoneMatch=etag, **ssec(KEY_A))
    assert e.value.response["ResponseMetadata"]["HTTPStatusCode"] == 304
    with pytest.raises(ClientError) as e:
        s3.get_object(Bucket=bucket, Key="c", IfMatch='"ffffffffffffffffffffffffffffffff"', **ssec(KEY_A))
    assert error_of(e) == ("PreconditionFailed", 412)
    assert s3.get_object(Bucket=bucket, Key="c", IfMatch=etag, **ssec(KEY_A))["Body"].read() == b"cond" * 100


def test_sse_c_object_can_be_listed_and_deleted_without_the_key(s3, bucket):
    s3.put_object(Bucket=bucket, Key="c", Body=b"x", **ssec(KEY_A))
    assert [o["Key"] for o in s3.list_objects_v2(Bucket=bucket)["Contents"]] == ["c"]
    s3.delete_object(Bucket=bucket, Key="c")
    assert "Contents" not in s3.list_objects_v2(Bucket=bucket)


def test_sse_c_object_tagging_and_acl_need_no_key(s3, bucket):
    # PutObjectTagging/GetObjectTagging/GetObjectAcl take no SSE-C parameters in S3.
    s3.put_object(Bucket=bucket, Key="c", Body=b"x", **ssec(KEY_A))
    s3.put_object_tagging(Bucket=bucket, Key="c", Tagging={"TagSet": [{"Key": "t", "Value": "v"}]})
    assert s3.get_object_acl(Bucket=bucket, Key="c")["Grants"]
    assert s3.get_object_tagging(Bucket=bucket, Key="c")["TagSet"] == [{"Key": "t", "Value": "v"}]


def test_sse_c_upload_can_be_listed_and_aborted_without_the_key(s3, bucket):
    uid = s3.create_multipart_upload(Bucket=bucket, Key="mp", **ssec(KEY_A))["UploadId"]
    s3.upload_part(Bucket=bucket, Key="mp", UploadId=uid, PartNumber=1, Body=b"p" * 100, **ssec(KEY_A))
    assert [p["Size"] for p in s3.list_parts(Bucket=bucket, Key="mp", UploadId=uid)["Parts"]] == [100]
    assert [u["UploadId"] for u in s3.list_multipart_uploads(Bucket=bucket)["Uploads"]] == [uid]
    s3.abort_multipart_upload(Bucket=bucket, Key="mp", UploadId=uid)
    assert "Uploads" not in s3.list_multipart_uploads(Bucket=bucket)


def test_sse_c_multipart_upload(s3, bucket):
    parts = [os.urandom(5 * MiB), os.urandom(5 * MiB), os.urandom(200 * KiB + 3)]
    body = b"".join(parts)
    create = s3.create_multipart_upload(Bucket=bucket, Key="mp", **ssec(KEY_A))
    assert_ssec_echo(create, KEY_A)
    uid = create["UploadId"]
    etags = []
    for i, p in enumerate(parts):
        r = s3.upload_part(Bucket=bucket, Key="mp", UploadId=uid, PartNumber=i + 1, Body=p, **ssec(KEY_A))
        assert_ssec_echo(r, KEY_A)
        etags.append(r["ETag"])
    done = complete(s3, bucket, "mp", uid, etags)
    assert done["ETag"].endswith('-3"')
    head = s3.head_object(Bucket=bucket, Key="mp", **ssec(KEY_A))
    assert_ssec_echo(head, KEY_A)
    assert head["ContentLength"] == len(body) and head["ETag"] == done["ETag"]
    assert s3.get_object(Bucket=bucket, Key="mp", **ssec(KEY_A))["Body"].read() == body
    check_ranges(s3, bucket, "mp", body, [5 * MiB, 10 * MiB], **ssec(KEY_A))
    offset = 0
    for i, p in enumerate(parts):
        got = s3.get_object(Bucket=bucket, Key="mp", PartNumber=i + 1, **ssec(KEY_A))
        assert got["PartsCount"] == 3
        assert got["ContentRange"] == f"bytes {offset}-{offset + len(p) - 1}/{len(body)}"
        assert got["Body"].read() == p
        offset += len(p)
    with pytest.raises(ClientError) as e:
        s3.get_object(Bucket=bucket, Key="mp", PartNumber=2)
    assert error_of(e) == ("InvalidRequest", 400)
    with pytest.raises(ClientError) as e:
        s3.get_object(Bucket=bucket, Key="mp", Range="bytes=0-10", **ssec(KEY_B))
    assert error_of(e) == ("AccessDenied", 403)


def test_sse_c_upload_part_must_use_the_upload_key(signer, s3, bucket):
    uid = s3.create_multipart_upload(Bucket=bucket, Key="mp", **ssec(KEY_A))["UploadId"]
    with pytest.raises(ClientError) as e:
        s3.upload_part(Bucket=bucket, Key="mp", UploadId=uid, PartNumber=1, Body=b"x" * 1000)
    assert error_of(e) == ("InvalidRequest", 400)
    with pytest.raises(ClientError) as e:
        s3.upload_part(Bucket=bucket, Key="mp", UploadId=uid, PartNumber=1, Body=b"x" * 1000, **ssec(KEY_B))
    assert error_of(e) == ("InvalidRequest", 400)
    r = signer.request("PUT", object_path(bucket, "mp"), query=[("partNumber", "1"), ("uploadId", uid)], body=b"x",
                       headers=ssec_headers(KEY_A, md5=md5_b64(KEY_B)))
    assert raw_error(r) == ("InvalidArgument", 400), r
    assert "Parts" not in s3.list_parts(Bucket=bucket, Key="mp", UploadId=uid)
    # With the right key it works; completing needs no key.
    etag = s3.upload_part(Bucket=bucket, Key="mp", UploadId=uid, PartNumber=1, Body=b"y" * 1000, **ssec(KEY_A))["ETag"]
    complete(s3, bucket, "mp", uid, [etag])
    assert s3.get_object(Bucket=bucket, Key="mp", **ssec(KEY_A))["Body"].read() == b"y" * 1000


def test_sse_c_key_on_a_part_of_an_upload_without_sse_c(s3, bucket):
    uid = s3.create_multipart_upload(Bucket=bucket, Key="mp", ServerSideEncryption="AES256")["UploadId"]
    with pytest.raises(ClientError) as e:
        s3.upload_part(Bucket=bucket, Key="mp", UploadId=uid, PartNumber=1, Body=b"x", **ssec(KEY_A))
    assert error_of(e) == ("InvalidRequest", 400)


def test_upload_part_copy_between_sse_c_keys_with_ranges(s3, bucket):
    src = os.urandom(5 * MiB + 3 * CHUNK)
    s3.put_object(Bucket=bucket, Key="src", Body=src, **ssec(KEY_A))
    uid = s3.create_multipart_upload(Bucket=bucket, Key="dst", **ssec(KEY_B))["UploadId"]
    lo = CHUNK - 1
    p1 = s3.upload_part_copy(Bucket=bucket, Key="dst", UploadId=uid, PartNumber=1,
                             CopySource={"Bucket": bucket, "Key": "src"}, CopySourceRange=f"bytes={lo}-{lo + 5 * MiB - 1}",
                             **copy_ssec(KEY_A), **ssec(KEY_B))
    assert_ssec_echo(p1, KEY_B)
    p2 = s3.upload_part_copy(Bucket=bucket, Key="dst", UploadId=uid, PartNumber=2,
                             CopySource={"Bucket": bucket, "Key": "src"}, CopySourceRange="bytes=0-99999",
                             **copy_ssec(KEY_A), **ssec(KEY_B))
    complete(s3, bucket, "dst", uid, [p1["CopyPartResult"]["ETag"], p2["CopyPartResult"]["ETag"]])
    want = src[lo:lo + 5 * MiB] + src[:100_000]
    assert s3.get_object(Bucket=bucket, Key="dst", **ssec(KEY_B))["Body"].read() == want
    check_ranges(s3, bucket, "dst", want, [5 * MiB], **ssec(KEY_B))


def test_upload_part_copy_from_sse_c_needs_the_source_key(s3, bucket):
    s3.put_object(Bucket=bucket, Key="src", Body=os.urandom(1000), **ssec(KEY_A))
    uid = s3.create_multipart_upload(Bucket=bucket, Key="dst", ServerSideEncryption="AES256")["UploadId"]
    with pytest.raises(ClientError) as e:
        s3.upload_part_copy(Bucket=bucket, Key="dst", UploadId=uid, PartNumber=1, CopySource={"Bucket": bucket, "Key": "src"})
    assert error_of(e) == ("InvalidRequest", 400)
    with pytest.raises(ClientError) as e:
        s3.upload_part_copy(Bucket=bucket, Key="dst", UploadId=uid, PartNumber=1, CopySource={"Bucket": bucket, "Key": "src"},
                            **copy_ssec(KEY_B))
    assert error_of(e) == ("AccessDenied", 403)
    r = s3.upload_part_copy(Bucket=bucket, Key="dst", UploadId=uid, PartNumber=1, CopySource={"Bucket": bucket, "Key": "src"},
                            **copy_ssec(KEY_A))
    assert r["ServerSideEncryption"] == "AES256"


def test_copy_object_between_sse_c_and_other_kinds(s3, bucket):
    body = os.urandom(200_000)
    s3.put_object(Bucket=bucket, Key="c", Body=body, **ssec(KEY_A))
    src = {"Bucket": bucket, "Key": "c"}
    # SSE-C -> SSE-C with another key (key rotation).
    r = s3.copy_object(Bucket=bucket, Key="c2", CopySource=src, **copy_ssec(KEY_A), **ssec(KEY_B))
    assert_ssec_echo(r, KEY_B)
    assert s3.get_object(Bucket=bucket, Key="c2", **ssec(KEY_B))["Body"].read() == body
    # SSE-C -> SSE-S3: the new object's ETag is the MD5 again.
    r = s3.copy_object(Bucket=bucket, Key="s3", CopySource=src, **copy_ssec(KEY_A), ServerSideEncryption="AES256")
    assert r["ServerSideEncryption"] == "AES256"
    assert r["CopyObjectResult"]["ETag"] == md5_etag(body)
    got = s3.get_object(Bucket=bucket, Key="s3")
    assert got["ServerSideEncryption"] == "AES256" and got["Body"].read() == body
    # SSE-C -> plain.
    r = s3.copy_object(Bucket=bucket, Key="plain", CopySource=src, **copy_ssec(KEY_A))
    assert "ServerSideEncryption" not in r and "SSECustomerAlgorithm" not in r
    got = s3.get_object(Bucket=bucket, Key="plain")
    assert got["Body"].read() == body and "SSECustomerAlgorithm" not in got
    # plain -> SSE-C, SSE-S3 -> SSE-C.
    for source in ("plain", "s3"):
        r = s3.copy_object(Bucket=bucket, Key=f"{source}-c", CopySource={"Bucket": bucket, "Key": source}, **ssec(KEY_B))
        assert_ssec_echo(r, KEY_B)
        assert r["CopyObjectResult"]["ETag"] != md5_etag(body)
        assert s3.get_object(Bucket=bucket, Key=f"{source}-c", **ssec(KEY_B))["Body"].read() == body


def test_copy_object_from_sse_c_errors(signer, s3, bucket):
    s3.put_object(Bucket=bucket, Key="c", Body=b"secret", **ssec(KEY_A))
    s3.put_object(Bucket=bucket, Key="plain", Body=b"plain")
    src = {"Bucket": bucket, "Key": "c"}
    with pytest.raises(ClientError) as e:
        s3.copy_object(Bucket=bucket, Key="out", CopySource=src)
    assert error_of(e) == ("InvalidRequest", 400)
    with pytest.raises(ClientError) as e:
        s3.copy_object(Bucket=bucket, Key="out", CopySource=src, **ssec(KEY_A))  # destination key only
    assert error_of(e) == ("InvalidRequest", 400)
    with pytest.raises(ClientError) as e:
        s3.copy_object(Bucket=bucket, Key="out", CopySource=src, **copy_ssec(KEY_B))
    assert error_of(e) == ("AccessDenied", 403)
    r = signer.request("PUT", object_path(bucket, "out"),
                       headers={"x-amz-copy-source": f"/{bucket}/c", **ssec_headers(KEY_A, prefix="x-amz-copy-source-", md5=md5_b64(KEY_B))})
    assert raw_error(r) == ("InvalidArgument", 400), r
    r = signer.request("PUT", object_path(bucket, "out"),
                       headers={"x-amz-copy-source": f"/{bucket}/c",
                                **ssec_headers(KEY_A, prefix="x-amz-copy-source-", algorithm="AES128")})
    assert raw_error(r) == ("InvalidEncryptionAlgorithmError", 400), r
    # Copy-source key on a source that is not SSE-C.
    with pytest.raises(ClientError) as e:
        s3.copy_object(Bucket=bucket, Key="out", CopySource={"Bucket": bucket, "Key": "plain"}, **copy_ssec(KEY_A))
    assert error_of(e) == ("InvalidRequest", 400)
    assert sorted(o["Key"] for o in s3.list_objects_v2(Bucket=bucket)["Contents"]) == ["c", "plain"]


def test_copy_in_place_rotating_the_customer_key(s3, bucket):
    body = os.urandom(80_000)
    s3.put_object(Bucket=bucket, Key="c", Body=body, Metadata={"m": "1"}, **ssec(KEY_A))
    s3.copy_object(Bucket=bucket, Key="c", CopySource={"Bucket": bucket, "Key": "c"}, **copy_ssec(KEY_A), **ssec(KEY_B))
    got = s3.get_object(Bucket=bucket, Key="c", **ssec(KEY_B))
    assert got["Body"].read() == body and got["Metadata"] == {"m": "1"}
    with pytest.raises(ClientError) as e:
        s3.head_object(Bucket=bucket, Key="c", **ssec(KEY_A))
    assert e.value.response["ResponseMetadata"]["HTTPStatusCode"] == 403


def test_copy_source_conditionals_on_an_sse_c_source(s3, bucket):
    etag = s3.put_object(Bucket=bucket, Key="c", Body=b"v1", **ssec(KEY_A))["ETag"]
    s3.copy_object(Bucket=bucket, Key="ok", CopySource={"Bucket": bucket, "Key": "c"}, CopySourceIfMatch=etag, **copy_ssec(KEY_A))
    assert s3.get_object(Bucket=bucket, Key="ok")["Body"].read() == b"v1"
    with pytest.raises(ClientError) as e:
        s3.copy_object(Bucket=bucket, Key="no", CopySource={"Bucket": bucket, "Key": "c"}, CopySourceIfNoneMatch=etag,
                       **copy_ssec(KEY_A))
    assert error_of(e) == ("PreconditionFailed", 412)


def test_checksums_are_those_of_the_plaintext(s3, bucket):
    body = os.urandom(3 * CHUNK + 5)
    want = base64.b64encode(hashlib.sha256(body).digest()).decode()
    for key, enc in (("s3", {"ServerSideEncryption": "AES256"}), ("c", ssec(KEY_A))):
        put = s3.put_object(Bucket=bucket, Key=key, Body=body, ChecksumAlgorithm="SHA256", **enc)
        assert put["ChecksumSHA256"] == want, key
        read = {} if key == "s3" else ssec(KEY_A)
        got = s3.get_object(Bucket=bucket, Key=key, ChecksumMode="ENABLED", **read)
        assert got["ChecksumSHA256"] == want, key
        assert got["Body"].read() == body
        assert s3.head_object(Bucket=bucket, Key=key, ChecksumMode="ENABLED", **read)["ChecksumSHA256"] == want


def test_sizes_reported_are_plaintext_sizes(s3, bucket):
    parts = [os.urandom(5 * MiB), os.urandom(1000)]
    uid = s3.create_multipart_upload(Bucket=bucket, Key="mp", ServerSideEncryption="AES256")["UploadId"]
    etags = [s3.upload_part(Bucket=bucket, Key="mp", UploadId=uid, PartNumber=i + 1, Body=p)["ETag"] for i, p in enumerate(parts)]
    complete(s3, bucket, "mp", uid, etags)
    s3.put_object(Bucket=bucket, Key="c", Body=b"z" * 12345, **ssec(KEY_A))
    attrs = s3.get_object_attributes(Bucket=bucket, Key="mp", ObjectAttributes=["ObjectSize", "ObjectParts", "ETag"])
    assert attrs["ObjectSize"] == 5 * MiB + 1000
    assert attrs["ObjectParts"]["TotalPartsCount"] == 2
    assert attrs["ETag"] == multipart_etag(parts).strip('"')
    sizes = {o["Key"]: o["Size"] for o in s3.list_objects_v2(Bucket=bucket)["Contents"]}
    assert sizes == {"mp": 5 * MiB + 1000, "c": 12345}
    versions = {v["Key"]: v["Size"] for v in s3.list_object_versions(Bucket=bucket)["Versions"]}
    assert versions == sizes


def test_sse_c_multipart_with_a_replaced_part_and_a_skipped_part(s3, bucket):
    uid = s3.create_multipart_upload(Bucket=bucket, Key="mp", **ssec(KEY_A))["UploadId"]
    first = os.urandom(5 * MiB)
    replaced = os.urandom(5 * MiB)
    skipped = os.urandom(5 * MiB)
    last = os.urandom(70_001)
    s3.upload_part(Bucket=bucket, Key="mp", UploadId=uid, PartNumber=1, Body=first, **ssec(KEY_A))
    e1 = s3.upload_part(Bucket=bucket, Key="mp", UploadId=uid, PartNumber=1, Body=replaced, **ssec(KEY_A))["ETag"]
    s3.upload_part(Bucket=bucket, Key="mp", UploadId=uid, PartNumber=2, Body=skipped, **ssec(KEY_A))
    e3 = s3.upload_part(Bucket=bucket, Key="mp", UploadId=uid, PartNumber=3, Body=last, **ssec(KEY_A))["ETag"]
    s3.complete_multipart_upload(Bucket=bucket, Key="mp", UploadId=uid, MultipartUpload={
        "Parts": [{"PartNumber": 1, "ETag": e1}, {"PartNumber": 3, "ETag": e3}]})
    body = replaced + last
    got = s3.get_object(Bucket=bucket, Key="mp", **ssec(KEY_A))
    assert got["ContentLength"] == len(body) and got["Body"].read() == body
    check_ranges(s3, bucket, "mp", body, [5 * MiB], **ssec(KEY_A))


def test_encryption_with_storage_classes(s3, bucket):
    body = os.urandom(200_000)
    s3.put_object(Bucket=bucket, Key="ia", Body=body, StorageClass="STANDARD_IA", ServerSideEncryption="AES256")
    head = s3.head_object(Bucket=bucket, Key="ia")
    assert head["StorageClass"] == "STANDARD_IA" and head["ServerSideEncryption"] == "AES256"
    assert s3.get_object(Bucket=bucket, Key="ia", Range="bytes=65530-65541")["Body"].read() == body[65530:65542]
    s3.put_object(Bucket=bucket, Key="c", Body=body, **ssec(KEY_A))
    s3.copy_object(Bucket=bucket, Key="c", CopySource={"Bucket": bucket, "Key": "c"}, StorageClass="ONEZONE_IA",
                   **copy_ssec(KEY_A), **ssec(KEY_A))
    head = s3.head_object(Bucket=bucket, Key="c", **ssec(KEY_A))
    assert head["StorageClass"] == "ONEZONE_IA"
    assert_ssec_echo(head, KEY_A)
    assert s3.get_object(Bucket=bucket, Key="c", **ssec(KEY_A))["Body"].read() == body


# --------------------------------------------------------------------------------------------
# Versioning
# --------------------------------------------------------------------------------------------

def test_versions_keep_their_own_encryption(s3, bucket):
    s3.put_bucket_versioning(Bucket=bucket, VersioningConfiguration={"Status": "Enabled"})
    v1 = s3.put_object(Bucket=bucket, Key="k", Body=b"version one" * 1000, **ssec(KEY_A))["VersionId"]
    v2 = s3.put_object(Bucket=bucket, Key="k", Body=b"version two" * 1000, **ssec(KEY_B))["VersionId"]
    v3 = s3.put_object(Bucket=bucket, Key="k", Body=b"version three" * 1000, ServerSideEncryption="AES256")["VersionId"]
    v4 = s3.put_object(Bucket=bucket, Key="k", Body=b"version four")["VersionId"]
    assert len({v1, v2, v3, v4}) == 4
    got = s3.get_object(Bucket=bucket, Key="k", VersionId=v1, **ssec(KEY_A))
    assert got["Body"].read() == b"version one" * 1000 and got["VersionId"] == v1
    assert s3.get_object(Bucket=bucket, Key="k", VersionId=v2, **ssec(KEY_B))["Body"].read() == b"version two" * 1000
    assert s3.get_object(Bucket=bucket, Key="k", VersionId=v2, Range="bytes=8-10", **ssec(KEY_B))["Body"].read() == b"two"
    got = s3.get_object(Bucket=bucket, Key="k", VersionId=v3)
    assert got["ServerSideEncryption"] == "AES256" and got["Body"].read() == b"version three" * 1000
    latest = s3.get_object(Bucket=bucket, Key="k")
    assert "ServerSideEncryption" not in latest and latest["Body"].read() == b"version four"
    with pytest.raises(ClientError) as e:
        s3.get_object(Bucket=bucket, Key="k", VersionId=v1, **ssec(KEY_B))
    assert error_of(e) == ("AccessDenied", 403)
    with pytest.raises(ClientError) as e:
        s3.get_object(Bucket=bucket, Key="k", VersionId=v2)
    assert error_of(e) == ("InvalidRequest", 400)
    head = s3.head_object(Bucket=bucket, Key="k", VersionId=v1, **ssec(KEY_A))
    assert_ssec_echo(head, KEY_A)
    # Copy an old version to the top.
    s3.copy_object(Bucket=bucket, Key="k", CopySource={"Bucket": bucket, "Key": "k", "VersionId": v1}, **copy_ssec(KEY_A),
                   ServerSideEncryption="AES256")
    got = s3.get_object(Bucket=bucket, Key="k")
    assert got["ServerSideEncryption"] == "AES256" and got["Body"].read() == b"version one" * 1000
    for vid in (v1, v2, v3, v4):
        s3.delete_object(Bucket=bucket, Key="k", VersionId=vid)
    for v in s3.list_object_versions(Bucket=bucket).get("Versions", []):
        s3.delete_object(Bucket=bucket, Key=v["Key"], VersionId=v["VersionId"])


# --------------------------------------------------------------------------------------------
# Bucket default encryption
# --------------------------------------------------------------------------------------------

def aes_rule(bucket_key: bool | None = None) -> dict:
    rule = {"ApplyServerSideEncryptionByDefault": {"SSEAlgorithm": "AES256"}}
    if bucket_key is not None:
        rule["BucketKeyEnabled"] = bucket_key
    return {"Rules": [rule]}


def test_bucket_encryption_put_get_delete(s3, bucket):
    expect_error(s3.get_bucket_encryption, "ServerSideEncryptionConfigurationNotFoundError", 404, Bucket=bucket)
    s3.put_bucket_encryption(Bucket=bucket, ServerSideEncryptionConfiguration=aes_rule())
    rules = s3.get_bucket_encryption(Bucket=bucket)["ServerSideEncryptionConfiguration"]["Rules"]
    assert len(rules) == 1
    assert rules[0]["ApplyServerSideEncryptionByDefault"] == {"SSEAlgorithm": "AES256"}
    assert rules[0].get("BucketKeyEnabled", False) is False
    resp = s3.delete_bucket_encryption(Bucket=bucket)
    assert resp["ResponseMetadata"]["HTTPStatusCode"] == 204
    expect_error(s3.get_bucket_encryption, "ServerSideEncryptionConfigurationNotFoundError", 404, Bucket=bucket)
    s3.put_object(Bucket=bucket, Key="after", Body=b"x")
    assert "ServerSideEncryption" not in s3.head_object(Bucket=bucket, Key="after")


def test_bucket_encryption_keeps_bucket_key_enabled(s3, bucket):
    # S3 stores and returns BucketKeyEnabled as set, also for AES256 (the console's default).
    s3.put_bucket_encryption(Bucket=bucket, ServerSideEncryptionConfiguration=aes_rule(True))
    rules = s3.get_bucket_encryption(Bucket=bucket)["ServerSideEncryptionConfiguration"]["Rules"]
    assert rules[0]["ApplyServerSideEncryptionByDefault"] == {"SSEAlgorithm": "AES256"}
    assert rules[0]["BucketKeyEnabled"] is True


def test_bucket_encryption_raw_xml(signer, bucket):
    body = (b'<ServerSideEncryptionConfiguration xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><Rule>'
            b'<ApplyServerSideEncryptionByDefault><SSEAlgorithm>AES256</SSEAlgorithm></ApplyServerSideEncryptionByDefault>'
            b'</Rule></ServerSideEncryptionConfiguration>')
    r = signer.request("PUT", f"/{bucket}", query=[("encryption", None)], body=body, headers={"Content-MD5": md5_b64(body)})
    assert r.status == 200, r
    r = signer.request("GET", f"/{bucket}", query=[("encryption", None)])
    assert r.status == 200, r
    root = xml_root(r.body)
    assert root.tag.endswith("ServerSideEncryptionConfiguration")
    assert find_text(root, "SSEAlgorithm") == "AES256"


def test_bucket_default_encrypts_puts_copies_multipart_and_forms(s3, bucket):
    s3.put_object(Bucket=bucket, Key="before", Body=b"before")
    s3.put_bucket_encryption(Bucket=bucket, ServerSideEncryptionConfiguration=aes_rule())
    put = s3.put_object(Bucket=bucket, Key="p", Body=b"default")
    assert put["ServerSideEncryption"] == "AES256" and put["ETag"] == md5_etag(b"default")
    get = s3.get_object(Bucket=bucket, Key="p")
    assert get["ServerSideEncryption"] == "AES256" and get["Body"].read() == b"default"
    # Objects written before the default are left as they were.
    assert "ServerSideEncryption" not in s3.head_object(Bucket=bucket, Key="before")
    copy = s3.copy_object(Bucket=bucket, Key="copied", CopySource={"Bucket": bucket, "Key": "before"})
    assert copy["ServerSideEncryption"] == "AES256"
    assert s3.head_object(Bucket=bucket, Key="copied")["ServerSideEncryption"] == "AES256"
    create = s3.create_multipart_upload(Bucket=bucket, Key="mp")
    assert create["ServerSideEncryption"] == "AES256"
    part = s3.upload_part(Bucket=bucket, Key="mp", UploadId=create["UploadId"], PartNumber=1, Body=b"part")
    assert part["ServerSideEncryption"] == "AES256"
    done = complete(s3, bucket, "mp", create["UploadId"], [part["ETag"]])
    assert done["ServerSideEncryption"] == "AES256"
    assert s3.get_object(Bucket=bucket, Key="mp")["Body"].read() == b"part"
    post = s3.generate_presigned_post(bucket, "form", ExpiresIn=300)
    r = requests.post(post["url"], data=post["fields"], files={"file": ("a", b"form")}, timeout=30)
    assert r.status_code == 204, r.text
    assert s3.head_object(Bucket=bucket, Key="form")["ServerSideEncryption"] == "AES256"


def test_sse_c_request_overrides_the_bucket_default(s3, bucket):
    s3.put_bucket_encryption(Bucket=bucket, ServerSideEncryptionConfiguration=aes_rule())
    put = s3.put_object(Bucket=bucket, Key="c", Body=b"mine", **ssec(KEY_A))
    assert_ssec_echo(put, KEY_A)
    with pytest.raises(ClientError) as e:
        s3.get_object(Bucket=bucket, Key="c")
    assert error_of(e) == ("InvalidRequest", 400)
    got = s3.get_object(Bucket=bucket, Key="c", **ssec(KEY_A))
    assert_ssec_echo(got, KEY_A)
    assert got["Body"].read() == b"mine"


@pytest.mark.parametrize("what,document,code,status", [
    ("not xml", b"<ServerSideEncryptionConfiguration><Rule>", "MalformedXML", 400),
    ("no rule", b"<ServerSideEncryptionConfiguration></ServerSideEncryptionConfiguration>", "MalformedXML", 400),
    ("unknown algorithm", b"<ServerSideEncryptionConfiguration><Rule><ApplyServerSideEncryptionByDefault>"
                          b"<SSEAlgorithm>AES512</SSEAlgorithm></ApplyServerSideEncryptionByDefault></Rule>"
                          b"</ServerSideEncryptionConfiguration>", "MalformedXML", 400),
    ("no algorithm", b"<ServerSideEncryptionConfiguration><Rule><ApplyServerSideEncryptionByDefault>"
                     b"</ApplyServerSideEncryptionByDefault></Rule></ServerSideEncryptionConfiguration>", "MalformedXML", 400),
    ("aes with key", b"<ServerSideEncryptionConfiguration><Rule><ApplyServerSideEncryptionByDefault>"
                     b"<SSEAlgorithm>AES256</SSEAlgorithm><KMSMasterKeyID>some-key</KMSMasterKeyID>"
                     b"</ApplyServerSideEncryptionByDefault></Rule></ServerSideEncryptionConfiguration>", "InvalidArgument", 400),
    ("wrong root", b"<LifecycleConfiguration><Rule><ApplyServerSideEncryptionByDefault><SSEAlgorithm>AES256</SSEAlgorithm>"
                   b"</ApplyServerSideEncryptionByDefault></Rule></LifecycleConfiguration>", "MalformedXML", 400),
    ("empty", b"", "MalformedXML", 400),
])
def test_bad_bucket_encryption_documents_change_nothing(signer, s3, bucket, what, document, code, status):
    s3.put_bucket_encryption(Bucket=bucket, ServerSideEncryptionConfiguration=aes_rule())
    r = signer.request("PUT", f"/{bucket}", query=[("encryption", None)], body=document,
                       headers={"Content-MD5": md5_b64(document)})
    assert raw_error(r) == (code, status), (what, r)
    rules = s3.get_bucket_encryption(Bucket=bucket)["ServerSideEncryptionConfiguration"]["Rules"]
    assert [r["ApplyServerSideEncryptionByDefault"] for r in rules] == [{"SSEAlgorithm": "AES256"}]


def test_bucket_encryption_aes256_with_a_kms_key_is_invalid_argument(s3, bucket):
    expect_error(s3.put_bucket_encryption, "InvalidArgument", 400, Bucket=bucket, ServerSideEncryptionConfiguration={
        "Rules": [{"ApplyServerSideEncryptionByDefault": {"SSEAlgorithm": "AES256", "KMSMasterKeyID": "whatever"}}]})
    expect_error(s3.get_bucket_encryption, "ServerSideEncryptionConfigurationNotFoundError", 404, Bucket=bucket)


def test_bucket_encryption_on_missing_bucket_and_by_other_users(s3, new_user, bucket):
    missing = unique_bucket_name("missing")
    expect_error(s3.get_bucket_encryption, "NoSuchBucket", 404, Bucket=missing)
    expect_error(s3.put_bucket_encryption, "NoSuchBucket", 404, Bucket=missing, ServerSideEncryptionConfiguration=aes_rule())
    expect_error(s3.delete_bucket_encryption, "NoSuchBucket", 404, Bucket=missing)
    other = new_user("enc")
    expect_error(other.client.put_bucket_encryption, "AccessDenied", 403, Bucket=bucket, ServerSideEncryptionConfiguration=aes_rule())
    expect_error(other.client.get_bucket_encryption, "AccessDenied", 403, Bucket=bucket)
    expect_error(other.client.delete_bucket_encryption, "AccessDenied", 403, Bucket=bucket)
    expect_error(s3.get_bucket_encryption, "ServerSideEncryptionConfigurationNotFoundError", 404, Bucket=bucket)


# --------------------------------------------------------------------------------------------
# aws CLI
# --------------------------------------------------------------------------------------------

def test_aws_cli_sse_s3_multipart_upload(aws_cli, s3, bucket, tmp_path):
    data = os.urandom(9 * MiB + 123)
    path = tmp_path / "big.bin"
    path.write_bytes(data)
    aws_cli("s3", "cp", str(path), f"s3://{bucket}/big.bin", "--sse", "AES256")
    head = json.loads(aws_cli("s3api", "head-object", "--bucket", bucket, "--key", "big.bin").stdout)
    assert head["ServerSideEncryption"] == "AES256" and head["ContentLength"] == len(data)
    assert head["ETag"].endswith('-2"')  # the CLI used multipart (8 MiB parts)
    out = tmp_path / "back.bin"
    aws_cli("s3", "cp", f"s3://{bucket}/big.bin", str(out))
    assert out.read_bytes() == data


def test_aws_cli_sse_c_upload_download_and_copy(aws_cli, s3, bucket, tmp_path):
    data = os.urandom(9 * MiB + 5)
    path = tmp_path / "big.bin"
    path.write_bytes(data)
    keyfile = tmp_path / "key.bin"
    keyfile.write_bytes(KEY_A)
    keyfile_b = tmp_path / "key-b.bin"
    keyfile_b.write_bytes(KEY_B)
    aws_cli("s3", "cp", str(path), f"s3://{bucket}/c.bin", "--sse-c", "AES256", "--sse-c-key", f"fileb://{keyfile}")
    head = s3.head_object(Bucket=bucket, Key="c.bin", **ssec(KEY_A))
    assert_ssec_echo(head, KEY_A)
    assert head["ContentLength"] == len(data) and head["ETag"].endswith('-2"')
    out = tmp_path / "back.bin"
    aws_cli("s3", "cp", f"s3://{bucket}/c.bin", str(out), "--sse-c", "AES256", "--sse-c-key", f"fileb://{keyfile}")
    assert out.read_bytes() == data
    # Without the key the download fails.
    p = aws_cli("s3", "cp", f"s3://{bucket}/c.bin", str(tmp_path / "nokey.bin"), check=False)
    assert p.returncode != 0
    assert not (tmp_path / "nokey.bin").exists() or (tmp_path / "nokey.bin").read_bytes() != data
    # Server-side copy (multipart copy for > 8 MiB) to another key.
    aws_cli("s3", "cp", f"s3://{bucket}/c.bin", f"s3://{bucket}/c2.bin",
            "--sse-c-copy-source", "AES256", "--sse-c-copy-source-key", f"fileb://{keyfile}",
            "--sse-c", "AES256", "--sse-c-key", f"fileb://{keyfile_b}")
    assert s3.get_object(Bucket=bucket, Key="c2.bin", **ssec(KEY_B))["Body"].read() == data
    # And to SSE-S3.
    aws_cli("s3", "cp", f"s3://{bucket}/c.bin", f"s3://{bucket}/s3.bin",
            "--sse-c-copy-source", "AES256", "--sse-c-copy-source-key", f"fileb://{keyfile}", "--sse", "AES256")
    got = s3.get_object(Bucket=bucket, Key="s3.bin")
    assert got["ServerSideEncryption"] == "AES256" and got["Body"].read() == data


def test_aws_cli_bucket_encryption(aws_cli, s3, bucket):
    p = aws_cli("s3api", "get-bucket-encryption", "--bucket", bucket, check=False)
    assert p.returncode != 0 and b"ServerSideEncryptionConfigurationNotFoundError" in p.stderr
    config = {"Rules": [{"ApplyServerSideEncryptionByDefault": {"SSEAlgorithm": "AES256"}, "BucketKeyEnabled": False}]}
    aws_cli("s3api", "put-bucket-encryption", "--bucket", bucket, "--server-side-encryption-configuration", json.dumps(config))
    got = json.loads(aws_cli("s3api", "get-bucket-encryption", "--bucket", bucket).stdout)
    rule = got["ServerSideEncryptionConfiguration"]["Rules"][0]
    assert rule["ApplyServerSideEncryptionByDefault"]["SSEAlgorithm"] == "AES256"
    aws_cli("s3api", "put-object", "--bucket", bucket, "--key", "k", "--body", __file__)
    head = json.loads(aws_cli("s3api", "head-object", "--bucket", bucket, "--key", "k").stdout)
    assert head["ServerSideEncryption"] == "AES256"
    aws_cli("s3api", "delete-bucket-encryption", "--bucket", bucket)
    p = aws_cli("s3api", "get-bucket-encryption", "--bucket", bucket, check=False)
    assert p.returncode != 0 and b"ServerSideEncryptionConfigurationNotFoundError" in p.stderr


# --------------------------------------------------------------------------------------------
# Robustness
# --------------------------------------------------------------------------------------------

def test_malformed_sse_requests_do_not_break_the_server(server, signer, s3, bucket):
    s3.put_object(Bucket=bucket, Key="c", Body=b"c", **ssec(KEY_A))
    path_new, path_c = object_path(bucket, "new"), object_path(bucket, "c")
    long_key = b"k" * 5000
    attempts = [
        ("PUT", path_new, ssec_headers(KEY_A, key_text="!!!not base64!!!", md5=md5_b64(KEY_A))),
        ("PUT", path_new, ssec_headers(KEY_A, key_text="", md5="")),
        ("PUT", path_new, ssec_headers(long_key)),
        ("PUT", path_new, ssec_headers(KEY_A, md5="not-base64-%%%")),
        ("PUT", path_new, ssec_headers(KEY_A, algorithm="")),
        ("PUT", path_new, {"x-amz-server-side-encryption": "aws:kms", "x-amz-server-side-encryption-aws-kms-key-id": "x" * 3000}),
        ("PUT", path_new, {"x-amz-server-side-encryption": "aws:kms", "x-amz-server-side-encryption-aws-kms-key-id": ""}),
        ("PUT", path_new, {"x-amz-server-side-encryption": "\u00e9".encode().decode("latin-1")}),
        ("PUT", path_new, {"x-amz-server-side-encryption-aws-kms-key-id": "abc"}),
        ("GET", path_c, ssec_headers(KEY_A, key_text="=====")),
        ("GET", path_c, ssec_headers(b"")),
        ("GET", path_c, ssec_headers(long_key)),
        ("GET", path_c, ssec_headers(KEY_A, prefix="x-amz-copy-source-")),
        ("HEAD", path_c, ssec_headers(KEY_A, key_text="%%%%")),
        ("PUT", path_new, {"x-amz-copy-source": f"/{bucket}/c", **ssec_headers(KEY_A, prefix="x-amz-copy-source-", key_text="@@")}),
        ("POST", path_new, {"x-amz-server-side-encryption": "AES256", **ssec_headers(KEY_A)}),
    ]
    for method, path, headers in attempts:
        query = [("uploads", None)] if method == "POST" else None
        r = signer.request(method, path, query=query, headers=headers, body=b"payload" if method == "PUT" else b"")
        assert 400 <= r.status < 500, (method, headers, r)
    for document in (b"<ServerSideEncryptionConfiguration>" * 2000, b"\x00\xff" * 100,
                     b"<?xml version='1.0'?><!DOCTYPE x [<!ENTITY a 'aaaa'>]><ServerSideEncryptionConfiguration>&a;"
                     b"</ServerSideEncryptionConfiguration>"):
        r = signer.request("PUT", f"/{bucket}", query=[("encryption", None)], body=document, headers={"Content-MD5": md5_b64(document)})
        assert 400 <= r.status < 500, r
    assert server.health_ok()
    assert [o["Key"] for o in s3.list_objects_v2(Bucket=bucket)["Contents"]] == ["c"]
    s3.put_object(Bucket=bucket, Key="after", Body=b"still fine", ServerSideEncryption="AES256")
    assert s3.get_object(Bucket=bucket, Key="after")["Body"].read() == b"still fine"
    assert s3.get_object(Bucket=bucket, Key="c", **ssec(KEY_A))["Body"].read() == b"c"


# --------------------------------------------------------------------------------------------
# Bytes on disk, master key, restart (dedicated servers)
# --------------------------------------------------------------------------------------------

def files_containing(root: Path, needle: bytes) -> list[Path]:
    found = []
    for dirpath, _, files in os.walk(root):
        for name in files:
            path = Path(dirpath) / name
            try:
                if needle in path.read_bytes():
                    found.append(path)
            except (FileNotFoundError, IsADirectoryError, PermissionError):
                continue
    return found


def kms_create(srv, name: str) -> dict:
    from conftest import run_magpie
    env = {"MAGPIE_ENDPOINT": srv.endpoint, "MAGPIE_ROOT_ACCESS_KEY": srv.access_key, "MAGPIE_ROOT_SECRET_KEY": srv.secret_key}
    return json.loads(run_magpie(["admin", "kms", "create", name], env).stdout)


def test_encrypted_bytes_never_reach_the_disk_in_plaintext_and_survive_a_restart(tmp_path):
    data_dir = tmp_path / "data"
    srv = start_server(data_dir, tmp_path / "logs")
    try:
        master = data_dir / "master-key"
        assert master.is_file()
        assert stat.S_IMODE(master.stat().st_mode) == 0o600
        s3 = srv.client()
        b = unique_bucket_name("disk")
        s3.create_bucket(Bucket=b)
        kms_create(srv, "disk-key")
        enc = {"s3": b"MAGPIE-PLAINTEXT-MARKER-S3S3" * 5000, "kms": b"MAGPIE-PLAINTEXT-MARKER-KMSK" * 5000,
               "ssec": b"MAGPIE-PLAINTEXT-MARKER-SSEC" * 5000, "mp": b"MAGPIE-PLAINTEXT-MARKER-MPMP" * 200_000,
               "open": b"MAGPIE-PLAINTEXT-MARKER-OPEN" * 200_000, "post": b"MAGPIE-PLAINTEXT-MARKER-POST" * 5000}
        plain = b"MAGPIE-PLAINTEXT-MARKER-PLAN" * 5000
        s3.put_object(Bucket=b, Key="s3", Body=enc["s3"], ServerSideEncryption="AES256")
        s3.put_object(Bucket=b, Key="kms", Body=enc["kms"], ServerSideEncryption="aws:kms", SSEKMSKeyId="disk-key")
        s3.put_object(Bucket=b, Key="ssec", Body=enc["ssec"], **ssec(KEY_A))
        mp_parts = [enc["mp"][:5 * MiB], enc["mp"][5 * MiB:]]
        uid = s3.create_multipart_upload(Bucket=b, Key="mp", **ssec(KEY_B))["UploadId"]
        etags = [s3.upload_part(Bucket=b, Key="mp", UploadId=uid, PartNumber=i + 1, Body=p, **ssec(KEY_B))["ETag"]
                 for i, p in enumerate(mp_parts)]
        complete(s3, b, "mp", uid, etags)
        # An upload left open: its parts are on disk too.
        open_uid = s3.create_multipart_upload(Bucket=b, Key="open", ServerSideEncryption="AES256")["UploadId"]
        s3.upload_part(Bucket=b, Key="open", UploadId=open_uid, PartNumber=1, Body=enc["open"])
        post = s3.generate_presigned_post(b, "post", Fields={"x-amz-server-side-encryption": "AES256"},
                                          Conditions=[{"x-amz-server-side-encryption": "AES256"}], ExpiresIn=300)
        r = requests.post(post["url"], data=post["fields"], files={"file": ("a", enc["post"])}, timeout=30)
        assert r.status_code == 204, r.text
        s3.copy_object(Bucket=b, Key="s3-copy", CopySource={"Bucket": b, "Key": "s3"}, **ssec(KEY_B))
        s3.put_object(Bucket=b, Key="plain", Body=plain)

        # The check can fail: the unencrypted object's marker is on disk.
        assert files_containing(data_dir, b"MAGPIE-PLAINTEXT-MARKER-PLAN" * 4)
        for name, body in enc.items():
            assert files_containing(data_dir, body[:28 * 4]) == [], f"plaintext of {name} found on disk"
        # The customer keys are never stored.
        for key in (KEY_A, KEY_B):
            assert files_containing(data_dir, key) == []
            assert files_containing(data_dir, b64(key).encode()) == []

        srv.stop()
        srv = start_server(data_dir, tmp_path / "logs2")
        s3 = srv.client()
        got = s3.get_object(Bucket=b, Key="s3")
        assert got["ServerSideEncryption"] == "AES256" and got["Body"].read() == enc["s3"]
        got = s3.get_object(Bucket=b, Key="kms")
        assert got["ServerSideEncryption"] == "aws:kms" and got["Body"].read() == enc["kms"]
        assert s3.get_object(Bucket=b, Key="ssec", **ssec(KEY_A))["Body"].read() == enc["ssec"]
        assert s3.get_object(Bucket=b, Key="mp", Range=f"bytes={5 * MiB - 5}-{5 * MiB + 4}",
                             **ssec(KEY_B))["Body"].read() == enc["mp"][5 * MiB - 5:5 * MiB + 5]
        assert s3.get_object(Bucket=b, Key="post")["Body"].read() == enc["post"]
        assert s3.get_object(Bucket=b, Key="s3-copy", **ssec(KEY_B))["Body"].read() == enc["s3"]
        with pytest.raises(ClientError) as e:
            s3.get_object(Bucket=b, Key="ssec", **ssec(KEY_B))
        assert error_of(e) == ("AccessDenied", 403)
        # The open upload can be finished after the restart.
        etag = s3.upload_part(Bucket=b, Key="open", UploadId=open_uid, PartNumber=2, Body=b"tail")["ETag"]
        first = s3.list_parts(Bucket=b, Key="open", UploadId=open_uid)["Parts"][0]["ETag"]
        complete(s3, b, "open", open_uid, [first, etag])
        assert s3.get_object(Bucket=b, Key="open")["Body"].read() == enc["open"] + b"tail"
    finally:
        srv.stop()


def test_master_key_from_the_environment(tmp_path):
    key = base64.b64encode(hashlib.sha256(b"env master key").digest()).decode()
    data_dir = tmp_path / "data"
    srv = start_server(data_dir, tmp_path / "logs", extra_env={"MAGPIE_MASTER_KEY": key})
    try:
        assert not (data_dir / "master-key").exists()
        s3 = srv.client()
        b = unique_bucket_name("envkey")
        s3.create_bucket(Bucket=b)
        s3.put_object(Bucket=b, Key="s3", Body=b"env-keyed" * 1000, ServerSideEncryption="AES256")
        s3.put_object(Bucket=b, Key="c", Body=b"customer" * 1000, **ssec(KEY_A))
        srv.stop()
        srv = start_server(data_dir, tmp_path / "logs2", extra_env={"MAGPIE_MASTER_KEY": key})
        s3 = srv.client()
        assert s3.get_object(Bucket=b, Key="s3")["Body"].read() == b"env-keyed" * 1000
        assert s3.get_object(Bucket=b, Key="c", **ssec(KEY_A))["Body"].read() == b"customer" * 1000
        srv.stop()
        # Another master key cannot read what the first one wrapped, and the server keeps serving.
        other = base64.b64encode(hashlib.sha256(b"another master key").digest()).decode()
        srv = start_server(data_dir, tmp_path / "logs3", extra_env={"MAGPIE_MASTER_KEY": other})
        s3 = make_client(srv.endpoint, srv.creds, retries={"max_attempts": 1})
        with pytest.raises(ClientError):
            s3.get_object(Bucket=b, Key="s3")["Body"].read()
        assert srv.health_ok()
        s3.put_object(Bucket=b, Key="new", Body=b"new", ServerSideEncryption="AES256")
        assert s3.get_object(Bucket=b, Key="new")["Body"].read() == b"new"
    finally:
        srv.stop()


def test_invalid_master_key_in_the_environment_is_refused_at_start(tmp_path):
    from conftest import base_env, require_binary, free_port
    import subprocess
    env = base_env()
    env["MAGPIE_MASTER_KEY"] = base64.b64encode(b"too short").decode()
    env["MAGPIE_ROOT_ACCESS_KEY"], env["MAGPIE_ROOT_SECRET_KEY"] = "MAGPIEROOTTESTKEY001", "magpie/root+test/secret/0123456789abcdefXYZ"
    p = subprocess.run([require_binary(), "serve", "--address", "127.0.0.1", "--port", str(free_port()),
                        "--data-dir", str(tmp_path / "data")], env=env, capture_output=True, timeout=20,
                       stdin=subprocess.DEVNULL)
    assert p.returncode != 0
    assert b"MAGPIE_MASTER_KEY" in p.stderr + p.stdout


def test_server_wide_default_encryption(tmp_path):
    """`--default-encryption AES256`: every new object in a bucket without its own default is SSE-S3,
    and GetBucketEncryption reports it, as AWS does since 2023; a bucket's own default still wins."""
    srv = start_server(tmp_path / "data", tmp_path / "logs", extra_args=["--default-encryption", "AES256"])
    try:
        s3 = srv.client()
        b = unique_bucket_name("srvdef")
        s3.create_bucket(Bucket=b)
        assert s3.put_object(Bucket=b, Key="plain", Body=b"x" * 100)["ServerSideEncryption"] == "AES256"
        rule = s3.get_bucket_encryption(Bucket=b)["ServerSideEncryptionConfiguration"]["Rules"][0]
        assert rule["ApplyServerSideEncryptionByDefault"]["SSEAlgorithm"] == "AES256"
        s3.put_bucket_encryption(Bucket=b, ServerSideEncryptionConfiguration={
            "Rules": [{"ApplyServerSideEncryptionByDefault": {"SSEAlgorithm": "aws:kms"}}]})
        assert s3.put_object(Bucket=b, Key="kms", Body=b"y")["ServerSideEncryption"] == "aws:kms"
        assert s3.head_object(Bucket=b, Key="plain")["ServerSideEncryption"] == "AES256"
    finally:
        srv.stop()
    bad = subprocess.run([MAGPIE_BIN, "serve", "--data-dir", str(tmp_path / "bad"), "--default-encryption", "DES"],
                         capture_output=True, text=True, timeout=60)
    assert bad.returncode != 0 and "--default-encryption" in bad.stderr


def test_image_transformations_of_encrypted_sources(server, s3, bucket):
    """SSE-S3 sources transform like any other (their results are cached in memory only, never in
    the clear under image-cache/); an SSE-C source cannot be read without its key: 403 source-encrypted."""
    from image_helpers import rgb_jpeg
    marker_free_jpeg = rgb_jpeg(120, 80)
    s3.put_object(Bucket=bucket, Key="enc.jpg", Body=marker_free_jpeg, ServerSideEncryption="AES256")
    s3.put_object(Bucket=bucket, Key="cust.jpg", Body=marker_free_jpeg, **ssec(KEY_A))
    before = {p for p in (server.data_dir / "image-cache").rglob("*") if p.is_file()} if (server.data_dir / "image-cache").exists() else set()

    def url(key):
        p = run_magpie(["image", "url", f"s3://{bucket}/{key}", "--w", "30", "--format", "png",
                        "--endpoint", server.endpoint, "--data-dir", str(server.data_dir)])
        return p.stdout.decode().strip()

    ok = requests.get(url("enc.jpg"), timeout=30)
    assert ok.status_code == 200 and ok.headers["Content-Type"] == "image/png"
    after = {p for p in (server.data_dir / "image-cache").rglob("*") if p.is_file()} if (server.data_dir / "image-cache").exists() else set()
    assert after == before
    refused = requests.get(url("cust.jpg"), timeout=30)
    assert refused.status_code == 403 and refused.headers["X-Magpie-Error"] == "source-encrypted"
