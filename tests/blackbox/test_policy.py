"""Bucket policies: Put/Get/DeleteBucketPolicy, GetBucketPolicyStatus, and their evaluation on every
request — anonymous, the owner and another user; Allow, explicit Deny, conditions; malformed policies."""

import json
import pytest
from botocore.exceptions import ClientError

import helpers as h
from conftest import empty_and_delete_bucket, unique_bucket_name
from helpers import expect_error


def arn(bucket, key=None):
    return f"arn:aws:s3:::{bucket}" + (f"/{key}" if key is not None else "")


def user_arn(name):
    return f"arn:aws:iam::magpie:user/{name}"


def policy(*statements):
    return json.dumps({"Version": "2012-10-17", "Statement": list(statements)})


def allow(principal, actions, resources, condition=None, effect="Allow"):
    statement = {"Effect": effect, "Principal": principal, "Action": actions, "Resource": resources}
    if condition:
        statement["Condition"] = condition
    return statement


@pytest.fixture
def people(new_user):
    """The owner (a user who owns the bucket), another user, and a bucket with Block Public Access removed."""
    owner, other = new_user("owner"), new_user("other")
    bucket = unique_bucket_name("pol")
    owner.client.create_bucket(Bucket=bucket)
    owner.client.delete_public_access_block(Bucket=bucket)
    for key in ("public/a.txt", "private/b.txt", "tmp/c.txt"):
        owner.client.put_object(Bucket=bucket, Key=key, Body=key.encode())
    yield owner, other, bucket
    try:
        owner.client.delete_bucket_policy(Bucket=bucket)
    except ClientError:
        pass
    empty_and_delete_bucket(owner.client, bucket)


def outcome(fn, **kwargs):
    """'ok' or the S3 error code (HEAD errors are bare status codes)."""
    try:
        fn(**kwargs)
        return "ok"
    except ClientError as e:
        return e.response["Error"]["Code"]


def run_matrix(clients, bucket, expected):
    """expected: {(who, op): outcome}; every combination is run and all mismatches reported at once."""
    ops = {
        "get": lambda c: outcome(c.get_object, Bucket=bucket, Key="public/a.txt"),
        "get-private": lambda c: outcome(c.get_object, Bucket=bucket, Key="private/b.txt"),
        "head": lambda c: outcome(c.head_object, Bucket=bucket, Key="public/a.txt"),
        "list": lambda c: outcome(c.list_objects_v2, Bucket=bucket),
        "list-public": lambda c: outcome(c.list_objects_v2, Bucket=bucket, Prefix="public/"),
        "put": lambda c: outcome(c.put_object, Bucket=bucket, Key="public/new.txt", Body=b"n"),
        "delete": lambda c: outcome(c.delete_object, Bucket=bucket, Key="tmp/c.txt"),
    }
    got = {(who, op): ops[op](clients[who]) for (who, op) in expected}
    mismatches = {k: (got[k], v) for k, v in expected.items() if got[k] != v}
    assert not mismatches, f"(got, expected): {mismatches}"


D, OK, H403 = "AccessDenied", "ok", "403"

