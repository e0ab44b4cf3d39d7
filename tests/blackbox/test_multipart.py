"""Multipart upload, against AWS S3's documented behaviour: the aws CLI and boto3's
transfer manager switching to multipart by themselves, part retries, abort, the
CompleteMultipartUpload error cases, UploadPartCopy with ranges, ListParts and
ListMultipartUploads pagination, GET/HEAD ?partNumber, the multipart ETag,
composite and full-object checksums, conditional completion, and server memory
while many large parts stream in at once."""

from __future__ import annotations

import base64
import hashlib
import io
import random
import threading
import time
import zlib
from concurrent.futures import ThreadPoolExecutor

import pytest
from boto3.s3.transfer import TransferConfig

from conftest import make_client
from helpers import expect_error, object_path, sha256_stream

MiB = 1 << 20
MIN_PART = 5 * MiB


# --------------------------------------------------------------------------
# helpers
# --------------------------------------------------------------------------

def rand_bytes(n: int, seed) -> bytes:
    return random.Random(seed).randbytes(n)


def multipart_etag(parts: list[bytes]) -> str:
    """AWS multipart ETag: md5 of the concatenated binary part MD5s, '-' part count."""
    digests = b"".join(hashlib.md5(p).digest() for p in parts)
    return f'"{hashlib.md5(digests).hexdigest()}-{len(parts)}"'


def quoted_md5(data: bytes) -> str:
    return f'"{hashlib.md5(data).hexdigest()}"'


def b64(raw: bytes) -> str:
    return base64.b64encode(raw).decode()


def crc32_raw(data: bytes) -> bytes:
    return (zlib.crc32(data) & 0xFFFFFFFF).to_bytes(4, "big")


def start_upload(s3, bucket, key, **kwargs) -> str:
    return s3.create_multipart_upload(Bucket=bucket, Key=key, **kwargs)["UploadId"]


def upload_parts(s3, bucket, key, upload_id, bodies: list[bytes], first: int = 1,
                 **kwargs) -> list[dict]:
    parts = []
    for i, body in enumerate(bodies, start=first):
        r = s3.upload_part(Bucket=bucket, Key=key, UploadId=upload_id, PartNumber=i,
                           Body=body, **kwargs)
        part = {"PartNumber": i, "ETag": r["ETag"]}
        for name in ("ChecksumCRC32", "ChecksumCRC32C", "ChecksumSHA1", "ChecksumSHA256"):
            if name in r:
                part[name] = r[name]
        parts.append(part)
    return parts


def complete(s3, bucket, key, upload_id, parts, **kwargs):
    return s3.complete_multipart_upload(Bucket=bucket, Key=key, UploadId=upload_id,
                                        MultipartUpload={"Parts": parts}, **kwargs)


def abort_quietly(s3, bucket, key, upload_id):
    try:
        s3.abort_multipart_upload(Bucket=bucket, Key=key, UploadId=upload_id)
    except Exception:
        pass


def upload_ids(s3, bucket, **kwargs) -> set[str]:
    return {u["UploadId"] for u in s3.list_multipart_uploads(Bucket=bucket, **kwargs)
            .get("Uploads", [])}


def write_random_file(path, size: int, seed) -> str:
    """Write `size` deterministic pseudo-random bytes; return their sha256 hex."""
    rng = random.Random(seed)
    sha = hashlib.sha256()
    with open(path, "wb") as f:
        left = size
        while left:
            block = rng.randbytes(min(MiB, left))
            sha.update(block)
            f.write(block)
            left -= len(block)
    return sha.hexdigest()


def file_sha256(path) -> str:
    sha = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(MiB), b""):
            sha.update(block)
    return sha.hexdigest()


def file_chunk_md5s(path, chunk: int) -> list[bytes]:
    out = []
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(chunk), b""):
            out.append(hashlib.md5(block).digest())
    return out


def etag_from_digests(digests: list[bytes]) -> str:
    return f'"{hashlib.md5(b"".join(digests)).hexdigest()}-{len(digests)}"'


class PatternBody(io.RawIOBase):
    """A seekable, read-only file of `size` bytes produced lazily from a 1 MiB
    pseudo-random block (rotated by the seed), so a client can send a large body
    without holding it in memory."""

    def __init__(self, size: int, seed: int):
        super().__init__()
        self.size = size
        self.pos = 0
        self.block = random.Random(seed).randbytes(MiB)

    def readable(self):
        return True

    def seekable(self):
        return True

    def tell(self):
        return self.pos

    def seek(self, offset, whence=io.SEEK_SET):
        if whence == io.SEEK_SET:
            self.pos = offset
        elif whence == io.SEEK_CUR:
            self.pos += offset
        elif whence == io.SEEK_END:
            self.pos = self.size + offset
        self.pos = max(0, min(self.pos, self.size))
        return self.pos

    def read(self, n=-1):
        if n is None or n < 0:
            n = self.size - self.pos
        n = min(n, self.size - self.pos)
        out = bytearray()
        while len(out) < n:
            off = self.pos % MiB
            take = min(n - len(out), MiB - off)
            out += self.block[off:off + take]
            self.pos += take
        return bytes(out)

    def readinto(self, b):
        data = self.read(len(b))
        b[:len(data)] = data
        return len(data)

    def digests(self) -> tuple[str, str]:
        """(md5 hex, sha256 hex) of the whole body, computed in a streaming pass."""
        md5, sha = hashlib.md5(), hashlib.sha256()
        self.seek(0)
        while True:
            chunk = self.read(MiB)
            if not chunk:
                break
            md5.update(chunk)
            sha.update(chunk)
        self.seek(0)
        return md5.hexdigest(), sha.hexdigest()


