"""Bucket lifecycle: configuration (AWS's shapes and errors) and the scanner acting on rules within
seconds on a server whose lifecycle day lasts two seconds."""
from __future__ import annotations

import hashlib
import json
import os

import pytest
from botocore.exceptions import ClientError

from conftest import start_server, unique_bucket_name
from helpers import b64, http_request, parse_error
from lifecycle_helpers import (BIG, DAY_SECONDS, blobs_with_content, error_of, exists, purge_versions, tier_dir,
                               versions, wait_for)


@pytest.fixture(scope="module")
def lc_server(tmp_path_factory):
    base = tmp_path_factory.mktemp("magpie-lifecycle")
    # The day length comes from the environment here (the flag is covered by test_restore.py).
    srv = start_server(base / "data", base / "logs", extra_env={"MAGPIE_LIFECYCLE_DAY_SECONDS": str(DAY_SECONDS)})
    yield srv
    srv.stop()


@pytest.fixture
def lc(lc_server):
    return lc_server.client()


@pytest.fixture
def lc_bucket(lc):
    name = unique_bucket_name("lc")
    lc.create_bucket(Bucket=name)
    yield name
    purge_versions(lc, name)


@pytest.fixture
def versioned_bucket(lc):
    name = unique_bucket_name("lcv")
    lc.create_bucket(Bucket=name)
    lc.put_bucket_versioning(Bucket=name, VersioningConfiguration={"Status": "Enabled"})
    yield name
    purge_versions(lc, name)


SEED_RULES = [
    {"ID": "Archive old logs", "Filter": {"Prefix": "logs/"}, "Status": "Enabled",
     "Transitions": [{"Days": 30, "StorageClass": "STANDARD_IA"}, {"Days": 90, "StorageClass": "GLACIER"}],
     "Expiration": {"Days": 365}},
    {"ID": "Delete temp files", "Filter": {"Prefix": "temp/"}, "Status": "Enabled", "Expiration": {"Days": 7}},
    {"ID": "Cleanup incomplete uploads", "Filter": {}, "Status": "Enabled",
     "AbortIncompleteMultipartUpload": {"DaysAfterInitiation": 7}},
    {"Filter": {"And": {"Prefix": "v/", "Tags": [{"Key": "a", "Value": "1"}, {"Key": "b", "Value": "2"}]}}, "Status": "Disabled",
     "NoncurrentVersionExpiration": {"NoncurrentDays": 30, "NewerNoncurrentVersions": 2},
     "NoncurrentVersionTransitions": [{"NoncurrentDays": 1, "StorageClass": "DEEP_ARCHIVE"}]},
]


# --- configuration -------------------------------------------------------------------------------

def test_get_without_configuration_is_no_such_lifecycle_configuration(lc, lc_bucket):
    with pytest.raises(ClientError) as e:
        lc.get_bucket_lifecycle_configuration(Bucket=lc_bucket)
    assert error_of(e) == ("NoSuchLifecycleConfiguration", 404)


def test_put_get_delete_round_trip(lc, lc_bucket):
    r = lc.put_bucket_lifecycle_configuration(Bucket=lc_bucket, LifecycleConfiguration={"Rules": SEED_RULES})
    assert r["TransitionDefaultMinimumObjectSize"] == "all_storage_classes_128K"
    got = lc.get_bucket_lifecycle_configuration(Bucket=lc_bucket)
    rules = got["Rules"]
    assert [r.get("ID") for r in rules[:3]] == ["Archive old logs", "Delete temp files", "Cleanup incomplete uploads"]
    assert rules[3]["ID"]  # generated, as AWS does
    for sent, back in zip(SEED_RULES, rules):
        assert {k: v for k, v in back.items() if k != "ID"} == {k: v for k, v in sent.items() if k != "ID"}
    assert got["TransitionDefaultMinimumObjectSize"] == "all_storage_classes_128K"
    r = lc.delete_bucket_lifecycle(Bucket=lc_bucket)
    assert r["ResponseMetadata"]["HTTPStatusCode"] == 204
    with pytest.raises(ClientError) as e:
        lc.get_bucket_lifecycle_configuration(Bucket=lc_bucket)
    assert error_of(e) == ("NoSuchLifecycleConfiguration", 404)