MATRIX = {
    "no-policy": (lambda b, owner, other: None, {
        ("owner", "get"): OK, ("owner", "list"): OK, ("owner", "put"): OK,
        ("other", "get"): D, ("other", "list"): D, ("other", "put"): D, ("other", "head"): H403,
        ("anon", "get"): D, ("anon", "head"): H403, ("anon", "list"): D, ("anon", "put"): D,
        ("anon", "delete"): D,
    }),
    "public-read": (lambda b, owner, other: policy(allow("*", "s3:GetObject", arn(b, "*"))), {
        ("owner", "get"): OK, ("owner", "put"): OK,
        ("anon", "get"): OK, ("anon", "get-private"): OK, ("anon", "head"): OK, ("anon", "list"): D,
        ("anon", "put"): D, ("anon", "delete"): D,
        ("other", "get"): OK, ("other", "list"): D, ("other", "put"): D,
    }),
    "public-prefix-and-listing": (lambda b, owner, other: policy(
        allow("*", "s3:GetObject", arn(b, "public/*")),
        allow("*", "s3:ListBucket", arn(b), {"StringLike": {"s3:prefix": "public/*"}})), {
        ("anon", "get"): OK, ("anon", "get-private"): D, ("anon", "list"): D,
        ("anon", "list-public"): OK, ("anon", "put"): D,
    }),
    "other-user-writes": (lambda b, owner, other: policy(
        allow({"AWS": [user_arn(other.name)]}, ["s3:PutObject", "s3:GetObject", "s3:DeleteObject"],
              arn(b, "*"))), {
        ("other", "get"): OK, ("other", "put"): OK, ("other", "delete"): OK, ("other", "list"): D,
        ("anon", "get"): D, ("anon", "put"): D,
    }),
    "explicit-deny-wins": (lambda b, owner, other: policy(
        allow("*", "s3:GetObject", arn(b, "*")),
        allow({"AWS": user_arn(other.name)}, "s3:GetObject", arn(b, "*"), effect="Deny"),
        allow("*", ["s3:PutObject", "s3:DeleteObject"], arn(b, "*"), effect="Deny")), {
        ("anon", "get"): OK, ("other", "get"): D, ("owner", "get"): OK,
        ("owner", "put"): D, ("owner", "delete"): D,
    }),
    "condition-source-ip-matches": (lambda b, owner, other: policy(
        allow("*", "s3:GetObject", arn(b, "*"), {"IpAddress": {"aws:SourceIp": "127.0.0.0/8"}})), {
        ("anon", "get"): OK, ("other", "get"): OK,
    }),
    "condition-source-ip-elsewhere": (lambda b, owner, other: policy(
        allow("*", "s3:GetObject", arn(b, "*"), {"IpAddress": {"aws:SourceIp": "192.0.2.0/24"}})), {
        ("anon", "get"): D, ("other", "get"): D, ("owner", "get"): OK,
    }),
    "condition-secure-transport": (lambda b, owner, other: policy(
        allow("*", "s3:GetObject", arn(b, "*"), {"Bool": {"aws:SecureTransport": "true"}})), {
        ("anon", "get"): D, ("owner", "get"): OK,
    }),
    "condition-username": (lambda b, owner, other: policy(
        allow("*", "s3:GetObject", arn(b, "*"), {"StringEquals": {"aws:username": other.name}})), {
        ("other", "get"): OK, ("anon", "get"): D,
    }),
    "access-key-principal-not-action": (lambda b, owner, other: policy(
        allow({"AWS": other.creds.access_key}, "s3:*", [arn(b), arn(b, "*")]),
        {"Effect": "Deny", "Principal": {"AWS": other.creds.access_key},
         "NotAction": ["s3:GetObject", "s3:ListBucket"], "Resource": [arn(b), arn(b, "*")]}), {
        ("other", "get"): OK, ("other", "list"): OK, ("other", "put"): D, ("other", "delete"): D,
    }),
}


@pytest.mark.parametrize("name", list(MATRIX))
def test_policy_matrix(name, people, anon):
    owner, other, bucket = people
    make, expected = MATRIX[name]
    text = make(bucket, owner, other)
    if text:
        owner.client.put_bucket_policy(Bucket=bucket, Policy=text)
    run_matrix({"owner": owner.client, "other": other.client, "anon": anon}, bucket, expected)


def test_policy_round_trip_and_status(people, aws_cli):
    owner, other, bucket = people
    expect_error(owner.client.get_bucket_policy, "NoSuchBucketPolicy", 404, Bucket=bucket)
    expect_error(owner.client.get_bucket_policy_status, "NoSuchBucketPolicy", 404, Bucket=bucket)
    private = policy(allow({"AWS": user_arn(other.name)}, "s3:GetObject", arn(bucket, "*")))
    owner.client.put_bucket_policy(Bucket=bucket, Policy=private)
    assert json.loads(owner.client.get_bucket_policy(Bucket=bucket)["Policy"]) == json.loads(private)
    assert owner.client.get_bucket_policy_status(Bucket=bucket)["PolicyStatus"]["IsPublic"] is False
    public = policy(allow("*", "s3:GetObject", arn(bucket, "*")))
    owner.client.put_bucket_policy(Bucket=bucket, Policy=public)
    assert owner.client.get_bucket_policy_status(Bucket=bucket)["PolicyStatus"]["IsPublic"] is True
    # other users may not read or change the policy
    expect_error(other.client.get_bucket_policy, "AccessDenied", 403, Bucket=bucket)
    expect_error(other.client.delete_bucket_policy, "AccessDenied", 403, Bucket=bucket)
    owner.client.delete_bucket_policy(Bucket=bucket)
    expect_error(owner.client.get_bucket_policy, "NoSuchBucketPolicy", 404, Bucket=bucket)


