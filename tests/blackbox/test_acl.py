"""ACLs and Object Ownership: canned ACLs on buckets and objects, grants (headers and
AccessControlPolicy XML), Get/Put Bucket/Object ACL, ownership controls (BucketOwnerEnforced disables
ACLs), evaluated together with policies."""

import pytest
from botocore.exceptions import ClientError

import helpers as h
from conftest import empty_and_delete_bucket, unique_bucket_name
from helpers import expect_error

ALL_USERS = "http://acs.amazonaws.com/groups/global/AllUsers"
AUTH_USERS = "http://acs.amazonaws.com/groups/global/AuthenticatedUsers"


def grants(acl):
    """{(grantee, permission)} with grantee an ID or a group URI."""
    out = set()
    for g in acl["Grants"]:
        grantee = g["Grantee"]
        out.add((grantee.get("ID") or grantee.get("URI"), g["Permission"]))
    return out


@pytest.fixture
def owner(new_user):
    return new_user("owner")


@pytest.fixture
def acl_bucket(owner):
    """A bucket with ACLs enabled (ObjectWriter) and no Block Public Access."""
    name = unique_bucket_name("acl")
    owner.client.create_bucket(Bucket=name, ObjectOwnership="ObjectWriter")
    owner.client.delete_public_access_block(Bucket=name)
    yield name
    empty_and_delete_bucket(owner.client, name)


@pytest.fixture
def enforced_bucket(owner):
    name = unique_bucket_name("enf")
    owner.client.create_bucket(Bucket=name)
    yield name
    empty_and_delete_bucket(owner.client, name)


def test_new_buckets_have_acls_disabled(owner, enforced_bucket):
    b = enforced_bucket
    rules = owner.client.get_bucket_ownership_controls(Bucket=b)["OwnershipControls"]["Rules"]
    assert rules == [{"ObjectOwnership": "BucketOwnerEnforced"}]
    acl = owner.client.get_bucket_acl(Bucket=b)
    assert acl["Owner"]["ID"] == owner.id and acl["Owner"]["DisplayName"] == owner.name
    assert grants(acl) == {(owner.id, "FULL_CONTROL")}
    expect_error(owner.client.put_object, "AccessControlListNotSupported", 400, Bucket=b, Key="k", Body=b"v", ACL="public-read")
    expect_error(owner.client.put_bucket_acl, "AccessControlListNotSupported", 400, Bucket=b, ACL="public-read")
    # no ACL, or bucket-owner-full-control, is what an ACL-disabled bucket accepts
    owner.client.put_object(Bucket=b, Key="k", Body=b"v")
    owner.client.put_object(Bucket=b, Key="k2", Body=b"v", ACL="bucket-owner-full-control")
    assert grants(owner.client.get_object_acl(Bucket=b, Key="k")) == {(owner.id, "FULL_CONTROL")}


def test_create_bucket_with_public_acl_needs_acls_enabled(owner):
    name = unique_bucket_name("cb")
    expect_error(owner.client.create_bucket, "InvalidBucketAclWithObjectOwnership", 400, Bucket=name, ACL="public-read")
    expect_error(owner.client.head_bucket, "404", 404, Bucket=name)


def test_public_read_object_acl(owner, acl_bucket, anon, new_user):
    b = acl_bucket
    owner.client.put_object(Bucket=b, Key="pic.jpg", Body=b"jpeg", ACL="public-read")
    owner.client.put_object(Bucket=b, Key="secret", Body=b"s")
    assert grants(owner.client.get_object_acl(Bucket=b, Key="pic.jpg")) == {(owner.id, "FULL_CONTROL"), (ALL_USERS, "READ")}
    assert anon.get_object(Bucket=b, Key="pic.jpg")["Body"].read() == b"jpeg"
    assert anon.head_object(Bucket=b, Key="pic.jpg")["ContentLength"] == 4
    expect_error(anon.get_object, "AccessDenied", 403, Bucket=b, Key="secret")
    expect_error(anon.list_objects_v2, "AccessDenied", 403, Bucket=b)
    expect_error(anon.put_object, "AccessDenied", 403, Bucket=b, Key="x", Body=b"x")
    expect_error(anon.get_object_acl, "AccessDenied", 403, Bucket=b, Key="pic.jpg")
    assert new_user("x").client.get_object(Bucket=b, Key="pic.jpg")["Body"].read() == b"jpeg"
    # PutObjectAcl changes it back
    owner.client.put_object_acl(Bucket=b, Key="pic.jpg", ACL="private")
    expect_error(anon.get_object, "AccessDenied", 403, Bucket=b, Key="pic.jpg")


