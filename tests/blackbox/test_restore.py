"""Archive classes: GET refuses GLACIER and DEEP_ARCHIVE objects until a RestoreObject completed;
HEAD shows the restore's progress; the restored copy expires after its days."""
from __future__ import annotations

import hashlib
import json
import os
import subprocess

import pytest
from botocore.exceptions import ClientError

from conftest import start_server, unique_bucket_name
from helpers import parse_error
from lifecycle_helpers import DAY_SECONDS, blobs_with_content, error_of, purge_versions, tier_dir, wait_for

RESTORE_SECONDS = 2


@pytest.fixture(scope="module")
def slow_server(tmp_path_factory):
    """Restores take two seconds and a lifecycle day two seconds, set by flags."""
    base = tmp_path_factory.mktemp("magpie-restore")
    srv = start_server(base / "data", base / "logs",
                       extra_args=["--restore-seconds", str(RESTORE_SECONDS), "--lifecycle-day-seconds", str(DAY_SECONDS)])
    yield srv
    srv.stop()


@pytest.fixture
def slow(slow_server):
    return slow_server.client()


@pytest.fixture
def slow_bucket(slow):
    name = unique_bucket_name("rs")
    slow.create_bucket(Bucket=name)
    yield name
    purge_versions(slow, name)


def restore_header(s3, bucket, key, **kwargs):
    return s3.head_object(Bucket=bucket, Key=key, **kwargs).get("Restore")


def test_restore_flow(slow_server, slow, slow_bucket):
    body = os.urandom(64 * 1024)
    slow.put_object(Bucket=slow_bucket, Key="archive.tar", Body=body, StorageClass="GLACIER")
    head = slow.head_object(Bucket=slow_bucket, Key="archive.tar")  # HEAD works on archives
    assert head["StorageClass"] == "GLACIER" and "Restore" not in head
    with pytest.raises(ClientError) as e:
        slow.get_object(Bucket=slow_bucket, Key="archive.tar")
    assert error_of(e) == ("InvalidObjectState", 403)

    r = slow.restore_object(Bucket=slow_bucket, Key="archive.tar",
                            RestoreRequest={"Days": 1, "GlacierJobParameters": {"Tier": "Standard"}})
    assert r["ResponseMetadata"]["HTTPStatusCode"] == 202
    assert restore_header(slow, slow_bucket, "archive.tar") == 'ongoing-request="true"'
    with pytest.raises(ClientError) as e:
        slow.restore_object(Bucket=slow_bucket, Key="archive.tar", RestoreRequest={"Days": 1})
    assert error_of(e) == ("RestoreAlreadyInProgress", 409)
    with pytest.raises(ClientError) as e:
        slow.get_object(Bucket=slow_bucket, Key="archive.tar")
    assert error_of(e) == ("InvalidObjectState", 403)

    done = wait_for(lambda: (lambda h: h if h and h.startswith('ongoing-request="false"') else None)(
        restore_header(slow, slow_bucket, "archive.tar")), "the restore to complete")
    assert 'expiry-date="' in done and done.endswith('GMT"')
    got = slow.get_object(Bucket=slow_bucket, Key="archive.tar")
    assert got["Body"].read() == body and got["StorageClass"] == "GLACIER" and got["Restore"] == done
    # The restored copy is a real copy in the STANDARD tier; the archive stays in its own.
    assert len(blobs_with_content(tier_dir(slow_server.data_dir, "standard"), body)) == 1
    assert len(blobs_with_content(tier_dir(slow_server.data_dir, "glacier"), body)) == 1
    # Restoring a restored object renews the copy: 200, not 202.
    r = slow.restore_object(Bucket=slow_bucket, Key="archive.tar", RestoreRequest={"Days": 1})
    assert r["ResponseMetadata"]["HTTPStatusCode"] == 200

    # After its day the copy is gone and the archive is unreadable again.
    wait_for(lambda: restore_header(slow, slow_bucket, "archive.tar") is None, "the restored copy to expire")
    with pytest.raises(ClientError) as e:
        slow.get_object(Bucket=slow_bucket, Key="archive.tar")
    assert error_of(e) == ("InvalidObjectState", 403)
    assert blobs_with_content(tier_dir(slow_server.data_dir, "standard"), body) == []
    assert len(blobs_with_content(tier_dir(slow_server.data_dir, "glacier"), body)) == 1


def test_restore_of_a_specific_version(slow, slow_bucket):
    slow.put_bucket_versioning(Bucket=slow_bucket, VersioningConfiguration={"Status": "Enabled"})
    old = slow.put_object(Bucket=slow_bucket, Key="v", Body=b"old", StorageClass="DEEP_ARCHIVE")["VersionId"]
    slow.put_object(Bucket=slow_bucket, Key="v", Body=b"new", StorageClass="DEEP_ARCHIVE")
    slow.restore_object(Bucket=slow_bucket, Key="v", VersionId=old, RestoreRequest={"Days": 2})
    wait_for(lambda: (restore_header(slow, slow_bucket, "v", VersionId=old) or "").startswith('ongoing-request="false"'),
             "the old version's restore")
    assert slow.get_object(Bucket=slow_bucket, Key="v", VersionId=old)["Body"].read() == b"old"
    assert restore_header(slow, slow_bucket, "v") is None
    with pytest.raises(ClientError) as e:
        slow.get_object(Bucket=slow_bucket, Key="v")
    assert error_of(e) == ("InvalidObjectState", 403)


