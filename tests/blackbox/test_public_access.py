"""Block Public Access: Put/Get/DeletePublicAccessBlock, the default for new buckets, the server-wide
modes (`--public-access-block new-buckets|enforce|off`), and each of the four settings doing exactly
what AWS says it does."""

import json

import pytest
from botocore.exceptions import ClientError

import helpers as h
from conftest import empty_and_delete_bucket, make_client, start_server, unique_bucket_name
from helpers import expect_error

ALL = {"BlockPublicAcls": True, "IgnorePublicAcls": True, "BlockPublicPolicy": True, "RestrictPublicBuckets": True}
NONE = {k: False for k in ALL}


def public_policy(bucket):
    return json.dumps({"Version": "2012-10-17", "Statement": [{
        "Effect": "Allow", "Principal": "*", "Action": "s3:GetObject", "Resource": f"arn:aws:s3:::{bucket}/*"}]})


def user_policy(bucket, name):
    return json.dumps({"Version": "2012-10-17", "Statement": [{
        "Effect": "Allow", "Principal": {"AWS": f"arn:aws:iam::magpie:user/{name}"}, "Action": "s3:GetObject",
        "Resource": f"arn:aws:s3:::{bucket}/*"}]})


def settings(**changes):
    return {**NONE, **changes}


def test_new_buckets_block_all_public_access(s3, bucket):
    assert s3.get_public_access_block(Bucket=bucket)["PublicAccessBlockConfiguration"] == ALL
    expect_error(s3.put_bucket_policy, "AccessDenied", 403, Bucket=bucket, Policy=public_policy(bucket))
    expect_error(s3.get_bucket_policy, "NoSuchBucketPolicy", 404, Bucket=bucket)


def test_round_trip_and_delete(s3, bucket):
    s3.put_public_access_block(Bucket=bucket, PublicAccessBlockConfiguration=settings(BlockPublicPolicy=True))
    assert s3.get_public_access_block(Bucket=bucket)["PublicAccessBlockConfiguration"] == settings(BlockPublicPolicy=True)
    s3.delete_public_access_block(Bucket=bucket)
    expect_error(s3.get_public_access_block, "NoSuchPublicAccessBlockConfiguration", 404, Bucket=bucket)
    expect_error(s3.get_public_access_block, "NoSuchBucket", 404, Bucket=unique_bucket_name("none"))


def test_block_public_policy_refuses_only_public_policies(s3, bucket, new_user):
    user = new_user("reader")
    s3.put_public_access_block(Bucket=bucket, PublicAccessBlockConfiguration=settings(BlockPublicPolicy=True))
    expect_error(s3.put_bucket_policy, "AccessDenied", 403, Bucket=bucket, Policy=public_policy(bucket))
    s3.put_bucket_policy(Bucket=bucket, Policy=user_policy(bucket, user.name))  # names one user: not public
    s3.put_public_access_block(Bucket=bucket, PublicAccessBlockConfiguration=NONE)
    s3.put_bucket_policy(Bucket=bucket, Policy=public_policy(bucket))


def test_restrict_public_buckets_neutralises_a_stored_public_policy(s3, bucket, anon, new_user):
    s3.put_public_access_block(Bucket=bucket, PublicAccessBlockConfiguration=NONE)
    s3.put_object(Bucket=bucket, Key="k", Body=b"v")
    s3.put_bucket_policy(Bucket=bucket, Policy=public_policy(bucket))
    assert anon.get_object(Bucket=bucket, Key="k")["Body"].read() == b"v"
    s3.put_public_access_block(Bucket=bucket, PublicAccessBlockConfiguration=settings(RestrictPublicBuckets=True))
    expect_error(anon.get_object, "AccessDenied", 403, Bucket=bucket, Key="k")
    expect_error(new_user("x").client.get_object, "AccessDenied", 403, Bucket=bucket, Key="k")
    s3.delete_public_access_block(Bucket=bucket)
    assert anon.get_object(Bucket=bucket, Key="k")["Body"].read() == b"v"


@pytest.fixture
def acl_bucket(new_user):
    """A bucket whose owner enabled ACLs (ObjectWriter) and removed Block Public Access."""
    owner = new_user("acl")
    name = unique_bucket_name("acl")
    owner.client.create_bucket(Bucket=name, ObjectOwnership="ObjectWriter")
    owner.client.delete_public_access_block(Bucket=name)
    yield owner, name
    empty_and_delete_bucket(owner.client, name)