def vm_rss_kib(pid: int) -> int:
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    raise AssertionError(f"no VmRSS for pid {pid}")


# --------------------------------------------------------------------------
# clients switching to multipart by themselves
# --------------------------------------------------------------------------

@pytest.mark.slow
@pytest.mark.timeout(900)
def test_aws_cli_cp_200_mib_uses_multipart(aws_cli, s3, bucket, tmp_path):
    size = 200 * MiB
    src = tmp_path / "big.bin"
    digest = write_random_file(src, size, "cli-200")
    # The CLI's default multipart_threshold / multipart_chunksize are 8 MiB.
    expected_etag = etag_from_digests(file_chunk_md5s(src, 8 * MiB))
    aws_cli("s3", "cp", str(src), f"s3://{bucket}/big.bin", timeout=600)
    src.unlink()

    head = s3.head_object(Bucket=bucket, Key="big.bin")
    assert head["ContentLength"] == size
    assert head["ETag"] == expected_etag
    assert head["ETag"].endswith('-25"')
    assert upload_ids(s3, bucket) == set()

    out = tmp_path / "big.out"
    aws_cli("s3", "cp", f"s3://{bucket}/big.bin", str(out), timeout=600)
    assert out.stat().st_size == size
    assert file_sha256(out) == digest
    out.unlink()
    got, n = sha256_stream(s3.get_object(Bucket=bucket, Key="big.bin")["Body"])
    assert (got, n) == (digest, size)


@pytest.mark.timeout(600)
def test_boto3_upload_file_and_download_file_multipart(s3, bucket, tmp_path):
    size = 5 * MIN_PART + 123 * 1024  # 6 parts of 5 MiB chunks
    src = tmp_path / "src.bin"
    digest = write_random_file(src, size, "transfer")
    cfg = TransferConfig(multipart_threshold=5 * MiB, multipart_chunksize=5 * MiB,
                         max_concurrency=8)
    s3.upload_file(str(src), bucket, "t/obj.bin", Config=cfg)

    head = s3.head_object(Bucket=bucket, Key="t/obj.bin", ChecksumMode="ENABLED")
    assert head["ContentLength"] == size
    assert head["ETag"] == etag_from_digests(file_chunk_md5s(src, 5 * MiB))
    # If the transfer manager asked for a CRC32 (recent botocore does), the stored
    # value must be right for the checksum type reported.
    if "ChecksumCRC32" in head:
        data = src.read_bytes()
        if head.get("ChecksumType") == "FULL_OBJECT":
            assert head["ChecksumCRC32"] == b64(crc32_raw(data))
        else:
            chunks = [data[i:i + 5 * MiB] for i in range(0, size, 5 * MiB)]
            assert head["ChecksumCRC32"] == (
                b64(crc32_raw(b"".join(crc32_raw(c) for c in chunks))) + f"-{len(chunks)}")

    dst = tmp_path / "dst.bin"
    s3.download_file(bucket, "t/obj.bin", str(dst), Config=cfg)
    assert dst.stat().st_size == size
    assert file_sha256(dst) == digest
    assert upload_ids(s3, bucket) == set()


# --------------------------------------------------------------------------
# parts, abort, ETag
# --------------------------------------------------------------------------

def test_multipart_etag_is_md5_of_part_md5s(s3, bucket):
    bodies = [rand_bytes(MIN_PART, "e1"), rand_bytes(MIN_PART, "e2"), rand_bytes(777, "e3")]
    uid = start_upload(s3, bucket, "etag.bin", ContentType="application/x-test",
                       Metadata={"purpose": "etag"})
    parts = upload_parts(s3, bucket, "etag.bin", uid, bodies)
    for part, body in zip(parts, bodies):
        assert part["ETag"] == quoted_md5(body)
    resp = complete(s3, bucket, "etag.bin", uid, parts)
    expected = multipart_etag(bodies)
    assert resp["ETag"] == expected
    assert resp["Key"] == "etag.bin"
    assert resp["Bucket"] == bucket

    head = s3.head_object(Bucket=bucket, Key="etag.bin")
    assert head["ETag"] == expected
    assert head["ContentLength"] == sum(map(len, bodies))
    assert head["ContentType"] == "application/x-test"
    assert head["Metadata"] == {"purpose": "etag"}
    got = s3.get_object(Bucket=bucket, Key="etag.bin")
    assert got["ETag"] == expected
    assert got["Body"].read() == b"".join(bodies)
    listed = s3.list_objects_v2(Bucket=bucket)["Contents"]
    assert [(o["Key"], o["ETag"], o["Size"]) for o in listed] == [
        ("etag.bin", expected, sum(map(len, bodies)))]
    # the upload is gone once completed
    expect_error(s3.list_parts, "NoSuchUpload", 404, Bucket=bucket, Key="etag.bin", UploadId=uid)