def test_legacy_prefix_rules_and_minimum_size_setting(lc, lc_bucket):
    lc.put_bucket_lifecycle_configuration(
        Bucket=lc_bucket, TransitionDefaultMinimumObjectSize="varies_by_storage_class",
        LifecycleConfiguration={"Rules": [{"ID": "v1", "Prefix": "old/", "Status": "Enabled",
                                           "Expiration": {"Date": "2030-10-10T00:00:00Z"}}]})
    got = lc.get_bucket_lifecycle_configuration(Bucket=lc_bucket)
    assert got["Rules"][0]["Prefix"] == "old/"
    assert got["Rules"][0]["Expiration"]["Date"].isoformat() == "2030-10-10T00:00:00+00:00"
    assert got["TransitionDefaultMinimumObjectSize"] == "varies_by_storage_class"


def test_aws_cli_seed_example(aws_cli, bucket, tmp_path):
    """The README's example: archive logs/ after 30 days, delete temp/ after 7."""
    document = {"Rules": [
        {"ID": "archive-logs", "Filter": {"Prefix": "logs/"}, "Status": "Enabled",
         "Transitions": [{"Days": 30, "StorageClass": "GLACIER"}]},
        {"ID": "delete-temp", "Filter": {"Prefix": "temp/"}, "Status": "Enabled", "Expiration": {"Days": 7}},
    ]}
    path = tmp_path / "lifecycle.json"
    path.write_text(json.dumps(document))
    aws_cli("s3api", "put-bucket-lifecycle-configuration", "--bucket", bucket, "--lifecycle-configuration", f"file://{path}")
    got = json.loads(aws_cli("s3api", "get-bucket-lifecycle-configuration", "--bucket", bucket).stdout)
    assert got["Rules"] == document["Rules"]
    aws_cli("s3api", "delete-bucket-lifecycle", "--bucket", bucket)
    p = aws_cli("s3api", "get-bucket-lifecycle-configuration", "--bucket", bucket, check=False)
    assert p.returncode != 0 and b"NoSuchLifecycleConfiguration" in p.stderr


BAD = [
    ("no rules", {"Rules": []}, "InvalidRequest"),
    ("zero days", {"Rules": [{"ID": "x", "Filter": {"Prefix": "a"}, "Status": "Enabled", "Expiration": {"Days": 0}}]}, "InvalidArgument"),
    ("bad status", {"Rules": [{"ID": "x", "Filter": {"Prefix": "a"}, "Status": "enabled", "Expiration": {"Days": 1}}]}, "MalformedXML"),
    ("no filter", {"Rules": [{"ID": "x", "Status": "Enabled", "Expiration": {"Days": 1}}]}, "MalformedXML"),
    ("no action", {"Rules": [{"ID": "x", "Filter": {"Prefix": "a"}, "Status": "Enabled"}]}, "InvalidRequest"),
    ("same ids", {"Rules": [{"ID": "x", "Filter": {"Prefix": "a"}, "Status": "Enabled", "Expiration": {"Days": 1}},
                            {"ID": "x", "Filter": {"Prefix": "b"}, "Status": "Enabled", "Expiration": {"Days": 2}}]}, "InvalidArgument"),
    ("long id", {"Rules": [{"ID": "a" * 256, "Filter": {"Prefix": "a"}, "Status": "Enabled", "Expiration": {"Days": 1}}]}, "InvalidArgument"),
    ("ia too soon", {"Rules": [{"ID": "x", "Filter": {"Prefix": "a"}, "Status": "Enabled",
                                "Transitions": [{"Days": 10, "StorageClass": "STANDARD_IA"}]}]}, "InvalidArgument"),
    ("not midnight", {"Rules": [{"ID": "x", "Filter": {"Prefix": "a"}, "Status": "Enabled",
                                 "Expiration": {"Date": "2030-10-10T01:00:00Z"}}]}, "InvalidArgument"),
    ("marker with tags", {"Rules": [{"ID": "x", "Filter": {"Tag": {"Key": "k", "Value": "v"}}, "Status": "Enabled",
                                     "Expiration": {"ExpiredObjectDeleteMarker": True}}]}, "InvalidRequest"),
    ("size order", {"Rules": [{"ID": "x", "Filter": {"And": {"Prefix": "a", "ObjectSizeGreaterThan": 9, "ObjectSizeLessThan": 5}},
                               "Status": "Enabled", "Expiration": {"Days": 1}}]}, "InvalidRequest"),
    ("expiration before transition", {"Rules": [{"ID": "x", "Filter": {"Prefix": "a"}, "Status": "Enabled", "Expiration": {"Days": 5},
                                                 "Transitions": [{"Days": 5, "StorageClass": "GLACIER"}]}]}, "InvalidArgument"),
]