def test_bucket_acls_grant_listing_and_writing(owner, acl_bucket, anon):
    b = acl_bucket
    owner.client.put_bucket_acl(Bucket=b, ACL="public-read")
    assert grants(owner.client.get_bucket_acl(Bucket=b)) == {(owner.id, "FULL_CONTROL"), (ALL_USERS, "READ")}
    assert anon.list_objects_v2(Bucket=b)["KeyCount"] == 0
    expect_error(anon.put_object, "AccessDenied", 403, Bucket=b, Key="x", Body=b"x")
    owner.client.put_bucket_acl(Bucket=b, ACL="public-read-write")
    anon.put_object(Bucket=b, Key="dropbox/x", Body=b"anonymous upload")
    # the writer owns it in an ObjectWriter bucket: S3's anonymous canonical id
    listed = owner.client.list_objects(Bucket=b)["Contents"]
    assert [o["Key"] for o in listed] == ["dropbox/x"]
    assert listed[0]["Owner"]["ID"] == "65a011a29cdf8ec533ec3d1ccaae921c"


def test_authenticated_read(owner, acl_bucket, anon, new_user):
    b = acl_bucket
    owner.client.put_object(Bucket=b, Key="k", Body=b"v", ACL="authenticated-read")
    assert new_user("y").client.get_object(Bucket=b, Key="k")["Body"].read() == b"v"
    expect_error(anon.get_object, "AccessDenied", 403, Bucket=b, Key="k")


def test_grant_headers_and_email(owner, acl_bucket, new_user):
    b, reader, writer = acl_bucket, new_user("reader"), new_user("writer")
    owner.client.put_object(Bucket=b, Key="k", Body=b"v", GrantRead=f'id="{reader.id}"')
    assert reader.client.get_object(Bucket=b, Key="k")["Body"].read() == b"v"
    expect_error(writer.client.get_object, "AccessDenied", 403, Bucket=b, Key="k")
    owner.client.put_bucket_acl(Bucket=b, GrantWrite=f'emailAddress="{writer.email}"',
                                GrantFullControl=f'id="{owner.id}"')
    writer.client.put_object(Bucket=b, Key="from-writer", Body=b"w")
    acl = owner.client.get_bucket_acl(Bucket=b)
    assert (writer.id, "WRITE") in grants(acl)
    expect_error(owner.client.put_bucket_acl, "UnresolvableGrantByEmailAddress", 400, Bucket=b,
                 GrantRead='emailAddress="nobody@nowhere.invalid"')
    expect_error(owner.client.put_object, "InvalidRequest", 400, Bucket=b, Key="z", Body=b"z", ACL="private",
                 GrantRead=f'id="{reader.id}"')


def test_access_control_policy_xml(owner, acl_bucket, new_user):
    b, reader = acl_bucket, new_user("xml")
    owner.client.put_object(Bucket=b, Key="k", Body=b"v")
    owner.client.put_object_acl(Bucket=b, Key="k", AccessControlPolicy={
        "Owner": {"ID": owner.id},
        "Grants": [
            {"Grantee": {"Type": "CanonicalUser", "ID": owner.id}, "Permission": "FULL_CONTROL"},
            {"Grantee": {"Type": "CanonicalUser", "ID": reader.id}, "Permission": "READ"},
            {"Grantee": {"Type": "CanonicalUser", "ID": reader.id}, "Permission": "READ_ACP"},
        ]})
    acl = reader.client.get_object_acl(Bucket=b, Key="k")
    assert grants(acl) == {(owner.id, "FULL_CONTROL"), (reader.id, "READ"), (reader.id, "READ_ACP")}
    assert reader.client.get_object(Bucket=b, Key="k")["Body"].read() == b"v"
    expect_error(reader.client.put_object_acl, "AccessDenied", 403, Bucket=b, Key="k", ACL="private")