@pytest.mark.parametrize("storage_class", ["STANDARD", "STANDARD_IA", "GLACIER_IR", "INTELLIGENT_TIERING"])
def test_restore_of_an_object_that_is_not_archived(s3, bucket, storage_class):
    s3.put_object(Bucket=bucket, Key="k", Body=b"hot", StorageClass=storage_class)
    with pytest.raises(ClientError) as e:
        s3.restore_object(Bucket=bucket, Key="k", RestoreRequest={"Days": 1})
    assert error_of(e) == ("InvalidObjectState", 403)
    head = s3.head_object(Bucket=bucket, Key="k")
    assert "Restore" not in head
    assert s3.get_object(Bucket=bucket, Key="k")["Body"].read() == b"hot"


def test_restore_errors(server, s3, bucket):
    with pytest.raises(ClientError) as e:
        s3.restore_object(Bucket=bucket, Key="missing", RestoreRequest={"Days": 1})
    assert error_of(e) == ("NoSuchKey", 404)
    s3.put_object(Bucket=bucket, Key="cold", Body=b"x", StorageClass="GLACIER")
    signer = server.signer()
    for body, code in [(b"", "MalformedXML"), (b"<RestoreRequest>", "MalformedXML"),
                       (b"<RestoreRequest><Days>0</Days></RestoreRequest>", "InvalidArgument"),
                       (b"<RestoreRequest><Days>1</Days><GlacierJobParameters><Tier>Now</Tier></GlacierJobParameters></RestoreRequest>",
                        "MalformedXML")]:
        r = signer.request("POST", f"/{bucket}/cold", query=[("restore", None)], body=body)
        assert r.status == 400 and parse_error(r.body)["Code"] == code, body
    assert "Restore" not in s3.head_object(Bucket=bucket, Key="cold")
    assert server.health_ok()


def test_instant_restore_by_default(s3, bucket):
    """Without --restore-seconds a restore is complete when RestoreObject answers."""
    s3.put_object(Bucket=bucket, Key="photo.raw", Body=b"raw bytes", StorageClass="DEEP_ARCHIVE")
    r = s3.restore_object(Bucket=bucket, Key="photo.raw", RestoreRequest={"Days": 3, "GlacierJobParameters": {"Tier": "Bulk"}})
    assert r["ResponseMetadata"]["HTTPStatusCode"] == 202
    assert s3.head_object(Bucket=bucket, Key="photo.raw")["Restore"].startswith('ongoing-request="false", expiry-date="')
    assert s3.get_object(Bucket=bucket, Key="photo.raw")["Body"].read() == b"raw bytes"
    # A restored archive may be copied out of the archive class.
    s3.copy_object(Bucket=bucket, Key="photo.raw", CopySource={"Bucket": bucket, "Key": "photo.raw"}, StorageClass="STANDARD")
    head = s3.head_object(Bucket=bucket, Key="photo.raw")
    assert head.get("StorageClass") is None and "Restore" not in head


def test_aws_cli_restore(aws_cli, s3, bucket):
    s3.put_object(Bucket=bucket, Key="old.log", Body=b"log", StorageClass="GLACIER")
    aws_cli("s3api", "restore-object", "--bucket", bucket, "--key", "old.log",
            "--restore-request", '{"Days": 1, "GlacierJobParameters": {"Tier": "Expedited"}}')
    head = json.loads(aws_cli("s3api", "head-object", "--bucket", bucket, "--key", "old.log").stdout)
    assert head["StorageClass"] == "GLACIER" and head["Restore"].startswith('ongoing-request="false"')


def test_listings_show_restore_status_on_request(s3, bucket):
    s3.put_object(Bucket=bucket, Key="cold", Body=b"x", StorageClass="GLACIER")
    s3.put_object(Bucket=bucket, Key="thawed", Body=b"y", StorageClass="GLACIER")
    s3.restore_object(Bucket=bucket, Key="thawed", RestoreRequest={"Days": 1})
    plain = s3.list_objects_v2(Bucket=bucket)["Contents"]
    assert all("RestoreStatus" not in o for o in plain)
    listed = {o["Key"]: o.get("RestoreStatus") for o in s3.list_objects_v2(Bucket=bucket, OptionalObjectAttributes=["RestoreStatus"])["Contents"]}
    assert listed["cold"] is None
    assert listed["thawed"]["IsRestoreInProgress"] is False and listed["thawed"]["RestoreExpiryDate"]
    versions = s3.list_object_versions(Bucket=bucket, OptionalObjectAttributes=["RestoreStatus"])["Versions"]
    assert {v["Key"]: "RestoreStatus" in v for v in versions} == {"cold": False, "thawed": True}