@pytest.mark.parametrize("what,document,code", BAD, ids=[b[0] for b in BAD])
def test_bad_configurations_are_refused_and_change_nothing(lc, lc_bucket, what, document, code):
    kept = {"Rules": [{"ID": "kept", "Filter": {"Prefix": "keep/"}, "Status": "Enabled", "Expiration": {"Days": 3}}]}
    lc.put_bucket_lifecycle_configuration(Bucket=lc_bucket, LifecycleConfiguration=kept)
    with pytest.raises(ClientError) as e:
        lc.put_bucket_lifecycle_configuration(Bucket=lc_bucket, LifecycleConfiguration=document)
    assert error_of(e) == (code, 400)
    assert lc.get_bucket_lifecycle_configuration(Bucket=lc_bucket)["Rules"] == kept["Rules"]


@pytest.mark.parametrize("body,code", [
    (b"<LifecycleConfiguration><Rule>", "MalformedXML"),
    (b"", "MalformedXML"),
    (b"<LifecycleConfiguration><Rule><ID>x</ID><Filter/><Status>Enabled</Status><Expiration><Days>1</Days>"
     b"<Date>2030-10-10T00:00:00Z</Date></Expiration></Rule></LifecycleConfiguration>", "MalformedXML"),
    (b"<LifecycleConfiguration><Rule><ID>x</ID><Filter/><Status>Enabled</Status><Transition><Days>1</Days>"
     b"<StorageClass>STANDARD</StorageClass></Transition></Rule></LifecycleConfiguration>", "MalformedXML"),
    (b'<!DOCTYPE x [<!ENTITY a "b">]><LifecycleConfiguration/>', "MalformedXML"),
])
def test_malformed_documents(lc_server, lc_bucket, body, code):
    signer = lc_server.signer()
    r = signer.request("PUT", f"/{lc_bucket}", query=[("lifecycle", None)], body=body,
                       headers={"Content-MD5": b64(hashlib.md5(body).digest())})
    assert r.status == 400 and parse_error(r.body)["Code"] == code
    r = signer.request("GET", f"/{lc_bucket}", query=[("lifecycle", None)])
    assert r.status == 404 and parse_error(r.body)["Code"] == "NoSuchLifecycleConfiguration"
    assert lc_server.health_ok()


def test_integrity_header_is_required(lc_server, lc_bucket):
    body = (b"<LifecycleConfiguration><Rule><ID>x</ID><Filter/><Status>Enabled</Status>"
            b"<Expiration><Days>1</Days></Expiration></Rule></LifecycleConfiguration>")
    r = lc_server.signer().request("PUT", f"/{lc_bucket}", query=[("lifecycle", None)], body=body)
    assert r.status == 400 and parse_error(r.body)["Code"] == "InvalidRequest"


def test_other_owners_bucket_and_missing_bucket(lc):
    with pytest.raises(ClientError) as e:
        lc.get_bucket_lifecycle_configuration(Bucket=unique_bucket_name("none"))
    assert error_of(e) == ("NoSuchBucket", 404)


# --- the scanner --------------------------------------------------------------------------------

def test_expiration_deletes_objects_of_an_unversioned_bucket(lc, lc_bucket):
    lc.put_bucket_lifecycle_configuration(Bucket=lc_bucket, LifecycleConfiguration={"Rules": [
        {"ID": "delete temp", "Filter": {"Prefix": "temp/"}, "Status": "Enabled", "Expiration": {"Days": 1}}]})
    put = lc.put_object(Bucket=lc_bucket, Key="temp/a.txt", Body=b"scratch")
    lc.put_object(Bucket=lc_bucket, Key="keep/a.txt", Body=b"keep")
    # x-amz-expiration names the day and the (URL-encoded) rule id, on PUT, HEAD and GET.
    assert put["Expiration"].startswith('expiry-date="') and put["Expiration"].endswith('GMT", rule-id="delete%20temp"')
    assert lc.head_object(Bucket=lc_bucket, Key="temp/a.txt")["Expiration"] == put["Expiration"]
    assert lc.get_object(Bucket=lc_bucket, Key="temp/a.txt")["Expiration"] == put["Expiration"]
    assert "Expiration" not in lc.head_object(Bucket=lc_bucket, Key="keep/a.txt")
    wait_for(lambda: not exists(lc, lc_bucket, "temp/a.txt"), "temp/a.txt to expire")
    assert lc.get_object(Bucket=lc_bucket, Key="keep/a.txt")["Body"].read() == b"keep"
    assert [v[0] for v in versions(lc, lc_bucket, "temp/")] == []


