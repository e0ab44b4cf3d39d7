"""Storage classes: accepted on every write, reported by every read and listing, and kept in the
tier (directory) their class maps to; copy-in-place moves bytes; custom tier layouts; usage."""
from __future__ import annotations

import json
import os

import pytest
import requests
from botocore.exceptions import ClientError

from conftest import ROOT_ACCESS_KEY, ROOT_SECRET_KEY, require_binary, run_magpie, start_server, unique_bucket_name
from lifecycle_helpers import BIG, DAY_SECONDS, blobs_with_content, error_of, purge_versions, tier_dir, wait_for

CLASSES = ["STANDARD", "REDUCED_REDUNDANCY", "STANDARD_IA", "ONEZONE_IA", "INTELLIGENT_TIERING", "GLACIER_IR", "GLACIER",
           "DEEP_ARCHIVE"]
TIER = {c: "standard" if c == "STANDARD" else c.lower().replace("_", "-") for c in CLASSES}
ARCHIVES = {"GLACIER", "DEEP_ARCHIVE"}


@pytest.mark.parametrize("storage_class", CLASSES)
def test_put_head_get_list_report_the_class(server, s3, bucket, storage_class):
    body = os.urandom(4096)
    s3.put_object(Bucket=bucket, Key="obj", Body=body, StorageClass=storage_class)
    head = s3.head_object(Bucket=bucket, Key="obj")
    # AWS omits x-amz-storage-class for STANDARD.
    assert head.get("StorageClass") == (None if storage_class == "STANDARD" else storage_class)
    if storage_class in ARCHIVES:
        with pytest.raises(ClientError) as e:
            s3.get_object(Bucket=bucket, Key="obj")
        assert error_of(e) == ("InvalidObjectState", 403)
        assert e.value.response["Error"].get("StorageClass") == storage_class
    else:
        got = s3.get_object(Bucket=bucket, Key="obj")
        assert got["Body"].read() == body and got.get("StorageClass") == head.get("StorageClass")
    assert [o["StorageClass"] for o in s3.list_objects_v2(Bucket=bucket)["Contents"]] == [storage_class]
    assert [o["StorageClass"] for o in s3.list_objects(Bucket=bucket)["Contents"]] == [storage_class]
    assert [v["StorageClass"] for v in s3.list_object_versions(Bucket=bucket)["Versions"]] == [storage_class]
    assert len(blobs_with_content(tier_dir(server.data_dir, TIER[storage_class]), body)) == 1


def test_invalid_class_is_refused_and_stores_nothing(s3, bucket):
    for call in (lambda: s3.put_object(Bucket=bucket, Key="x", Body=b"x", StorageClass="COLD"),
                 lambda: s3.create_multipart_upload(Bucket=bucket, Key="x", StorageClass="glacier"),
                 lambda: s3.copy_object(Bucket=bucket, Key="x", CopySource={"Bucket": bucket, "Key": "x"}, StorageClass="EXPRESS")):
        with pytest.raises(ClientError) as e:
            call()
        assert error_of(e) == ("InvalidStorageClass", 400)
    assert "Contents" not in s3.list_objects_v2(Bucket=bucket)
    assert "Uploads" not in s3.list_multipart_uploads(Bucket=bucket)


def test_multipart_upload_in_a_class(server, s3, bucket):
    upload = s3.create_multipart_upload(Bucket=bucket, Key="mp", StorageClass="ONEZONE_IA")["UploadId"]
    parts = [os.urandom(5 * 1024 * 1024), os.urandom(1024)]
    etags = [s3.upload_part(Bucket=bucket, Key="mp", UploadId=upload, PartNumber=i + 1, Body=p)["ETag"] for i, p in enumerate(parts)]
    assert s3.list_multipart_uploads(Bucket=bucket)["Uploads"][0]["StorageClass"] == "ONEZONE_IA"
    assert s3.list_parts(Bucket=bucket, Key="mp", UploadId=upload)["StorageClass"] == "ONEZONE_IA"
    s3.complete_multipart_upload(Bucket=bucket, Key="mp", UploadId=upload,
                                 MultipartUpload={"Parts": [{"PartNumber": i + 1, "ETag": e} for i, e in enumerate(etags)]})
    assert s3.head_object(Bucket=bucket, Key="mp")["StorageClass"] == "ONEZONE_IA"
    whole = b"".join(parts)
    assert s3.get_object(Bucket=bucket, Key="mp")["Body"].read() == whole
    assert len(blobs_with_content(tier_dir(server.data_dir, "onezone-ia"), whole)) == 1
    assert blobs_with_content(tier_dir(server.data_dir, "standard"), whole) == []