def test_single_small_part_is_allowed(s3, bucket):
    uid = start_upload(s3, bucket, "one")
    parts = upload_parts(s3, bucket, "one", uid, [b"tiny last part"])
    resp = complete(s3, bucket, "one", uid, parts)
    assert resp["ETag"] == multipart_etag([b"tiny last part"])
    assert s3.get_object(Bucket=bucket, Key="one")["Body"].read() == b"tiny last part"


def test_part_retried_second_upload_wins(s3, bucket):
    key = "retry.bin"
    p1, p2a, p2b = rand_bytes(MIN_PART, "r1"), rand_bytes(1000, "r2a"), rand_bytes(2000, "r2b")
    uid = start_upload(s3, bucket, key)
    first = upload_parts(s3, bucket, key, uid, [p1, p2a])
    second = upload_parts(s3, bucket, key, uid, [p2b], first=2)[0]
    assert first[1]["ETag"] != second["ETag"]

    listed = s3.list_parts(Bucket=bucket, Key=key, UploadId=uid)["Parts"]
    assert [(p["PartNumber"], p["ETag"], p["Size"]) for p in listed] == [
        (1, quoted_md5(p1), len(p1)), (2, quoted_md5(p2b), len(p2b))]

    # the overwritten part's ETag no longer names a part of this upload
    expect_error(complete, "InvalidPart", 400, s3=s3, bucket=bucket, key=key, upload_id=uid,
                 parts=[first[0], first[1]])
    resp = complete(s3, bucket, key, uid, [first[0], second])
    assert resp["ETag"] == multipart_etag([p1, p2b])
    assert s3.get_object(Bucket=bucket, Key=key)["Body"].read() == p1 + p2b


def test_abort_removes_upload(s3, bucket):
    key = "aborted"
    uid = start_upload(s3, bucket, key)
    upload_parts(s3, bucket, key, uid, [b"some data"])
    assert uid in upload_ids(s3, bucket)
    resp = s3.abort_multipart_upload(Bucket=bucket, Key=key, UploadId=uid)
    assert resp["ResponseMetadata"]["HTTPStatusCode"] == 204
    assert uid not in upload_ids(s3, bucket)
    expect_error(s3.list_parts, "NoSuchUpload", 404, Bucket=bucket, Key=key, UploadId=uid)
    expect_error(s3.upload_part, "NoSuchUpload", 404, Bucket=bucket, Key=key, UploadId=uid,
                 PartNumber=2, Body=b"late")
    expect_error(complete, "NoSuchUpload", 404, s3=s3, bucket=bucket, key=key, upload_id=uid,
                 parts=[{"PartNumber": 1, "ETag": quoted_md5(b"some data")}])
    expect_error(s3.head_object, "404", 404, Bucket=bucket, Key=key)


def test_unknown_upload_id_is_no_such_upload(s3, bucket):
    bogus = "bm90LWEtcmVhbC11cGxvYWQtaWQ"
    expect_error(s3.upload_part, "NoSuchUpload", 404, Bucket=bucket, Key="k", UploadId=bogus,
                 PartNumber=1, Body=b"x")
    expect_error(s3.list_parts, "NoSuchUpload", 404, Bucket=bucket, Key="k", UploadId=bogus)
    expect_error(s3.abort_multipart_upload, "NoSuchUpload", 404, Bucket=bucket, Key="k",
                 UploadId=bogus)
    expect_error(complete, "NoSuchUpload", 404, s3=s3, bucket=bucket, key="k",
                 upload_id=bogus, parts=[{"PartNumber": 1, "ETag": quoted_md5(b"x")}])


def test_upload_id_bound_to_its_key(s3, bucket):
    uid = start_upload(s3, bucket, "right-key")
    try:
        expect_error(s3.upload_part, "NoSuchUpload", 404, Bucket=bucket, Key="wrong-key",
                     UploadId=uid, PartNumber=1, Body=b"x")
        expect_error(s3.list_parts, "NoSuchUpload", 404, Bucket=bucket, Key="wrong-key",
                     UploadId=uid)
    finally:
        abort_quietly(s3, bucket, "right-key", uid)


# --------------------------------------------------------------------------
# CompleteMultipartUpload errors
# --------------------------------------------------------------------------

def test_complete_parts_out_of_order_is_invalid_part_order(s3, bucket):
    key = "order"
    uid = start_upload(s3, bucket, key)
    parts = upload_parts(s3, bucket, key, uid, [rand_bytes(MIN_PART, "o1"), b"last"])
    expect_error(complete, "InvalidPartOrder", 400, s3=s3, bucket=bucket, key=key,
                 upload_id=uid, parts=[parts[1], parts[0]])
    # the failed completion leaves the upload usable
    resp = complete(s3, bucket, key, uid, parts)
    assert resp["ETag"].endswith('-2"')


def test_complete_duplicate_part_numbers_is_invalid_part_order(s3, bucket):
    key = "dup"
    uid = start_upload(s3, bucket, key)
    try:
        parts = upload_parts(s3, bucket, key, uid, [rand_bytes(MIN_PART, "d1"), b"last"])
        expect_error(complete, "InvalidPartOrder", 400, s3=s3, bucket=bucket, key=key,
                     upload_id=uid, parts=[parts[0], parts[0], parts[1]])
        expect_error(s3.head_object, "404", 404, Bucket=bucket, Key=key)
    finally:
        abort_quietly(s3, bucket, key, uid)