def test_expiration_in_a_versioned_bucket_adds_a_marker_then_cleans_up(lc, versioned_bucket):
    lc.put_bucket_lifecycle_configuration(Bucket=versioned_bucket, LifecycleConfiguration={"Rules": [
        {"ID": "expire", "Filter": {"Prefix": "v/"}, "Status": "Enabled", "Expiration": {"Days": 1},
         "NoncurrentVersionExpiration": {"NoncurrentDays": 1}}]})
    lc.put_object(Bucket=versioned_bucket, Key="v/a", Body=b"one")
    seen_marker = wait_for(
        lambda: (lambda vs: vs if vs and vs[0][0] == "marker" and vs[0][2] else None)(versions(lc, versioned_bucket, "v/")),
        "a delete marker to become current")
    assert [v[0] for v in seen_marker] == ["marker", "version"]
    # The noncurrent version goes a lifecycle day later, then the marker, alone, goes too.
    wait_for(lambda: versions(lc, versioned_bucket, "v/") == [], "noncurrent version and expired marker to go")


def test_expired_object_delete_markers_are_removed(lc, versioned_bucket):
    lc.put_object(Bucket=versioned_bucket, Key="gone", Body=b"x")
    lc.put_object(Bucket=versioned_bucket, Key="kept", Body=b"x")
    for key in ("gone", "kept"):
        data = lc.list_object_versions(Bucket=versioned_bucket, Prefix=key)["Versions"][0]["VersionId"]
        lc.delete_object(Bucket=versioned_bucket, Key=key)
        if key == "gone":
            lc.delete_object(Bucket=versioned_bucket, Key=key, VersionId=data)
    assert [v[0] for v in versions(lc, versioned_bucket, "gone")] == ["marker"]
    lc.put_bucket_lifecycle_configuration(Bucket=versioned_bucket, LifecycleConfiguration={"Rules": [
        {"ID": "markers", "Filter": {"Prefix": ""}, "Status": "Enabled", "Expiration": {"ExpiredObjectDeleteMarker": True}}]})
    wait_for(lambda: versions(lc, versioned_bucket, "gone") == [], "the lone delete marker to go")
    # A marker with a noncurrent version beneath it is not expired.
    assert [v[0] for v in versions(lc, versioned_bucket, "kept")] == ["marker", "version"]


def test_noncurrent_versions_expire_keeping_the_newest(lc, versioned_bucket):
    ids = [lc.put_object(Bucket=versioned_bucket, Key="n/doc", Body=f"v{i}".encode())["VersionId"] for i in range(4)]
    lc.put_bucket_lifecycle_configuration(Bucket=versioned_bucket, LifecycleConfiguration={"Rules": [
        {"ID": "old", "Filter": {"Prefix": "n/"}, "Status": "Enabled",
         "NoncurrentVersionExpiration": {"NoncurrentDays": 1, "NewerNoncurrentVersions": 1}}]})
    wait_for(lambda: len(versions(lc, versioned_bucket, "n/")) == 2, "all but the newest noncurrent version to go")
    assert [v[1] for v in versions(lc, versioned_bucket, "n/")] == [ids[3], ids[2]]
    assert lc.get_object(Bucket=versioned_bucket, Key="n/doc")["Body"].read() == b"v3"