def test_copy_in_place_changing_only_the_class_moves_the_bytes(server, s3, bucket):
    body = os.urandom(BIG)
    put = s3.put_object(Bucket=bucket, Key="doc", Body=body, Metadata={"k": "v"}, ContentType="text/csv")
    s3.copy_object(Bucket=bucket, Key="doc", CopySource={"Bucket": bucket, "Key": "doc"}, StorageClass="STANDARD_IA")
    head = s3.head_object(Bucket=bucket, Key="doc")
    assert head["StorageClass"] == "STANDARD_IA"
    assert head["ETag"] == put["ETag"] and head["Metadata"] == {"k": "v"} and head["ContentType"] == "text/csv"
    assert len(blobs_with_content(tier_dir(server.data_dir, "standard-ia"), body)) == 1
    assert blobs_with_content(tier_dir(server.data_dir, "standard"), body) == []
    # Copying to itself without changing anything is still refused.
    with pytest.raises(ClientError) as e:
        s3.copy_object(Bucket=bucket, Key="doc", CopySource={"Bucket": bucket, "Key": "doc"}, StorageClass="STANDARD_IA")
    assert error_of(e) == ("InvalidRequest", 400)
    s3.copy_object(Bucket=bucket, Key="doc", CopySource={"Bucket": bucket, "Key": "doc"}, StorageClass="STANDARD")
    assert s3.head_object(Bucket=bucket, Key="doc").get("StorageClass") is None
    assert len(blobs_with_content(tier_dir(server.data_dir, "standard"), body)) == 1


def test_archived_objects_cannot_be_copied_before_a_restore(s3, bucket):
    s3.put_object(Bucket=bucket, Key="cold", Body=b"frozen", StorageClass="DEEP_ARCHIVE")
    with pytest.raises(ClientError) as e:
        s3.copy_object(Bucket=bucket, Key="warm", CopySource={"Bucket": bucket, "Key": "cold"})
    assert error_of(e) == ("InvalidObjectState", 403)
    with pytest.raises(ClientError) as e:
        s3.copy_object(Bucket=bucket, Key="cold", CopySource={"Bucket": bucket, "Key": "cold"}, StorageClass="STANDARD")
    assert error_of(e) == ("InvalidObjectState", 403)


def test_form_upload_with_a_class(server, s3, bucket):
    post = s3.generate_presigned_post(bucket, "f/${filename}", Fields={"x-amz-storage-class": "GLACIER_IR"},
                                      Conditions=[{"x-amz-storage-class": "GLACIER_IR"}], ExpiresIn=300)
    r = requests.post(post["url"], data=post["fields"], files={"file": ("a.bin", b"form bytes")}, timeout=30)
    assert r.status_code == 204, r.text
    assert s3.head_object(Bucket=bucket, Key="f/a.bin")["StorageClass"] == "GLACIER_IR"


def test_aws_cli_upload_with_a_class(aws_cli, s3, bucket, tmp_path):
    path = tmp_path / "notes.txt"
    path.write_bytes(b"cli bytes")
    aws_cli("s3", "cp", str(path), f"s3://{bucket}/notes.txt", "--storage-class", "INTELLIGENT_TIERING")
    head = json.loads(aws_cli("s3api", "head-object", "--bucket", bucket, "--key", "notes.txt").stdout)
    assert head["StorageClass"] == "INTELLIGENT_TIERING"
    listing = aws_cli("s3", "ls", f"s3://{bucket}/").stdout
    assert b"notes.txt" in listing


# --- custom tier layouts ------------------------------------------------------------------------

def test_custom_tiers_hold_their_classes_and_must_stay_configured(tmp_path):
    cold = tmp_path / "cold-disk"
    flags = ["--tier", f"cold={cold}", "--tier-class", "GLACIER=cold", "--tier-class", "DEEP_ARCHIVE=cold",
             "--lifecycle-day-seconds", str(DAY_SECONDS)]
    srv = start_server(tmp_path / "data", tmp_path / "logs", extra_args=flags)
    try:
        s3 = srv.client()
        s3.create_bucket(Bucket="tiers")
        body = os.urandom(BIG)
        s3.put_object(Bucket="tiers", Key="a", Body=body, StorageClass="GLACIER")
        assert len(blobs_with_content(cold / "blobs", body)) == 1
        assert blobs_with_content(tmp_path / "data", body) == []
        # GLACIER → DEEP_ARCHIVE stays on the same disk: only the class changes.
        s3.put_bucket_lifecycle_configuration(Bucket="tiers", LifecycleConfiguration={"Rules": [
            {"ID": "deeper", "Filter": {"Prefix": ""}, "Status": "Enabled", "Transitions": [{"Days": 0, "StorageClass": "DEEP_ARCHIVE"}]}]})
        wait_for(lambda: s3.head_object(Bucket="tiers", Key="a").get("StorageClass") == "DEEP_ARCHIVE", "the move to DEEP_ARCHIVE")
        assert len(blobs_with_content(cold / "blobs", body)) == 1
    finally:
        srv.stop()
    # Started without the tier its objects live in, the server refuses to run rather than lose them.
    p = run_magpie(["serve", "--address", "127.0.0.1", "--port", "0", "--data-dir", str(tmp_path / "data")],
                   {"MAGPIE_ROOT_ACCESS_KEY": ROOT_ACCESS_KEY, "MAGPIE_ROOT_SECRET_KEY": ROOT_SECRET_KEY}, timeout=60, check=False)
    assert p.returncode != 0
    assert b"cold" in p.stderr and b"not configured" in p.stderr