def test_complete_too_small_part_is_entity_too_small(s3, bucket):
    key = "small"
    uid = start_upload(s3, bucket, key)
    try:
        parts = upload_parts(s3, bucket, key, uid, [rand_bytes(MiB, "s1"), b"last"])
        err = expect_error(complete, "EntityTooSmall", 400, s3=s3, bucket=bucket, key=key,
                           upload_id=uid, parts=parts)
        assert err["Error"].get("Message")
        expect_error(s3.head_object, "404", 404, Bucket=bucket, Key=key)
    finally:
        abort_quietly(s3, bucket, key, uid)


def test_complete_wrong_etag_or_missing_part_is_invalid_part(s3, bucket):
    key = "badetag"
    uid = start_upload(s3, bucket, key)
    try:
        parts = upload_parts(s3, bucket, key, uid, [rand_bytes(MIN_PART, "w1"), b"last"])
        wrong = [parts[0], {"PartNumber": 2, "ETag": '"' + "0" * 32 + '"'}]
        expect_error(complete, "InvalidPart", 400, s3=s3, bucket=bucket, key=key,
                     upload_id=uid, parts=wrong)
        missing = parts + [{"PartNumber": 3, "ETag": quoted_md5(b"never uploaded")}]
        expect_error(complete, "InvalidPart", 400, s3=s3, bucket=bucket, key=key,
                     upload_id=uid, parts=missing)
        expect_error(s3.head_object, "404", 404, Bucket=bucket, Key=key)
    finally:
        abort_quietly(s3, bucket, key, uid)


@pytest.mark.parametrize("body", [
    b"<CompleteMultipartUpload><Part><PartNumber>1</PartNumber>",   # truncated
    b"this is not xml at all",
    b"<CompleteMultipartUpload></CompleteMultipartUpload>",           # no parts
    b"<CompleteMultipartUpload><Part><PartNumber>one</PartNumber><ETag>\"x\"</ETag></Part>"
    b"</CompleteMultipartUpload>",
], ids=["truncated", "not-xml", "no-parts", "non-numeric-part-number"])
def test_complete_malformed_xml(signer, s3, bucket, body):
    key = "malformed"
    uid = start_upload(s3, bucket, key)
    try:
        upload_parts(s3, bucket, key, uid, [b"data"])
        r = signer.request("POST", object_path(bucket, key), query=[("uploadId", uid)],
                           body=body)
        assert r.status == 400, r
        assert r.error.get("Code") == "MalformedXML", r
        # upload still there
        assert uid in upload_ids(s3, bucket)
    finally:
        abort_quietly(s3, bucket, key, uid)


def test_complete_empty_parts_list_boto3_is_malformed_xml(s3, bucket):
    uid = start_upload(s3, bucket, "empty")
    try:
        expect_error(complete, "MalformedXML", 400, s3=s3, bucket=bucket, key="empty",
                     upload_id=uid, parts=[])
    finally:
        abort_quietly(s3, bucket, "empty", uid)


@pytest.mark.parametrize("number", [0, 10001, -1])
def test_upload_part_number_out_of_range_is_invalid_argument(s3, bucket, number):
    uid = start_upload(s3, bucket, "pn")
    try:
        expect_error(s3.upload_part, "InvalidArgument", 400, Bucket=bucket, Key="pn",
                     UploadId=uid, PartNumber=number, Body=b"x")
        assert s3.list_parts(Bucket=bucket, Key="pn", UploadId=uid).get("Parts", []) == []
    finally:
        abort_quietly(s3, bucket, "pn", uid)


def test_upload_part_number_bounds_accepted(s3, bucket):
    uid = start_upload(s3, bucket, "bounds")
    try:
        for n in (1, 10000):
            r = s3.upload_part(Bucket=bucket, Key="bounds", UploadId=uid, PartNumber=n,
                               Body=b"b%d" % n)
            assert r["ETag"] == quoted_md5(b"b%d" % n)
        listed = s3.list_parts(Bucket=bucket, Key="bounds", UploadId=uid)["Parts"]
        assert [p["PartNumber"] for p in listed] == [1, 10000]
    finally:
        abort_quietly(s3, bucket, "bounds", uid)


def test_upload_part_non_numeric_part_number_raw(signer, s3, bucket):
    uid = start_upload(s3, bucket, "nan")
    try:
        r = signer.request("PUT", object_path(bucket, "nan"),
                           query=[("partNumber", "abc"), ("uploadId", uid)], body=b"x")
        assert r.status == 400, r
        assert r.error.get("Code") == "InvalidArgument", r
    finally:
        abort_quietly(s3, bucket, "nan", uid)


