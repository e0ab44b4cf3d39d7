"""Object lock: buckets created with it, default retention, retention and legal holds, refusals, bypass."""
import datetime as dt

import pytest
from botocore.exceptions import ClientError

from conftest import empty_and_delete_bucket, unique_bucket_name


def code(excinfo):
    return excinfo.value.response["Error"]["Code"], excinfo.value.response["ResponseMetadata"]["HTTPStatusCode"]


@pytest.fixture
def locked_bucket(s3):
    name = unique_bucket_name("lock")
    s3.create_bucket(Bucket=name, ObjectLockEnabledForBucket=True)
    yield name
    # Governance-mode versions can be removed with bypass; compliance ones in these tests expire in seconds.
    try:
        for page in s3.get_paginator("list_object_versions").paginate(Bucket=name):
            for v in page.get("Versions", []) + page.get("DeleteMarkers", []):
                try:
                    s3.put_object_legal_hold(Bucket=name, Key=v["Key"], VersionId=v["VersionId"], LegalHold={"Status": "OFF"})
                except ClientError:
                    pass
                try:
                    s3.delete_object(Bucket=name, Key=v["Key"], VersionId=v["VersionId"], BypassGovernanceRetention=True)
                except ClientError:
                    pass
        s3.delete_bucket(Bucket=name)
    except ClientError:
        pass


def in_seconds(seconds):
    return dt.datetime.now(dt.timezone.utc) + dt.timedelta(seconds=seconds)


def test_lock_enabled_bucket_is_versioned(s3, locked_bucket):
    assert s3.get_bucket_versioning(Bucket=locked_bucket)["Status"] == "Enabled"
    conf = s3.get_object_lock_configuration(Bucket=locked_bucket)["ObjectLockConfiguration"]
    assert conf["ObjectLockEnabled"] == "Enabled"
    with pytest.raises(ClientError) as e:
        s3.put_bucket_versioning(Bucket=locked_bucket, VersioningConfiguration={"Status": "Suspended"})
    assert code(e) == ("InvalidBucketState", 409)


def test_plain_bucket_has_no_lock_configuration(s3, bucket):
    with pytest.raises(ClientError) as e:
        s3.get_object_lock_configuration(Bucket=bucket)
    assert code(e) == ("ObjectLockConfigurationNotFoundError", 404)
    with pytest.raises(ClientError) as e:
        s3.put_object(Bucket=bucket, Key="k", Body=b"x", ObjectLockMode="GOVERNANCE", ObjectLockRetainUntilDate=in_seconds(60))
    assert code(e)[1] == 400


def test_governance_retention_refuses_delete_unless_bypassed(s3, locked_bucket):
    v = s3.put_object(Bucket=locked_bucket, Key="doc", Body=b"v1", ObjectLockMode="GOVERNANCE",
                      ObjectLockRetainUntilDate=in_seconds(3600))["VersionId"]
    head = s3.head_object(Bucket=locked_bucket, Key="doc")
    assert head["ObjectLockMode"] == "GOVERNANCE"
    assert s3.get_object_retention(Bucket=locked_bucket, Key="doc")["Retention"]["Mode"] == "GOVERNANCE"
    with pytest.raises(ClientError) as e:
        s3.delete_object(Bucket=locked_bucket, Key="doc", VersionId=v)
    assert code(e) == ("AccessDenied", 403)
    # A plain delete only adds a delete marker: allowed.
    assert s3.delete_object(Bucket=locked_bucket, Key="doc")["DeleteMarker"] is True
    # Shortening governance needs bypass.
    with pytest.raises(ClientError) as e:
        s3.put_object_retention(Bucket=locked_bucket, Key="doc", VersionId=v,
                                Retention={"Mode": "GOVERNANCE", "RetainUntilDate": in_seconds(60)})
    assert code(e) == ("AccessDenied", 403)
    s3.put_object_retention(Bucket=locked_bucket, Key="doc", VersionId=v, BypassGovernanceRetention=True,
                            Retention={"Mode": "GOVERNANCE", "RetainUntilDate": in_seconds(60)})
    s3.delete_object(Bucket=locked_bucket, Key="doc", VersionId=v, BypassGovernanceRetention=True)
    versions = s3.list_object_versions(Bucket=locked_bucket, Prefix="doc").get("Versions", [])
    assert all(x["VersionId"] != v for x in versions)


def test_compliance_cannot_be_bypassed_or_shortened(s3, locked_bucket):
    v = s3.put_object(Bucket=locked_bucket, Key="c", Body=b"x", ObjectLockMode="COMPLIANCE",
                      ObjectLockRetainUntilDate=in_seconds(2))["VersionId"]
    with pytest.raises(ClientError) as e:
        s3.delete_object(Bucket=locked_bucket, Key="c", VersionId=v, BypassGovernanceRetention=True)
    assert code(e) == ("AccessDenied", 403)
    with pytest.raises(ClientError) as e:
        s3.put_object_retention(Bucket=locked_bucket, Key="c", VersionId=v, BypassGovernanceRetention=True,
                                Retention={"Mode": "GOVERNANCE", "RetainUntilDate": in_seconds(1)})
    assert code(e) == ("AccessDenied", 403)
    # Extending is always allowed.
    s3.put_object_retention(Bucket=locked_bucket, Key="c", VersionId=v,
                            Retention={"Mode": "COMPLIANCE", "RetainUntilDate": in_seconds(3)})


def test_legal_hold_blocks_even_with_bypass(s3, locked_bucket):
    v = s3.put_object(Bucket=locked_bucket, Key="held", Body=b"x", ObjectLockLegalHoldStatus="ON")["VersionId"]
    assert s3.get_object_legal_hold(Bucket=locked_bucket, Key="held")["LegalHold"]["Status"] == "ON"
    with pytest.raises(ClientError) as e:
        s3.delete_object(Bucket=locked_bucket, Key="held", VersionId=v, BypassGovernanceRetention=True)
    assert code(e) == ("AccessDenied", 403)
    s3.put_object_legal_hold(Bucket=locked_bucket, Key="held", VersionId=v, LegalHold={"Status": "OFF"})
    s3.delete_object(Bucket=locked_bucket, Key="held", VersionId=v)


def test_default_retention_applies_to_new_versions(s3, locked_bucket):
    s3.put_object_lock_configuration(Bucket=locked_bucket, ObjectLockConfiguration={
        "ObjectLockEnabled": "Enabled", "Rule": {"DefaultRetention": {"Mode": "GOVERNANCE", "Days": 1}}})
    rule = s3.get_object_lock_configuration(Bucket=locked_bucket)["ObjectLockConfiguration"]["Rule"]["DefaultRetention"]
    assert rule == {"Mode": "GOVERNANCE", "Days": 1}
    v = s3.put_object(Bucket=locked_bucket, Key="d", Body=b"x")["VersionId"]
    retention = s3.get_object_retention(Bucket=locked_bucket, Key="d", VersionId=v)["Retention"]
    assert retention["Mode"] == "GOVERNANCE"
    assert retention["RetainUntilDate"] > in_seconds(86400 - 120)
    result = s3.delete_objects(Bucket=locked_bucket, Delete={"Objects": [{"Key": "d", "VersionId": v}]})
    assert result["Errors"][0]["Code"] == "AccessDenied"