def test_bad_tier_flags_are_refused(tmp_path):
    require_binary()
    for flags in (["--tier-class", "GLACIER=nowhere"], ["--tier", "Bad Name=/tmp/x"], ["--tier-class", "FROZEN=standard"],
                  ["--tier", "no-equals"], ["--lifecycle-day-seconds", "0"]):
        p = run_magpie(["serve", "--port", "0", "--data-dir", str(tmp_path / "data"), *flags],
                       {"MAGPIE_ROOT_ACCESS_KEY": ROOT_ACCESS_KEY, "MAGPIE_ROOT_SECRET_KEY": ROOT_SECRET_KEY}, timeout=60, check=False)
        assert p.returncode != 0, flags


# --- usage --------------------------------------------------------------------------------------

def test_admin_usage_reports_bytes_counts_and_cost(tmp_path):
    srv = start_server(tmp_path / "data", tmp_path / "logs")
    try:
        s3 = srv.client()
        s3.create_bucket(Bucket="media")
        s3.put_bucket_versioning(Bucket="media", VersioningConfiguration={"Status": "Enabled"})
        s3.put_object(Bucket="media", Key="a", Body=b"x" * 1000)
        s3.put_object(Bucket="media", Key="a", Body=b"x" * 3000)  # noncurrent versions are stored and count
        s3.put_object(Bucket="media", Key="b", Body=b"y" * 500, StorageClass="GLACIER")
        s3.delete_object(Bucket="media", Key="b")  # delete markers do not count
        env = {"MAGPIE_ENDPOINT": srv.endpoint, "MAGPIE_ROOT_ACCESS_KEY": srv.access_key, "MAGPIE_ROOT_SECRET_KEY": srv.secret_key}
        report = json.loads(run_magpie(["admin", "usage", "--json"], env).stdout)
        lines = {(line["bucket"], line["storageClass"]): line for line in report["lines"]}
        assert lines[("media", "STANDARD")]["objects"] == 2 and lines[("media", "STANDARD")]["bytes"] == 4000
        assert lines[("media", "GLACIER")]["objects"] == 1 and lines[("media", "GLACIER")]["bytes"] == 500
        assert lines[("media", "STANDARD")]["monthlyCostUSD"] == pytest.approx(4000 / 1e9 * 0.023)
        assert lines[("media", "GLACIER")]["monthlyCostUSD"] == pytest.approx(500 / 1e9 * 0.0036)
        assert report["totalBytes"] == 4500 and report["totalObjects"] == 3
        assert report["pricesUSDPerGBMonth"]["DEEP_ARCHIVE"] == 0.00099
        table = run_magpie(["admin", "usage"], env).stdout.decode()
        assert "media" in table and "GLACIER" in table and "TOTAL" in table
    finally:
        srv.stop()


def test_a_copy_is_standard_unless_it_names_a_class(server, s3, bucket):
    body = os.urandom(8192)
    s3.put_object(Bucket=bucket, Key="ia", Body=body, StorageClass="STANDARD_IA")
    s3.copy_object(Bucket=bucket, Key="copy", CopySource={"Bucket": bucket, "Key": "ia"})
    assert s3.head_object(Bucket=bucket, Key="copy").get("StorageClass") is None
    s3.copy_object(Bucket=bucket, Key="copy-ia", CopySource={"Bucket": bucket, "Key": "ia"}, StorageClass="STANDARD_IA")
    assert s3.head_object(Bucket=bucket, Key="copy-ia")["StorageClass"] == "STANDARD_IA"
    # Onto itself without a class header it becomes STANDARD — a change, so it is allowed.
    s3.copy_object(Bucket=bucket, Key="ia", CopySource={"Bucket": bucket, "Key": "ia"})
    assert s3.head_object(Bucket=bucket, Key="ia").get("StorageClass") is None
    assert len(blobs_with_content(tier_dir(server.data_dir, "standard-ia"), body)) == 1  # copy-ia only
