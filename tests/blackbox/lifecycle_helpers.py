"""Shared helpers for the lifecycle, storage-class and restore black-box tests."""
from __future__ import annotations

import os
import time
from pathlib import Path

from botocore.exceptions import ClientError

# One lifecycle day lasts this many seconds on the servers these tests start.
DAY_SECONDS = 2
# Deadline for a rule to act: several lifecycle days plus scanner passes, generous for a loaded CI box.
DEADLINE = 60.0
BIG = 200 * 1024  # above the 128 KB below which S3 transitions nothing by default


def wait_for(predicate, what: str, timeout: float = DEADLINE, interval: float = 0.2):
    """Polls `predicate` until it returns something truthy; fails after `timeout` seconds."""
    deadline = time.monotonic() + timeout
    last = None
    while time.monotonic() < deadline:
        last = predicate()
        if last:
            return last
        time.sleep(interval)
    raise AssertionError(f"timed out waiting for {what} (last: {last!r})")


def error_of(excinfo) -> tuple[str, int]:
    response = excinfo.value.response
    return response["Error"]["Code"], response["ResponseMetadata"]["HTTPStatusCode"]


def tier_dir(data_dir: Path, tier: str) -> Path:
    """Where a tier keeps its blobs with the default layout."""
    return data_dir / "blobs" if tier == "standard" else data_dir / "tiers" / tier / "blobs"


def blobs_with_content(root: Path, content: bytes) -> list[Path]:
    """Blob files under `root` whose bytes are exactly `content`."""
    found = []
    if not root.exists():
        return found
    for dirpath, _, files in os.walk(root):
        for name in files:
            path = Path(dirpath) / name
            if path.stat().st_size == len(content) and path.read_bytes() == content:
                found.append(path)
    return found


def versions(s3, bucket: str, prefix: str = "") -> list[tuple[str, str, bool]]:
    """(kind, version id, is latest) of every version and delete marker, newest first per key."""
    response = s3.list_object_versions(Bucket=bucket, Prefix=prefix)
    out = [("version", v["VersionId"], v["IsLatest"], v["LastModified"]) for v in response.get("Versions", [])]
    out += [("marker", m["VersionId"], m["IsLatest"], m["LastModified"]) for m in response.get("DeleteMarkers", [])]
    return [(kind, vid, latest) for kind, vid, latest, _ in sorted(out, key=lambda item: item[3], reverse=True)]


def exists(s3, bucket: str, key: str) -> bool:
    try:
        s3.head_object(Bucket=bucket, Key=key)
        return True
    except ClientError as error:
        if error.response["ResponseMetadata"]["HTTPStatusCode"] == 404:
            return False
        raise


def purge_versions(s3, bucket: str):
    """Best-effort removal of every version, marker, upload and the bucket."""
    try:
        s3.delete_bucket_lifecycle(Bucket=bucket)
        for page in s3.get_paginator("list_object_versions").paginate(Bucket=bucket):
            for v in page.get("Versions", []) + page.get("DeleteMarkers", []):
                try:
                    s3.put_object_legal_hold(Bucket=bucket, Key=v["Key"], VersionId=v["VersionId"], LegalHold={"Status": "OFF"})
                except ClientError:
                    pass
                try:
                    s3.delete_object(Bucket=bucket, Key=v["Key"], VersionId=v["VersionId"], BypassGovernanceRetention=True)
                except ClientError:
                    pass
        for upload in s3.list_multipart_uploads(Bucket=bucket).get("Uploads", []):
            s3.abort_multipart_upload(Bucket=bucket, Key=upload["Key"], UploadId=upload["UploadId"])
        s3.delete_bucket(Bucket=bucket)
    except ClientError:
        pass