def test_complete_if_none_match_star(s3, bucket):
    key = "cond"
    # key absent: completion with If-None-Match: * succeeds
    uid = start_upload(s3, bucket, key)
    parts = upload_parts(s3, bucket, key, uid, [b"first version"])
    complete(s3, bucket, key, uid, parts, IfNoneMatch="*")
    assert s3.get_object(Bucket=bucket, Key=key)["Body"].read() == b"first version"

    # key present: 412 and the object is untouched
    uid2 = start_upload(s3, bucket, key)
    try:
        parts2 = upload_parts(s3, bucket, key, uid2, [b"second version"])
        expect_error(complete, "PreconditionFailed", 412, s3=s3, bucket=bucket, key=key,
                     upload_id=uid2, parts=parts2, IfNoneMatch="*")
        assert s3.get_object(Bucket=bucket, Key=key)["Body"].read() == b"first version"
    finally:
        abort_quietly(s3, bucket, key, uid2)


def test_complete_if_match_etag(s3, bucket):
    key = "ifmatch"
    s3.put_object(Bucket=bucket, Key=key, Body=b"original")
    etag = s3.head_object(Bucket=bucket, Key=key)["ETag"]
    uid = start_upload(s3, bucket, key)
    parts = upload_parts(s3, bucket, key, uid, [b"replacement"])
    expect_error(complete, "PreconditionFailed", 412, s3=s3, bucket=bucket, key=key,
                 upload_id=uid, parts=parts, IfMatch='"' + "1" * 32 + '"')
    complete(s3, bucket, key, uid, parts, IfMatch=etag)
    assert s3.get_object(Bucket=bucket, Key=key)["Body"].read() == b"replacement"


# --------------------------------------------------------------------------
# UploadPartCopy
# --------------------------------------------------------------------------

def test_upload_part_copy_with_ranges(s3, bucket):
    src = rand_bytes(17 * MiB + 5, "copy-src")  # last range > 5 MiB: not the last part
    s3.put_object(Bucket=bucket, Key="source", Body=src)
    key = "assembled"
    uid = start_upload(s3, bucket, key)
    ranges = [(0, MIN_PART - 1), (MIN_PART, 2 * MIN_PART - 1), (2 * MIN_PART, len(src) - 1)]
    parts = []
    for n, (first, last) in enumerate(ranges, start=1):
        r = s3.upload_part_copy(Bucket=bucket, Key=key, UploadId=uid, PartNumber=n,
                                CopySource={"Bucket": bucket, "Key": "source"},
                                CopySourceRange=f"bytes={first}-{last}")
        result = r["CopyPartResult"]
        assert result["ETag"] == quoted_md5(src[first:last + 1])
        assert result["LastModified"]
        parts.append({"PartNumber": n, "ETag": result["ETag"]})
    # mix in a regular part, then copy the whole (small) source as the last part
    s3.put_object(Bucket=bucket, Key="tail", Body=b"tail bytes")
    r = s3.upload_part_copy(Bucket=bucket, Key=key, UploadId=uid, PartNumber=4,
                            CopySource={"Bucket": bucket, "Key": "tail"})
    parts.append({"PartNumber": 4, "ETag": r["CopyPartResult"]["ETag"]})
    listed = s3.list_parts(Bucket=bucket, Key=key, UploadId=uid)["Parts"]
    assert [p["Size"] for p in listed] == [MIN_PART, MIN_PART, len(src) - 2 * MIN_PART, 10]

    resp = complete(s3, bucket, key, uid, parts)
    chunks = [src[a:b + 1] for a, b in ranges] + [b"tail bytes"]
    assert resp["ETag"] == multipart_etag(chunks)
    assert s3.get_object(Bucket=bucket, Key=key)["Body"].read() == src + b"tail bytes"


def test_upload_part_copy_missing_source(s3, bucket):
    uid = start_upload(s3, bucket, "dst")
    try:
        expect_error(s3.upload_part_copy, "NoSuchKey", 404, Bucket=bucket, Key="dst",
                     UploadId=uid, PartNumber=1,
                     CopySource={"Bucket": bucket, "Key": "does-not-exist"})
    finally:
        abort_quietly(s3, bucket, "dst", uid)


# --------------------------------------------------------------------------
# ListParts / ListMultipartUploads
# --------------------------------------------------------------------------

def test_list_parts_pagination(s3, bucket):
    key = "paged"
    uid = start_upload(s3, bucket, key, StorageClass="STANDARD")
    try:
        bodies = [b"part-%d" % i * (i + 1) for i in range(1, 6)]
        parts = upload_parts(s3, bucket, key, uid, bodies)

        full = s3.list_parts(Bucket=bucket, Key=key, UploadId=uid)
        assert full["Bucket"] == bucket and full["Key"] == key and full["UploadId"] == uid
        assert full["IsTruncated"] is False
        assert [(p["PartNumber"], p["ETag"], p["Size"]) for p in full["Parts"]] == [
            (p["PartNumber"], p["ETag"], len(b)) for p, b in zip(parts, bodies)]
        assert all(p["LastModified"] for p in full["Parts"])

        seen, marker, pages = [], 0, 0
        while True:
            page = s3.list_parts(Bucket=bucket, Key=key, UploadId=uid, MaxParts=2,
                                 PartNumberMarker=marker)
            pages += 1
            assert page["MaxParts"] == 2
            assert page.get("PartNumberMarker", 0) == marker
            nums = [p["PartNumber"] for p in page.get("Parts", [])]
            assert len(nums) <= 2
            seen += nums
            if not page["IsTruncated"]:
                break
            assert page["NextPartNumberMarker"] == nums[-1]
            marker = page["NextPartNumberMarker"]
            assert pages < 10
        assert seen == [1, 2, 3, 4, 5]
        assert pages == 3

        first = s3.list_parts(Bucket=bucket, Key=key, UploadId=uid, MaxParts=2)
        assert first["IsTruncated"] is True
        assert first["NextPartNumberMarker"] == 2
        after4 = s3.list_parts(Bucket=bucket, Key=key, UploadId=uid, PartNumberMarker=4)
        assert [p["PartNumber"] for p in after4["Parts"]] == [5]
        assert after4["IsTruncated"] is False
    finally:
        abort_quietly(s3, bucket, key, uid)


