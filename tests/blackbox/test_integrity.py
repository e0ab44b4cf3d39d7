"""Data integrity: Content-MD5, flexible checksums (CRC32, CRC32C, SHA1, SHA256),
x-amz-content-sha256 verification, trailing checksums on aws-chunked uploads."""

import hashlib
import os

import pytest

import helpers as h
from helpers import expect_error, object_path


def _get_body(s3, bucket, key):
    return s3.get_object(Bucket=bucket, Key=key)["Body"].read()


def test_correct_content_md5_accepted(s3, bucket):
    body = b"verified"
    s3.put_object(Bucket=bucket, Key="k", Body=body, ContentMD5=h.md5_b64(body))
    assert _get_body(s3, bucket, "k") == body


def test_wrong_content_md5_is_bad_digest_and_nothing_stored(s3, bucket):
    s3.put_object(Bucket=bucket, Key="k", Body=b"original")
    expect_error(s3.put_object, "BadDigest", 400, Bucket=bucket, Key="k", Body=b"replacement",
                 ContentMD5=h.md5_b64(b"something else"))
    assert _get_body(s3, bucket, "k") == b"original"
    expect_error(s3.put_object, "BadDigest", 400, Bucket=bucket, Key="new", Body=b"x",
                 ContentMD5=h.md5_b64(b"y"))
    expect_error(s3.head_object, "404", 404, Bucket=bucket, Key="new")


def test_wrong_content_md5_raw(signer, bucket, s3):
    r = signer.request("PUT", object_path(bucket, "raw"), body=b"data",
                       headers={"Content-MD5": h.md5_b64(b"not data")})
    assert r.status == 400, r
    assert r.error.get("Code") == "BadDigest", r
    expect_error(s3.head_object, "404", 404, Bucket=bucket, Key="raw")


@pytest.mark.parametrize("value", ["not-base64!!", "AAAA", h.b64(b"\x00" * 15)])
def test_invalid_content_md5_is_invalid_digest(signer, bucket, s3, value):
    r = signer.request("PUT", object_path(bucket, "bad"), body=b"data",
                       headers={"Content-MD5": value})
    assert r.status == 400, r
    assert r.error.get("Code") == "InvalidDigest", r
    expect_error(s3.head_object, "404", 404, Bucket=bucket, Key="bad")


ALGS = {
    "CRC32": h.crc32_b64,
    "SHA1": h.sha1_b64,
    "SHA256": h.sha256_b64,
}


@pytest.mark.parametrize("alg", sorted(ALGS))
def test_checksum_algorithm_roundtrip(s3, bucket, alg):
    body = os.urandom(100_000)
    expected = ALGS[alg](body)
    put = s3.put_object(Bucket=bucket, Key="c", Body=body, ChecksumAlgorithm=alg)
    assert put.get(f"Checksum{alg}") == expected, put
    got = s3.get_object(Bucket=bucket, Key="c", ChecksumMode="ENABLED")
    assert got["Body"].read() == body
    assert got.get(f"Checksum{alg}") == expected, got
    head = s3.head_object(Bucket=bucket, Key="c", ChecksumMode="ENABLED")
    assert head.get(f"Checksum{alg}") == expected, head


def test_checksum_crc32c_roundtrip(s3, bucket):
    # botocore needs awscrt to compute CRC32C itself, so send a precomputed value.
    body = os.urandom(50_000)
    expected = h.crc32c_b64(body)
    put = s3.put_object(Bucket=bucket, Key="c", Body=body, ChecksumCRC32C=expected)
    assert put.get("ChecksumCRC32C") == expected, put
    head = s3.head_object(Bucket=bucket, Key="c", ChecksumMode="ENABLED")
    assert head.get("ChecksumCRC32C") == expected, head
    got = s3.get_object(Bucket=bucket, Key="c", ChecksumMode="ENABLED")
    assert got["Body"].read() == body
    assert got.get("ChecksumCRC32C") == expected


def test_wrong_crc32c_is_bad_digest(s3, bucket):
    expect_error(s3.put_object, "BadDigest", 400, Bucket=bucket, Key="c", Body=b"abc",
                 ChecksumCRC32C=h.crc32c_b64(b"abd"))
    expect_error(s3.head_object, "404", 404, Bucket=bucket, Key="c")


def test_default_client_checksum_is_stored(s3, bucket):
    # default boto3 sends a CRC32 for PutObject; S3 stores and returns it
    body = b"default checksum body"
    s3.put_object(Bucket=bucket, Key="d", Body=body)
    head = s3.head_object(Bucket=bucket, Key="d", ChecksumMode="ENABLED")
    assert head.get("ChecksumCRC32") == h.crc32_b64(body), head