def test_aws_cli_policy_commands(server, bucket, aws_cli, s3, tmp_path):
    s3.delete_public_access_block(Bucket=bucket)
    doc = tmp_path / "policy.json"
    doc.write_text(policy(allow("*", "s3:GetObject", arn(bucket, "*"))))
    aws_cli("s3api", "put-bucket-policy", "--bucket", bucket, "--policy", f"file://{doc}")
    out = json.loads(aws_cli("s3api", "get-bucket-policy-status", "--bucket", bucket).stdout)
    assert out["PolicyStatus"]["IsPublic"] is True
    got = json.loads(aws_cli("s3api", "get-bucket-policy", "--bucket", bucket).stdout)
    assert json.loads(got["Policy"])["Statement"][0]["Principal"] == "*"
    aws_cli("s3api", "delete-bucket-policy", "--bucket", bucket)
    p = aws_cli("s3api", "get-bucket-policy", "--bucket", bucket, check=False)
    assert p.returncode != 0 and b"NoSuchBucketPolicy" in p.stderr


def test_public_read_media_bucket_common_case(server, people, anon):
    """README's case: anonymous GET and HEAD work; anonymous LIST and PUT do not."""
    owner, _, bucket = people
    owner.client.put_bucket_policy(Bucket=bucket, Policy=policy(
        allow("*", "s3:GetObject", arn(bucket, "*"))))
    assert anon.get_object(Bucket=bucket, Key="public/a.txt")["Body"].read() == b"public/a.txt"
    assert anon.head_object(Bucket=bucket, Key="public/a.txt")["ContentLength"] == len(b"public/a.txt")
    expect_error(anon.list_objects_v2, "AccessDenied", 403, Bucket=bucket)
    expect_error(anon.put_object, "AccessDenied", 403, Bucket=bucket, Key="x", Body=b"x")
    # a missing key is 403, not 404, to someone who may not list the bucket (as S3 does)
    expect_error(anon.get_object, "AccessDenied", 403, Bucket=bucket, Key="public/missing")
    expect_error(owner.client.get_object, "NoSuchKey", 404, Bucket=bucket, Key="public/missing")
    # plain curl-style GET with no client at all
    r = h.http_request(server.host, server.port, "GET", h.object_path(bucket, "public/a.txt"))
    assert r.status == 200 and r.body == b"public/a.txt"


def test_policy_change_takes_effect_at_once(people, anon):
    owner, _, bucket = people
    owner.client.put_bucket_policy(Bucket=bucket, Policy=policy(allow("*", "s3:GetObject", arn(bucket, "*"))))
    assert anon.get_object(Bucket=bucket, Key="public/a.txt")["Body"].read() == b"public/a.txt"
    owner.client.put_bucket_policy(Bucket=bucket, Policy=policy(allow("*", "s3:GetObject", arn(bucket, "private/*"))))
    expect_error(anon.get_object, "AccessDenied", 403, Bucket=bucket, Key="public/a.txt")
    owner.client.delete_bucket_policy(Bucket=bucket)
    expect_error(anon.get_object, "AccessDenied", 403, Bucket=bucket, Key="private/b.txt")