def test_list_multipart_uploads_prefix_delimiter_markers(s3, make_bucket):
    bucket = make_bucket()
    assert s3.list_multipart_uploads(Bucket=bucket).get("Uploads", []) == []
    keys = ["a/1", "a/2", "b", "c/x/y", "c/z", "d"]
    created: dict[str, list[str]] = {}
    for k in keys:
        created.setdefault(k, []).append(start_upload(s3, bucket, k))
    created["b"].append(start_upload(s3, bucket, "b"))  # two uploads for one key
    all_pairs = {(k, u) for k, ids in created.items() for u in ids}
    try:
        full = s3.list_multipart_uploads(Bucket=bucket)
        assert full["Bucket"] == bucket
        assert full["IsTruncated"] is False
        got = [(u["Key"], u["UploadId"]) for u in full["Uploads"]]
        assert set(got) == all_pairs and len(got) == len(all_pairs)
        assert [k for k, _ in got] == sorted(k for k, _ in got)  # sorted by key
        for u in full["Uploads"]:
            assert u["Initiated"]
            assert u.get("StorageClass", "STANDARD") == "STANDARD"

        # prefix
        pre = s3.list_multipart_uploads(Bucket=bucket, Prefix="a/")
        assert pre["Prefix"] == "a/"
        assert sorted(u["Key"] for u in pre["Uploads"]) == ["a/1", "a/2"]

        # delimiter
        delim = s3.list_multipart_uploads(Bucket=bucket, Delimiter="/")
        assert delim["Delimiter"] == "/"
        assert sorted(u["Key"] for u in delim["Uploads"]) == ["b", "b", "d"]
        assert [p["Prefix"] for p in delim["CommonPrefixes"]] == ["a/", "c/"]

        # prefix + delimiter
        pd = s3.list_multipart_uploads(Bucket=bucket, Prefix="c/", Delimiter="/")
        assert [u["Key"] for u in pd.get("Uploads", [])] == ["c/z"]
        assert [p["Prefix"] for p in pd["CommonPrefixes"]] == ["c/x/"]

        # key-marker alone: keys strictly after the marker
        km = s3.list_multipart_uploads(Bucket=bucket, KeyMarker="b")
        assert km["KeyMarker"] == "b"
        assert sorted(u["Key"] for u in km["Uploads"]) == ["c/x/y", "c/z", "d"]

        # key-marker + upload-id-marker: the rest of that key's uploads, then later keys
        b_ids = [u for k, u in got if k == "b"]
        kum = s3.list_multipart_uploads(Bucket=bucket, KeyMarker="b", UploadIdMarker=b_ids[0])
        assert kum["UploadIdMarker"] == b_ids[0]
        assert [(u["Key"], u["UploadId"]) for u in kum["Uploads"]] == (
            [("b", b_ids[1])] + [(k, u) for k, u in got if k > "b"])

        # max-uploads pagination through everything
        seen, key_marker, id_marker, pages = [], None, None, 0
        while True:
            kwargs = {"MaxUploads": 2}
            if key_marker is not None:
                kwargs.update(KeyMarker=key_marker, UploadIdMarker=id_marker)
            page = s3.list_multipart_uploads(Bucket=bucket, **kwargs)
            pages += 1
            assert page["MaxUploads"] == 2
            batch = [(u["Key"], u["UploadId"]) for u in page.get("Uploads", [])]
            assert len(batch) <= 2
            seen += batch
            if not page["IsTruncated"]:
                break
            assert (page["NextKeyMarker"], page["NextUploadIdMarker"]) == batch[-1]
            key_marker, id_marker = page["NextKeyMarker"], page["NextUploadIdMarker"]
            assert pages < 20
        assert seen == got
        assert pages == 4
    finally:
        for k, ids in created.items():
            for u in ids:
                abort_quietly(s3, bucket, k, u)


# --------------------------------------------------------------------------
# GET / HEAD ?partNumber
# --------------------------------------------------------------------------

