"""`magpie admin` users and keys, and per-user bucket ownership."""

import json
import uuid

import pytest

from conftest import make_client, run_magpie, unique_bucket_name, empty_and_delete_bucket
from helpers import Creds, expect_error


def _json(p):
    out = p.stdout.decode()
    try:
        return json.loads(out)
    except json.JSONDecodeError as e:
        raise AssertionError(f"not JSON: {out!r} (stderr {p.stderr.decode()!r})") from e


def _uname(prefix="user"):
    return f"{prefix}-{uuid.uuid4().hex[:10]}"


@pytest.fixture
def user(magpie_cli):
    """A fresh user with one key; yields (name, info, Creds)."""
    name = _uname()
    info = _json(magpie_cli("admin", "user", "create", name, "--email", f"{name}@example.com"))
    key = _json(magpie_cli("admin", "key", "create", "--user", name))
    yield name, info, Creds(key["accessKey"], key["secretKey"])


def test_user_create_prints_json(magpie_cli):
    name = _uname()
    info = _json(magpie_cli("admin", "user", "create", name, "--email", "x@example.com"))
    assert info["name"] == name
    assert info["canonicalId"]
    assert info["displayName"]
    assert info["email"] == "x@example.com"


def test_user_list_contains_created_user(magpie_cli, user):
    name, info, _ = user
    users = _json(magpie_cli("admin", "user", "list"))
    assert isinstance(users, list)
    mine = [u for u in users if u.get("name") == name]
    assert len(mine) == 1, users
    assert mine[0]["canonicalId"] == info["canonicalId"]


def test_duplicate_user_create_fails(magpie_cli, user):
    p = magpie_cli("admin", "user", "create", user[0], check=False)
    assert p.returncode != 0


def test_key_create_prints_json(magpie_cli, user):
    name = user[0]
    key = _json(magpie_cli("admin", "key", "create", "--user", name))
    assert key["user"] == name
    assert key["accessKey"] and key["secretKey"]
    assert key["accessKey"] != user[2].access_key


def test_key_create_with_explicit_values(magpie_cli, user, server):
    ak = "AKIA" + uuid.uuid4().hex[:16].upper()
    sk = "explicit/secret+" + uuid.uuid4().hex
    key = _json(magpie_cli("admin", "key", "create", "--user", user[0],
                           "--access-key", ak, "--secret-key", sk))
    assert key["accessKey"] == ak and key["secretKey"] == sk
    c = make_client(server.endpoint, Creds(ak, sk))
    assert "Buckets" in c.list_buckets()


def test_key_list(magpie_cli, user):
    name, _, creds = user
    listed = _json(magpie_cli("admin", "key", "list", "--user", name))
    assert isinstance(listed, list)
    assert creds.access_key in [k.get("accessKey") for k in listed]
    everyone = _json(magpie_cli("admin", "key", "list"))
    assert creds.access_key in [k.get("accessKey") for k in everyone]


def test_user_key_works_and_owner_is_user(server, user):
    name, info, creds = user
    c = make_client(server.endpoint, creds)
    resp = c.list_buckets()
    assert resp["Owner"]["ID"] == info["canonicalId"]
    assert resp["Owner"]["DisplayName"] == info["displayName"]


def test_second_user_cannot_access_first_users_bucket(server, magpie_cli, user):
    name1, info1, creds1 = user
    name2 = _uname("other")
    _json(magpie_cli("admin", "user", "create", name2))
    k2 = _json(magpie_cli("admin", "key", "create", "--user", name2))
    c1 = make_client(server.endpoint, creds1)
    c2 = make_client(server.endpoint, Creds(k2["accessKey"], k2["secretKey"]))
    b = unique_bucket_name("u1")
    c1.create_bucket(Bucket=b)
    try:
        c1.put_object(Bucket=b, Key="private", Body=b"user1 data")
        assert b in [x["Name"] for x in c1.list_buckets()["Buckets"]]
        assert b not in [x["Name"] for x in c2.list_buckets()["Buckets"]]
        expect_error(c2.get_object, "AccessDenied", 403, Bucket=b, Key="private")
        expect_error(c2.put_object, "AccessDenied", 403, Bucket=b, Key="intrude", Body=b"x")
        expect_error(c2.list_objects_v2, "AccessDenied", 403, Bucket=b)
        expect_error(c2.delete_object, "AccessDenied", 403, Bucket=b, Key="private")
        expect_error(c2.delete_bucket, "AccessDenied", 403, Bucket=b)
        expect_error(c2.head_bucket, "403", 403, Bucket=b)
        expect_error(c2.copy_object, "AccessDenied", 403, Bucket=b, Key="c",
                     CopySource={"Bucket": b, "Key": "private"})
        expect_error(c2.create_bucket, "BucketAlreadyExists", 409, Bucket=b)
        # the user's own data untouched
        assert c1.get_object(Bucket=b, Key="private")["Body"].read() == b"user1 data"
        keys = [o["Key"] for o in c1.list_objects_v2(Bucket=b).get("Contents", [])]
        assert keys == ["private"]
    finally:
        empty_and_delete_bucket(c1, b)