def test_malformed_acls_change_nothing(owner, acl_bucket, signer, server):
    b = acl_bucket
    owner.client.put_object(Bucket=b, Key="k", Body=b"v", ACL="public-read")
    before = grants(owner.client.get_object_acl(Bucket=b, Key="k"))
    osigner = h.Signer(server.host, server.port, owner.creds)
    for body in [b"<AccessControlPolicy><AccessControlList><Grant><Grantee><ID>x</ID></Grantee>"
                 b"<Permission>EVERYTHING</Permission></Grant></AccessControlList></AccessControlPolicy>",
                 b"<AccessControlPolicy>", b"<Wrong/>"]:
        r = osigner.request("PUT", f"/{b}/k", query=[("acl", None)], body=body)
        assert r.status == 400 and r.error["Code"] == "MalformedACLError", r
    expect_error(owner.client.put_object_acl, "InvalidArgument", 400, Bucket=b, Key="k", ACL="world-writable")
    expect_error(owner.client.put_object_acl, "InvalidArgument", 400, Bucket=b, Key="k", GrantRead='id="0000"')
    assert grants(owner.client.get_object_acl(Bucket=b, Key="k")) == before


def test_ownership_controls(owner, acl_bucket, anon):
    b = acl_bucket
    assert owner.client.get_bucket_ownership_controls(Bucket=b)["OwnershipControls"]["Rules"] == [{"ObjectOwnership": "ObjectWriter"}]
    owner.client.put_bucket_acl(Bucket=b, ACL="public-read")
    # enforcing ownership needs a bucket ACL that grants nobody else anything
    expect_error(owner.client.put_bucket_ownership_controls, "InvalidBucketAclWithObjectOwnership", 400, Bucket=b,
                 OwnershipControls={"Rules": [{"ObjectOwnership": "BucketOwnerEnforced"}]})
    owner.client.put_object(Bucket=b, Key="k", Body=b"v", ACL="public-read")
    owner.client.put_bucket_acl(Bucket=b, ACL="private")
    owner.client.put_bucket_ownership_controls(Bucket=b, OwnershipControls={"Rules": [{"ObjectOwnership": "BucketOwnerEnforced"}]})
    # ACLs no longer take effect: the public-read object is private now
    expect_error(anon.get_object, "AccessDenied", 403, Bucket=b, Key="k")
    assert grants(owner.client.get_object_acl(Bucket=b, Key="k")) == {(owner.id, "FULL_CONTROL")}
    owner.client.delete_bucket_ownership_controls(Bucket=b)
    expect_error(owner.client.get_bucket_ownership_controls, "OwnershipControlsNotFoundError", 404, Bucket=b)
    assert anon.get_object(Bucket=b, Key="k")["Body"].read() == b"v"


def test_bucket_owner_preferred_takes_ownership(owner, new_user, anon):
    b, writer = unique_bucket_name("pref"), new_user("w")
    owner.client.create_bucket(Bucket=b, ObjectOwnership="BucketOwnerPreferred")
    try:
        owner.client.put_bucket_policy(Bucket=b, Policy=(
            '{"Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::magpie:user/%s"},'
            '"Action":["s3:PutObject","s3:PutObjectAcl"],"Resource":"arn:aws:s3:::%s/*"}]}' % (writer.name, b)))
        writer.client.put_object(Bucket=b, Key="given", Body=b"g", ACL="bucket-owner-full-control")
        writer.client.put_object(Bucket=b, Key="kept", Body=b"k")
        owners = {o["Key"]: o["Owner"]["ID"] for o in owner.client.list_objects(Bucket=b)["Contents"]}
        assert owners == {"given": owner.id, "kept": writer.id}
    finally:
        owner.client.delete_bucket_policy(Bucket=b)
        empty_and_delete_bucket(owner.client, b)


def test_copy_and_multipart_carry_their_own_acl(owner, acl_bucket, anon):
    b = acl_bucket
    owner.client.put_object(Bucket=b, Key="src", Body=b"source", ACL="public-read")
    owner.client.copy_object(Bucket=b, Key="copy-private", CopySource={"Bucket": b, "Key": "src"})
    expect_error(anon.get_object, "AccessDenied", 403, Bucket=b, Key="copy-private")
    owner.client.copy_object(Bucket=b, Key="copy-public", CopySource={"Bucket": b, "Key": "src"}, ACL="public-read")
    assert anon.get_object(Bucket=b, Key="copy-public")["Body"].read() == b"source"
    up = owner.client.create_multipart_upload(Bucket=b, Key="mp", ACL="public-read")
    part = owner.client.upload_part(Bucket=b, Key="mp", UploadId=up["UploadId"], PartNumber=1, Body=b"multi")
    owner.client.complete_multipart_upload(Bucket=b, Key="mp", UploadId=up["UploadId"], MultipartUpload={
        "Parts": [{"PartNumber": 1, "ETag": part["ETag"]}]})
    assert anon.get_object(Bucket=b, Key="mp")["Body"].read() == b"multi"