def test_deny_binds_the_owner_who_can_still_remove_it(people):
    owner, _, bucket = people
    owner.client.put_bucket_policy(Bucket=bucket, Policy=policy(
        allow("*", "s3:*", [arn(bucket), arn(bucket, "*")], effect="Deny")))
    expect_error(owner.client.get_object, "AccessDenied", 403, Bucket=bucket, Key="public/a.txt")
    expect_error(owner.client.list_objects_v2, "AccessDenied", 403, Bucket=bucket)
    assert owner.client.get_bucket_policy(Bucket=bucket)["Policy"]
    owner.client.delete_bucket_policy(Bucket=bucket)
    assert owner.client.get_object(Bucket=bucket, Key="public/a.txt")["Body"].read() == b"public/a.txt"


def test_root_is_not_bound_by_policies(people, s3):
    owner, _, bucket = people
    owner.client.put_bucket_policy(Bucket=bucket, Policy=policy(
        allow("*", "s3:*", [arn(bucket), arn(bucket, "*")], effect="Deny")))
    assert s3.get_object(Bucket=bucket, Key="public/a.txt")["Body"].read() == b"public/a.txt"
    owner.client.delete_bucket_policy(Bucket=bucket)


def test_home_directories_with_policy_variables(people, new_user):
    owner, other, bucket = people
    owner.client.put_bucket_policy(Bucket=bucket, Policy=policy(
        allow({"AWS": [user_arn(other.name)]}, ["s3:GetObject", "s3:PutObject"],
              arn(bucket, "home/${aws:username}/*"))))
    other.client.put_object(Bucket=bucket, Key=f"home/{other.name}/notes.txt", Body=b"mine")
    assert other.client.get_object(Bucket=bucket, Key=f"home/{other.name}/notes.txt")["Body"].read() == b"mine"
    expect_error(other.client.put_object, "AccessDenied", 403, Bucket=bucket, Key="home/someone/x", Body=b"x")


def test_delete_objects_is_decided_per_key(people):
    owner, other, bucket = people
    owner.client.put_bucket_policy(Bucket=bucket, Policy=policy(
        allow({"AWS": user_arn(other.name)}, "s3:DeleteObject", arn(bucket, "tmp/*"))))
    out = other.client.delete_objects(Bucket=bucket, Delete={"Objects": [
        {"Key": "tmp/c.txt"}, {"Key": "private/b.txt"}]})
    assert [d["Key"] for d in out.get("Deleted", [])] == ["tmp/c.txt"]
    assert [(e["Key"], e["Code"]) for e in out.get("Errors", [])] == [("private/b.txt", "AccessDenied")]
    assert owner.client.get_object(Bucket=bucket, Key="private/b.txt")["Body"].read() == b"private/b.txt"


def test_copy_needs_read_on_the_source(people, new_user):
    owner, other, bucket = people
    mine = unique_bucket_name("dst")
    other.client.create_bucket(Bucket=mine)
    try:
        expect_error(other.client.copy_object, "AccessDenied", 403, Bucket=mine, Key="x",
                     CopySource={"Bucket": bucket, "Key": "public/a.txt"})
        owner.client.put_bucket_policy(Bucket=bucket, Policy=policy(
            allow({"AWS": user_arn(other.name)}, "s3:GetObject", arn(bucket, "public/*"))))
        other.client.copy_object(Bucket=mine, Key="x", CopySource={"Bucket": bucket, "Key": "public/a.txt"})
        assert other.client.get_object(Bucket=mine, Key="x")["Body"].read() == b"public/a.txt"
    finally:
        empty_and_delete_bucket(other.client, mine)


MALFORMED = [
    ("not json", "{\"Version\": \"2012-10-17\", \"Statement\": [", "This policy contains invalid Json"),
    ("first byte", "[]", "Policies must be valid JSON and the first byte must be '{'"),
    ("unknown action", None, "Policy has invalid action"),
    ("invalid ARN", None, "Policy has invalid resource"),
    ("other bucket", None, "Policy has invalid resource"),
    ("unknown user", None, "Invalid principal in policy"),
    ("action-resource mismatch", None, "Action does not apply to any resource(s) in statement"),
    ("missing principal", None, "Missing required field Principal"),
    ("bad condition operator", None, "Invalid Condition type : StringEqualsSometimes"),
]