def test_users_cannot_copy_out_of_foreign_bucket(server, magpie_cli, user):
    _, _, creds1 = user
    name2 = _uname("thief")
    _json(magpie_cli("admin", "user", "create", name2))
    k2 = _json(magpie_cli("admin", "key", "create", "--user", name2))
    c1 = make_client(server.endpoint, creds1)
    c2 = make_client(server.endpoint, Creds(k2["accessKey"], k2["secretKey"]))
    b1, b2 = unique_bucket_name("v"), unique_bucket_name("t")
    c1.create_bucket(Bucket=b1)
    c2.create_bucket(Bucket=b2)
    try:
        c1.put_object(Bucket=b1, Key="secret", Body=b"s")
        expect_error(c2.copy_object, "AccessDenied", 403, Bucket=b2, Key="stolen",
                     CopySource={"Bucket": b1, "Key": "secret"})
        expect_error(c2.head_object, "404", 404, Bucket=b2, Key="stolen")
    finally:
        empty_and_delete_bucket(c1, b1)
        empty_and_delete_bucket(c2, b2)


def test_deleted_key_is_invalid_access_key_id(server, magpie_cli, user):
    name, _, _ = user
    k = _json(magpie_cli("admin", "key", "create", "--user", name))
    c = make_client(server.endpoint, Creds(k["accessKey"], k["secretKey"]))
    c.list_buckets()
    magpie_cli("admin", "key", "delete", k["accessKey"])
    expect_error(c.list_buckets, "InvalidAccessKeyId", 403)
    listed = _json(magpie_cli("admin", "key", "list", "--user", name))
    assert k["accessKey"] not in [x.get("accessKey") for x in listed]


def test_user_delete(server, magpie_cli):
    name = _uname("gone")
    _json(magpie_cli("admin", "user", "create", name))
    k = _json(magpie_cli("admin", "key", "create", "--user", name))
    magpie_cli("admin", "user", "delete", name)
    users = _json(magpie_cli("admin", "user", "list"))
    assert name not in [u.get("name") for u in users]
    c = make_client(server.endpoint, Creds(k["accessKey"], k["secretKey"]))
    expect_error(c.list_buckets, "InvalidAccessKeyId", 403)


def test_key_create_for_unknown_user_fails(magpie_cli):
    p = magpie_cli("admin", "key", "create", "--user", _uname("nobody"), check=False)
    assert p.returncode != 0


def test_admin_cli_with_wrong_root_credentials_fails(server):
    p = run_magpie(["admin", "user", "list", "--endpoint", server.endpoint],
                   {"MAGPIE_ROOT_ACCESS_KEY": server.access_key,
                    "MAGPIE_ROOT_SECRET_KEY": "definitely-wrong"}, check=False)
    assert p.returncode != 0


def test_admin_cli_endpoint_flag(server):
    p = run_magpie(["admin", "user", "list", "--endpoint", server.endpoint],
                   {"MAGPIE_ROOT_ACCESS_KEY": server.access_key,
                    "MAGPIE_ROOT_SECRET_KEY": server.secret_key})
    assert isinstance(_json(p), list)


def test_non_root_key_cannot_use_admin_api(server, user):
    _, _, creds = user
    p = run_magpie(["admin", "user", "list", "--endpoint", server.endpoint],
                   {"MAGPIE_ROOT_ACCESS_KEY": creds.access_key,
                    "MAGPIE_ROOT_SECRET_KEY": creds.secret_key}, check=False)
    assert p.returncode != 0