def test_acls_and_policies_together(owner, acl_bucket, anon):
    """A Deny in the policy beats a public-read ACL; an Allow in the policy adds to the ACL."""
    b = acl_bucket
    owner.client.put_object(Bucket=b, Key="open", Body=b"o", ACL="public-read")
    owner.client.put_object(Bucket=b, Key="closed", Body=b"c")
    owner.client.put_bucket_policy(Bucket=b, Policy=(
        '{"Statement":[{"Effect":"Deny","Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::%s/open"},'
        '{"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::%s/closed"}]}' % (b, b)))
    try:
        expect_error(anon.get_object, "AccessDenied", 403, Bucket=b, Key="open")
        assert anon.get_object(Bucket=b, Key="closed")["Body"].read() == b"c"
    finally:
        owner.client.delete_bucket_policy(Bucket=b)


def test_aws_cli_acl_commands(aws_cli, s3, tmp_path):
    b = unique_bucket_name("cli")
    aws_cli("s3api", "create-bucket", "--bucket", b, "--object-ownership", "ObjectWriter")
    try:
        aws_cli("s3api", "delete-public-access-block", "--bucket", b)
        (tmp_path / "f").write_bytes(b"cli")
        aws_cli("s3", "cp", str(tmp_path / "f"), f"s3://{b}/f", "--acl", "public-read")
        import json
        acl = json.loads(aws_cli("s3api", "get-object-acl", "--bucket", b, "--key", "f").stdout)
        assert {"URI": ALL_USERS, "Type": "Group"} in [g["Grantee"] for g in acl["Grants"]]
    finally:
        empty_and_delete_bucket(s3, b)


def test_anonymous_form_upload_into_a_public_write_bucket(server, owner, acl_bucket, anon):
    """POST without any signature is anonymous: allowed only where an ACL (or policy) lets everyone write;
    the form's `acl` field sets the new object's ACL."""
    import requests
    b = acl_bucket
    url = f"{server.endpoint}/{b}"
    refused = requests.post(url, data={"key": "drop/${filename}"}, files={"file": ("a.txt", b"anonymous form")}, timeout=30)
    assert refused.status_code == 403 and b"<Code>AccessDenied</Code>" in refused.content
    owner.client.put_bucket_acl(Bucket=b, ACL="public-read-write")
    done = requests.post(url, data={"key": "drop/${filename}", "acl": "public-read"},
                         files={"file": ("a.txt", b"anonymous form")}, timeout=30)
    assert done.status_code == 204, done.content
    assert anon.get_object(Bucket=b, Key="drop/a.txt")["Body"].read() == b"anonymous form"
    assert (ALL_USERS, "READ") in grants(owner.client.get_object_acl(Bucket=b, Key="drop/a.txt"))


def test_policy_can_require_an_acl_on_uploads(owner, new_user, enforced_bucket):
    """The classic cross-account rule: uploads must hand full control to the bucket owner."""
    b, writer = enforced_bucket, new_user("w")
    owner.client.put_bucket_policy(Bucket=b, Policy=(
        '{"Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::magpie:user/%s"},"Action":["s3:PutObject","s3:PutObjectAcl"],'
        '"Resource":"arn:aws:s3:::%s/*","Condition":{"StringEquals":{"s3:x-amz-acl":"bucket-owner-full-control"}}}]}' % (writer.name, b)))
    try:
        expect_error(writer.client.put_object, "AccessDenied", 403, Bucket=b, Key="k", Body=b"v")
        writer.client.put_object(Bucket=b, Key="k", Body=b"v", ACL="bucket-owner-full-control")
        assert owner.client.get_object(Bucket=b, Key="k")["Body"].read() == b"v"
    finally:
        owner.client.delete_bucket_policy(Bucket=b)