def test_wrong_sha256_checksum_is_bad_digest_and_nothing_stored(s3, bucket):
    s3.put_object(Bucket=bucket, Key="k", Body=b"original")
    expect_error(s3.put_object, "BadDigest", 400, Bucket=bucket, Key="k", Body=b"tampered",
                 ChecksumSHA256=h.sha256_b64(b"something else"))
    assert _get_body(s3, bucket, "k") == b"original"


def test_wrong_crc32_checksum_is_bad_digest(s3, bucket):
    expect_error(s3.put_object, "BadDigest", 400, Bucket=bucket, Key="k", Body=b"abc",
                 ChecksumCRC32=h.crc32_b64(b"abd"))
    expect_error(s3.head_object, "404", 404, Bucket=bucket, Key="k")


@pytest.mark.parametrize("header,value", [
    ("x-amz-checksum-sha256", "not-base64!!"),
    ("x-amz-checksum-sha256", h.b64(b"\x01" * 20)),   # wrong length for SHA-256
    ("x-amz-checksum-crc32", "AAAAAAAA"),              # 6 bytes, not 4
])
def test_malformed_checksum_value_is_invalid_request(signer, bucket, s3, header, value):
    r = signer.request("PUT", object_path(bucket, "m"), body=b"data", headers={header: value})
    assert r.status == 400, r
    assert r.error.get("Code") == "InvalidRequest", r
    expect_error(s3.head_object, "404", 404, Bucket=bucket, Key="m")


def test_multiple_checksum_headers_rejected(signer, bucket, s3):
    body = b"data"
    r = signer.request("PUT", object_path(bucket, "two"), body=body,
                       headers={"x-amz-checksum-crc32": h.crc32_b64(body),
                                "x-amz-checksum-sha256": h.sha256_b64(body)})
    assert r.status == 400, r
    assert r.error.get("Code") == "InvalidRequest", r


def test_x_amz_content_sha256_mismatch(signer, bucket, s3):
    r = signer.request("PUT", object_path(bucket, "k"), body=b"actual body",
                       payload_hash=hashlib.sha256(b"claimed body").hexdigest())
    assert r.status == 400, r
    assert r.error.get("Code") == "XAmzContentSHA256Mismatch", r
    expect_error(s3.head_object, "404", 404, Bucket=bucket, Key="k")


def _unsigned_trailer_put(signer, bucket, key, data, trailer_value, chunk=65536):
    chunks = [data[i:i + chunk] for i in range(0, len(data), chunk)]
    body = h.aws_chunked_unsigned_trailer_body(chunks, "x-amz-checksum-crc32", trailer_value)
    headers = {
        "Content-Encoding": "aws-chunked",
        "x-amz-decoded-content-length": str(len(data)),
        "x-amz-trailer": "x-amz-checksum-crc32",
        "x-amz-sdk-checksum-algorithm": "CRC32",
        "Content-Length": str(len(body)),
    }
    return signer.request("PUT", object_path(bucket, key), headers=headers, body=body,
                          payload_hash=h.STREAMING_UNSIGNED_TRAILER)


def test_streaming_unsigned_payload_trailer_upload(signer, bucket, s3):
    data = os.urandom(65536 * 2 + 1234)
    r = _unsigned_trailer_put(signer, bucket, "trail", data, h.crc32_b64(data))
    assert r.status == 200, r
    assert r.header("ETag") == f'"{hashlib.md5(data).hexdigest()}"'
    got = s3.get_object(Bucket=bucket, Key="trail", ChecksumMode="ENABLED")
    assert got["Body"].read() == data
    assert got["ContentLength"] == len(data)
    assert got.get("ChecksumCRC32") == h.crc32_b64(data)
    assert got.get("ContentEncoding") in (None, ""), "aws-chunked must not be stored"


def test_streaming_unsigned_payload_trailer_wrong_checksum(signer, bucket, s3):
    data = os.urandom(70000)
    r = _unsigned_trailer_put(signer, bucket, "trail", data, h.crc32_b64(data + b"x"))
    assert r.status == 400, r
    assert r.error.get("Code") == "BadDigest", r
    expect_error(s3.head_object, "404", 404, Bucket=bucket, Key="trail")


def test_get_response_checksum_validated_by_boto3(s3, bucket):
    # boto3 validates the body against the returned checksum; a mismatch would raise
    body = os.urandom(300_000)
    s3.put_object(Bucket=bucket, Key="v", Body=body, ChecksumAlgorithm="SHA256")
    got = s3.get_object(Bucket=bucket, Key="v", ChecksumMode="ENABLED")
    assert hashlib.sha256(got["Body"].read()).digest() == hashlib.sha256(body).digest()