def test_block_public_acls_refuses_public_acls(acl_bucket):
    owner, b = acl_bucket
    owner.client.put_public_access_block(Bucket=b, PublicAccessBlockConfiguration=settings(BlockPublicAcls=True))
    expect_error(owner.client.put_object, "AccessDenied", 403, Bucket=b, Key="k", Body=b"v", ACL="public-read")
    expect_error(owner.client.head_object, "404", 404, Bucket=b, Key="k")  # the refused PUT wrote nothing
    expect_error(owner.client.put_bucket_acl, "AccessDenied", 403, Bucket=b, ACL="public-read")
    owner.client.put_object(Bucket=b, Key="k", Body=b"v", ACL="private")
    expect_error(owner.client.put_object_acl, "AccessDenied", 403, Bucket=b, Key="k", ACL="authenticated-read")


def test_ignore_public_acls_ignores_existing_grants(acl_bucket, anon):
    owner, b = acl_bucket
    owner.client.put_object(Bucket=b, Key="k", Body=b"v", ACL="public-read")
    assert anon.get_object(Bucket=b, Key="k")["Body"].read() == b"v"
    owner.client.put_public_access_block(Bucket=b, PublicAccessBlockConfiguration=settings(IgnorePublicAcls=True))
    expect_error(anon.get_object, "AccessDenied", 403, Bucket=b, Key="k")
    owner.client.put_public_access_block(Bucket=b, PublicAccessBlockConfiguration=NONE)
    assert anon.get_object(Bucket=b, Key="k")["Body"].read() == b"v"


def test_others_may_not_change_the_block(s3, bucket, new_user):
    expect_error(new_user("x").client.delete_public_access_block, "AccessDenied", 403, Bucket=bucket)
    assert s3.get_public_access_block(Bucket=bucket)["PublicAccessBlockConfiguration"] == ALL


@pytest.mark.parametrize("body", [
    b"<PublicAccessBlockConfiguration><BlockPublicAcls>maybe</BlockPublicAcls></PublicAccessBlockConfiguration>",
    b"<PublicAccessBlockConfiguration><Bogus>true</Bogus></PublicAccessBlockConfiguration>",
    b"<NotTheRightRoot/>",
    b"<PublicAccessBlockConfiguration>",
])
def test_malformed_configuration_changes_nothing(s3, bucket, signer, body):
    r = signer.request("PUT", f"/{bucket}", query=[("publicAccessBlock", None)], body=body,
                       headers={"Content-MD5": h.md5_b64(body)})
    assert r.status == 400 and r.error["Code"] == "MalformedXML", r
    assert s3.get_public_access_block(Bucket=bucket)["PublicAccessBlockConfiguration"] == ALL


def _server(tmp_path_factory, mode):
    base = tmp_path_factory.mktemp(f"pab-{mode}")
    return start_server(base / "data", base / "logs", extra_env={"MAGPIE_PUBLIC_ACCESS_BLOCK": mode})


def test_server_mode_off_creates_open_buckets(tmp_path_factory):
    srv = _server(tmp_path_factory, "off")
    try:
        c = srv.client()
        c.create_bucket(Bucket="open-by-default")
        expect_error(c.get_public_access_block, "NoSuchPublicAccessBlockConfiguration", 404, Bucket="open-by-default")
        c.put_bucket_policy(Bucket="open-by-default", Policy=public_policy("open-by-default"))
    finally:
        srv.stop()


def test_server_mode_enforce_overrides_every_bucket(tmp_path_factory):
    srv = _server(tmp_path_factory, "enforce")
    try:
        c = srv.client()
        c.create_bucket(Bucket="locked", ObjectOwnership="ObjectWriter")
        c.delete_public_access_block(Bucket="locked")
        expect_error(c.put_bucket_policy, "AccessDenied", 403, Bucket="locked", Policy=public_policy("locked"))
        expect_error(c.put_bucket_acl, "AccessDenied", 403, Bucket="locked", ACL="public-read")
    finally:
        srv.stop()


def test_unknown_server_mode_is_refused(tmp_path):
    from conftest import run_magpie
    p = run_magpie(["serve", "--public-access-block", "sometimes", "--data-dir", str(tmp_path / "d"),
                    "--port", "0"], {"MAGPIE_ROOT_ACCESS_KEY": "ROOTKEYXYZ", "MAGPIE_ROOT_SECRET_KEY": "secret-secret-1"},
                   check=False, timeout=30)
    assert p.returncode != 0
    assert b"public-access-block" in p.stderr