def test_get_and_head_by_part_number(s3, bucket):
    key = "parts.bin"
    bodies = [rand_bytes(MIN_PART, "g1"), rand_bytes(MIN_PART, "g2"), rand_bytes(MiB, "g3")]
    uid = start_upload(s3, bucket, key)
    complete(s3, bucket, key, uid, upload_parts(s3, bucket, key, uid, bodies))
    total = sum(map(len, bodies))
    etag = multipart_etag(bodies)

    offset = 0
    for n, body in enumerate(bodies, start=1):
        got = s3.get_object(Bucket=bucket, Key=key, PartNumber=n)
        assert got["ResponseMetadata"]["HTTPStatusCode"] == 206
        assert got["PartsCount"] == 3
        assert got["ContentLength"] == len(body)
        assert got["ContentRange"] == f"bytes {offset}-{offset + len(body) - 1}/{total}"
        assert got["ETag"] == etag
        assert got["Body"].read() == body

        head = s3.head_object(Bucket=bucket, Key=key, PartNumber=n)
        assert head["ResponseMetadata"]["HTTPStatusCode"] == 206
        assert head["PartsCount"] == 3
        assert head["ContentLength"] == len(body)
        assert head["ContentRange"] == f"bytes {offset}-{offset + len(body) - 1}/{total}"
        offset += len(body)

    # without partNumber there is no parts count
    assert "PartsCount" not in s3.head_object(Bucket=bucket, Key=key)

    err = expect_error(s3.get_object, "InvalidPartNumber", 416, Bucket=bucket, Key=key,
                       PartNumber=4)
    assert err["Error"]["Code"] == "InvalidPartNumber"


def test_part_number_one_of_a_plain_object(s3, bucket):
    s3.put_object(Bucket=bucket, Key="plain", Body=b"plain object body")
    got = s3.get_object(Bucket=bucket, Key="plain", PartNumber=1)
    assert got["Body"].read() == b"plain object body"
    assert got["ContentLength"] == len(b"plain object body")
    expect_error(s3.get_object, "InvalidPartNumber", 416, Bucket=bucket, Key="plain",
                 PartNumber=2)


# --------------------------------------------------------------------------
# checksums
# --------------------------------------------------------------------------

def test_composite_sha256_checksum(s3, bucket):
    key = "sha256.bin"
    bodies = [rand_bytes(MIN_PART, "c1"), rand_bytes(MIN_PART, "c2"), rand_bytes(4321, "c3")]
    created = s3.create_multipart_upload(Bucket=bucket, Key=key, ChecksumAlgorithm="SHA256")
    assert created["ChecksumAlgorithm"] == "SHA256"
    uid = created["UploadId"]
    parts = upload_parts(s3, bucket, key, uid, bodies, ChecksumAlgorithm="SHA256")
    for part, body in zip(parts, bodies):
        assert part["ChecksumSHA256"] == b64(hashlib.sha256(body).digest())

    listed = s3.list_parts(Bucket=bucket, Key=key, UploadId=uid)
    assert listed.get("ChecksumAlgorithm") == "SHA256"
    assert [p["ChecksumSHA256"] for p in listed["Parts"]] == [p["ChecksumSHA256"] for p in parts]

    resp = complete(s3, bucket, key, uid, parts)
    expected = b64(hashlib.sha256(b"".join(hashlib.sha256(b).digest() for b in bodies))
                   .digest()) + "-3"
    assert resp["ChecksumSHA256"] == expected
    assert resp.get("ChecksumType") == "COMPOSITE"
    assert resp["ETag"] == multipart_etag(bodies)

    head = s3.head_object(Bucket=bucket, Key=key, ChecksumMode="ENABLED")
    assert head["ChecksumSHA256"] == expected
    assert head["ChecksumType"] == "COMPOSITE"
    assert s3.get_object(Bucket=bucket, Key=key)["Body"].read() == b"".join(bodies)


def test_composite_crc32_checksum(s3, bucket):
    key = "crc32.bin"
    bodies = [rand_bytes(MIN_PART, "k1"), rand_bytes(999, "k2")]
    uid = start_upload(s3, bucket, key, ChecksumAlgorithm="CRC32")
    parts = upload_parts(s3, bucket, key, uid, bodies, ChecksumAlgorithm="CRC32")
    for part, body in zip(parts, bodies):
        assert part["ChecksumCRC32"] == b64(crc32_raw(body))
    resp = complete(s3, bucket, key, uid, parts)
    expected = b64(crc32_raw(b"".join(crc32_raw(b) for b in bodies))) + "-2"
    assert resp["ChecksumCRC32"] == expected
    assert resp.get("ChecksumType") == "COMPOSITE"
    head = s3.head_object(Bucket=bucket, Key=key, ChecksumMode="ENABLED")
    assert head["ChecksumCRC32"] == expected
    assert head["ChecksumType"] == "COMPOSITE"


def test_full_object_crc32_checksum(s3, bucket):
    key = "full.bin"
    bodies = [rand_bytes(MIN_PART, "f1"), rand_bytes(MIN_PART, "f2"), rand_bytes(12345, "f3")]
    data = b"".join(bodies)
    created = s3.create_multipart_upload(Bucket=bucket, Key=key, ChecksumAlgorithm="CRC32",
                                         ChecksumType="FULL_OBJECT")
    assert created["ChecksumAlgorithm"] == "CRC32"
    assert created.get("ChecksumType") == "FULL_OBJECT"
    uid = created["UploadId"]
    parts = upload_parts(s3, bucket, key, uid, bodies, ChecksumAlgorithm="CRC32")
    full = b64(crc32_raw(data))  # zlib.crc32 over everything, big-endian, base64
    resp = complete(s3, bucket, key, uid, parts, ChecksumCRC32=full, ChecksumType="FULL_OBJECT")
    assert resp["ChecksumCRC32"] == full
    assert resp["ChecksumType"] == "FULL_OBJECT"
    assert resp["ETag"] == multipart_etag(bodies)

    head = s3.head_object(Bucket=bucket, Key=key, ChecksumMode="ENABLED")
    assert head["ChecksumCRC32"] == full
    assert head["ChecksumType"] == "FULL_OBJECT"
    got = s3.get_object(Bucket=bucket, Key=key, ChecksumMode="ENABLED")
    assert got["ChecksumCRC32"] == full
    assert got["Body"].read() == data