def _malformed(name, bucket):
    if name == "unknown action":
        return policy(allow("*", "s3:GetObjekt", arn(bucket, "*")))
    if name == "invalid ARN":
        return policy(allow("*", "s3:GetObject", f"{bucket}/*"))
    if name == "other bucket":
        return policy(allow("*", "s3:GetObject", arn("some-other-bucket", "*")))
    if name == "unknown user":
        return policy(allow({"AWS": user_arn("nobody-by-this-name")}, "s3:GetObject", arn(bucket, "*")))
    if name == "action-resource mismatch":
        return policy(allow("*", "s3:GetObject", arn(bucket)))
    if name == "missing principal":
        return json.dumps({"Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": arn(bucket, "*")}]})
    if name == "bad condition operator":
        return policy(allow("*", "s3:GetObject", arn(bucket, "*"), {"StringEqualsSometimes": {"s3:prefix": "a"}}))
    raise AssertionError(name)


@pytest.mark.parametrize("name,text,message", MALFORMED, ids=[m[0] for m in MALFORMED])
def test_malformed_policy_changes_nothing(name, text, message, people, anon, signer):
    owner, other, bucket = people
    good = policy(allow("*", "s3:GetObject", arn(bucket, "public/*")))
    owner.client.put_bucket_policy(Bucket=bucket, Policy=good)
    text = text if text is not None else _malformed(name, bucket)
    # boto3 validates nothing in the document; send it as it is
    err = expect_error(owner.client.put_bucket_policy, "MalformedPolicy", 400, Bucket=bucket, Policy=text)
    assert err["Error"]["Message"] == message
    assert json.loads(owner.client.get_bucket_policy(Bucket=bucket)["Policy"]) == json.loads(good)
    assert anon.get_object(Bucket=bucket, Key="public/a.txt")["Body"].read() == b"public/a.txt"
    # the server keeps serving
    assert signer.request("GET", "/").status == 200


def test_existing_object_tag_condition(people, anon):
    owner, _, bucket = people
    owner.client.put_object(Bucket=bucket, Key="tagged", Body=b"t", Tagging="visibility=public")
    owner.client.put_object(Bucket=bucket, Key="untagged", Body=b"u")
    owner.client.put_bucket_policy(Bucket=bucket, Policy=policy(allow(
        "*", "s3:GetObject", arn(bucket, "*"), {"StringEquals": {"s3:ExistingObjectTag/visibility": "public"}})))
    assert anon.get_object(Bucket=bucket, Key="tagged")["Body"].read() == b"t"
    expect_error(anon.get_object, "AccessDenied", 403, Bucket=bucket, Key="untagged")
    owner.client.put_object_tagging(Bucket=bucket, Key="tagged", Tagging={"TagSet": []})
    expect_error(anon.get_object, "AccessDenied", 403, Bucket=bucket, Key="tagged")


def test_request_conditions_on_writes(people):
    """s3:x-amz-acl and s3:RequestObjectTag/<key> conditions on what a writer sends."""
    owner, other, bucket = people
    owner.client.put_bucket_policy(Bucket=bucket, Policy=policy(
        allow({"AWS": user_arn(other.name)}, ["s3:PutObject", "s3:PutObjectTagging"], arn(bucket, "*"),
              {"StringEquals": {"s3:RequestObjectTag/project": "magpie"}})))
    expect_error(other.client.put_object, "AccessDenied", 403, Bucket=bucket, Key="u1", Body=b"x")
    other.client.put_object(Bucket=bucket, Key="u2", Body=b"x", Tagging="project=magpie")
    assert owner.client.get_object_tagging(Bucket=bucket, Key="u2")["TagSet"] == [{"Key": "project", "Value": "magpie"}]


def test_expected_bucket_owner(people):
    owner, other, bucket = people
    assert owner.client.head_bucket(Bucket=bucket, ExpectedBucketOwner=owner.id)
    expect_error(owner.client.head_bucket, "403", 403, Bucket=bucket, ExpectedBucketOwner=other.id)
    expect_error(owner.client.get_object, "AccessDenied", 403, Bucket=bucket, Key="public/a.txt", ExpectedBucketOwner=other.id)