def test_locked_versions_are_never_removed(lc):
    bucket = unique_bucket_name("lclock")
    lc.create_bucket(Bucket=bucket, ObjectLockEnabledForBucket=True)
    try:
        held = lc.put_object(Bucket=bucket, Key="k", Body=b"held", ObjectLockLegalHoldStatus="ON")["VersionId"]
        free = lc.put_object(Bucket=bucket, Key="k", Body=b"free")["VersionId"]
        current = lc.put_object(Bucket=bucket, Key="k", Body=b"current")["VersionId"]
        lc.put_bucket_lifecycle_configuration(Bucket=bucket, LifecycleConfiguration={"Rules": [
            {"ID": "nc", "Filter": {"Prefix": ""}, "Status": "Enabled", "NoncurrentVersionExpiration": {"NoncurrentDays": 1}}]})
        # Both noncurrent versions fall due in the same pass; only the unlocked one may go.
        wait_for(lambda: free not in [v[1] for v in versions(lc, bucket, "k")], "the unlocked version to go")
        assert [v[1] for v in versions(lc, bucket, "k")] == [current, held]
    finally:
        purge_versions(lc, bucket)


def test_incomplete_multipart_uploads_are_aborted(lc_server, lc, lc_bucket):
    part = os.urandom(1024 * 1024)
    doomed = lc.create_multipart_upload(Bucket=lc_bucket, Key="mp/big")["UploadId"]
    lc.upload_part(Bucket=lc_bucket, Key="mp/big", UploadId=doomed, PartNumber=1, Body=part)
    spared = lc.create_multipart_upload(Bucket=lc_bucket, Key="other/big")["UploadId"]
    lc.put_bucket_lifecycle_configuration(Bucket=lc_bucket, LifecycleConfiguration={"Rules": [
        {"ID": "abort", "Filter": {"Prefix": "mp/"}, "Status": "Enabled", "AbortIncompleteMultipartUpload": {"DaysAfterInitiation": 1}}]})
    wait_for(lambda: [u["UploadId"] for u in lc.list_multipart_uploads(Bucket=lc_bucket).get("Uploads", [])] == [spared],
             "the upload under mp/ to be aborted")
    with pytest.raises(ClientError) as e:
        lc.list_parts(Bucket=lc_bucket, Key="mp/big", UploadId=doomed)
    assert error_of(e) == ("NoSuchUpload", 404)
    assert blobs_with_content(tier_dir(lc_server.data_dir, "standard"), part) == []


def test_transition_moves_the_bytes_and_keeps_the_object(lc_server, lc, versioned_bucket):
    body = os.urandom(BIG)
    put = lc.put_object(Bucket=versioned_bucket, Key="logs/app.log", Body=body, Metadata={"origin": "app"},
                        Tagging="team=ops", ContentType="text/plain")
    before = lc.head_object(Bucket=versioned_bucket, Key="logs/app.log")
    assert len(blobs_with_content(tier_dir(lc_server.data_dir, "standard"), body)) == 1
    lc.put_bucket_lifecycle_configuration(Bucket=versioned_bucket, LifecycleConfiguration={"Rules": [
        {"ID": "archive", "Filter": {"Prefix": "logs/"}, "Status": "Enabled",
         "Transitions": [{"Days": 0, "StorageClass": "GLACIER_IR"}, {"Days": 1, "StorageClass": "DEEP_ARCHIVE"}]}]})
    wait_for(lambda: lc.head_object(Bucket=versioned_bucket, Key="logs/app.log").get("StorageClass") in ("GLACIER_IR", "DEEP_ARCHIVE"),
             "the object to leave STANDARD")
    head = wait_for(lambda: (lambda h: h if h.get("StorageClass") == "DEEP_ARCHIVE" else None)(
        lc.head_object(Bucket=versioned_bucket, Key="logs/app.log")), "the object to reach DEEP_ARCHIVE")
    for field in ("ETag", "VersionId", "LastModified", "Metadata", "ContentType", "ContentLength"):
        assert head[field] == before[field], field
    assert head["VersionId"] == put["VersionId"]
    assert lc.get_object_tagging(Bucket=versioned_bucket, Key="logs/app.log")["TagSet"] == [{"Key": "team", "Value": "ops"}]
    # The bytes live in the DEEP_ARCHIVE tier's directory now, and nowhere else.
    assert len(blobs_with_content(tier_dir(lc_server.data_dir, "deep-archive"), body)) == 1
    assert blobs_with_content(tier_dir(lc_server.data_dir, "standard"), body) == []
    assert blobs_with_content(tier_dir(lc_server.data_dir, "glacier-ir"), body) == []
    listed = lc.list_objects_v2(Bucket=versioned_bucket, Prefix="logs/")["Contents"]
    assert [(o["Key"], o["StorageClass"]) for o in listed] == [("logs/app.log", "DEEP_ARCHIVE")]