def test_full_object_crc32_computed_without_client_value(s3, bucket):
    key = "full-noclient.bin"
    bodies = [rand_bytes(MIN_PART, "n1"), rand_bytes(10, "n2")]
    uid = start_upload(s3, bucket, key, ChecksumAlgorithm="CRC32", ChecksumType="FULL_OBJECT")
    parts = upload_parts(s3, bucket, key, uid, bodies, ChecksumAlgorithm="CRC32")
    resp = complete(s3, bucket, key, uid, parts)
    assert resp["ChecksumCRC32"] == b64(crc32_raw(b"".join(bodies)))
    assert resp["ChecksumType"] == "FULL_OBJECT"


def test_full_object_crc32_wrong_value_rejected(s3, bucket):
    key = "full-wrong.bin"
    bodies = [rand_bytes(MIN_PART, "x1"), rand_bytes(10, "x2")]
    uid = start_upload(s3, bucket, key, ChecksumAlgorithm="CRC32", ChecksumType="FULL_OBJECT")
    try:
        parts = upload_parts(s3, bucket, key, uid, bodies, ChecksumAlgorithm="CRC32")
        wrong = b64(crc32_raw(b"something else"))
        from botocore.exceptions import ClientError
        with pytest.raises(ClientError) as exc:
            complete(s3, bucket, key, uid, parts, ChecksumCRC32=wrong, ChecksumType="FULL_OBJECT")
        assert exc.value.response["ResponseMetadata"]["HTTPStatusCode"] == 400
        expect_error(s3.head_object, "404", 404, Bucket=bucket, Key=key)
    finally:
        abort_quietly(s3, bucket, key, uid)


def test_wrong_part_checksum_is_bad_digest(s3, bucket):
    key = "badpart"
    uid = start_upload(s3, bucket, key, ChecksumAlgorithm="SHA256")
    try:
        expect_error(s3.upload_part, "BadDigest", 400, Bucket=bucket, Key=key, UploadId=uid,
                     PartNumber=1, Body=b"actual bytes",
                     ChecksumSHA256=b64(hashlib.sha256(b"other bytes").digest()))
        assert s3.list_parts(Bucket=bucket, Key=key, UploadId=uid).get("Parts", []) == []
    finally:
        abort_quietly(s3, bucket, key, uid)


# --------------------------------------------------------------------------
# memory: many large parts at once must be streamed, not buffered
# --------------------------------------------------------------------------

@pytest.mark.slow
@pytest.mark.timeout(900)
def test_concurrent_large_parts_do_not_balloon_server_memory(server, bucket):
    pid = server.proc.pid
    n_parts, part_size = 16, 64 * MiB
    client = make_client(server.endpoint, server.creds, max_pool_connections=n_parts,
                         retries={"total_max_attempts": 1})
    key = "memory.bin"
    uid = client.create_multipart_upload(Bucket=bucket, Key=key)["UploadId"]
    try:
        bodies = [PatternBody(part_size, seed=i) for i in range(1, n_parts + 1)]
        expected = [b.digests()[0] for b in bodies]

        time.sleep(1.0)
        idle = max(vm_rss_kib(pid) for _ in range(5))
        peak = idle
        stop = threading.Event()

        def sample():
            nonlocal peak
            while not stop.is_set():
                try:
                    peak = max(peak, vm_rss_kib(pid))
                except (OSError, AssertionError):
                    return
                time.sleep(0.01)

        sampler = threading.Thread(target=sample, daemon=True)
        sampler.start()

        def put(i):
            r = client.upload_part(Bucket=bucket, Key=key, UploadId=uid, PartNumber=i + 1,
                                   Body=bodies[i])
            return r["ETag"]

        try:
            with ThreadPoolExecutor(max_workers=n_parts) as pool:
                etags = list(pool.map(put, range(n_parts)))
        finally:
            stop.set()
            sampler.join(timeout=5)

        assert etags == [f'"{m}"' for m in expected]
        listed = client.list_parts(Bucket=bucket, Key=key, UploadId=uid)["Parts"]
        assert [p["Size"] for p in listed] == [part_size] * n_parts
        growth_mib = (peak - idle) / 1024
        assert growth_mib < 150, (
            f"server RSS grew by {growth_mib:.0f} MiB (idle {idle / 1024:.0f} MiB, "
            f"peak {peak / 1024:.0f} MiB) during {n_parts} concurrent "
            f"{part_size // MiB} MiB UploadPart calls")
    finally:
        abort_quietly(client, bucket, key, uid)