def test_small_objects_are_not_transitioned_by_default(lc, lc_bucket):
    lc.put_object(Bucket=lc_bucket, Key="t/small", Body=b"tiny")
    lc.put_object(Bucket=lc_bucket, Key="t/big", Body=os.urandom(BIG))
    lc.put_object(Bucket=lc_bucket, Key="s/small", Body=b"tiny")
    lc.put_bucket_lifecycle_configuration(Bucket=lc_bucket, LifecycleConfiguration={"Rules": [
        {"ID": "t", "Filter": {"Prefix": "t/"}, "Status": "Enabled", "Transitions": [{"Days": 0, "StorageClass": "GLACIER"}]},
        # A size filter overrides the 128 KB default.
        {"ID": "s", "Filter": {"And": {"Prefix": "s/", "ObjectSizeGreaterThan": 1}}, "Status": "Enabled",
         "Transitions": [{"Days": 0, "StorageClass": "GLACIER"}]}]})
    wait_for(lambda: {o["Key"]: o["StorageClass"] for o in lc.list_objects_v2(Bucket=lc_bucket)["Contents"]}
             == {"s/small": "GLACIER", "t/big": "GLACIER", "t/small": "STANDARD"}, "the big and the size-filtered objects to move")


def test_noncurrent_versions_transition(lc_server, lc, versioned_bucket):
    old = os.urandom(BIG)
    first = lc.put_object(Bucket=versioned_bucket, Key="h/doc", Body=old)["VersionId"]
    lc.put_object(Bucket=versioned_bucket, Key="h/doc", Body=os.urandom(BIG))
    lc.put_bucket_lifecycle_configuration(Bucket=versioned_bucket, LifecycleConfiguration={"Rules": [
        {"ID": "cold", "Filter": {"Prefix": "h/"}, "Status": "Enabled",
         "NoncurrentVersionTransitions": [{"NoncurrentDays": 1, "StorageClass": "GLACIER"}]}]})
    wait_for(lambda: lc.head_object(Bucket=versioned_bucket, Key="h/doc", VersionId=first).get("StorageClass") == "GLACIER",
             "the noncurrent version to move to GLACIER")
    assert lc.head_object(Bucket=versioned_bucket, Key="h/doc").get("StorageClass") is None  # current stays STANDARD
    assert len(blobs_with_content(tier_dir(lc_server.data_dir, "glacier"), old)) == 1


@pytest.mark.slow
def test_transitions_survive_kill_9(tmp_path):
    """Killed while transitioning, then restarted: every object reads back intact, and each is
    stored exactly once (no lost blob, no orphan in any tier)."""
    env = {"MAGPIE_LIFECYCLE_DAY_SECONDS": str(DAY_SECONDS)}
    srv = start_server(tmp_path / "data", tmp_path / "logs", extra_env=env)
    bodies = {f"logs/{i:02d}": os.urandom(BIG + i) for i in range(24)}
    try:
        s3 = srv.client()
        s3.create_bucket(Bucket="crash")
        for key, body in bodies.items():
            s3.put_object(Bucket="crash", Key=key, Body=body)
        s3.put_bucket_lifecycle_configuration(Bucket="crash", LifecycleConfiguration={"Rules": [
            {"ID": "ir", "Filter": {"Prefix": "logs/"}, "Status": "Enabled", "Transitions": [{"Days": 0, "StorageClass": "GLACIER_IR"}]}]})
        wait_for(lambda: any(o["StorageClass"] == "GLACIER_IR" for o in s3.list_objects_v2(Bucket="crash")["Contents"]),
                 "the first transition", interval=0.02)
    finally:
        srv.kill9()
    srv = start_server(tmp_path / "data", tmp_path / "logs", extra_env=env)
    try:
        s3 = srv.client()
        wait_for(lambda: all(o["StorageClass"] == "GLACIER_IR" for o in s3.list_objects_v2(Bucket="crash")["Contents"]),
                 "every transition after the restart")
        for key, body in bodies.items():
            assert s3.get_object(Bucket="crash", Key=key)["Body"].read() == body, key
        for body in bodies.values():
            assert len(blobs_with_content(tmp_path / "data", body)) == 1
    finally:
        srv.stop()
