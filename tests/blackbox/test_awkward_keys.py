"""Awkward object keys: each must PUT -> LIST -> GET -> COPY -> DELETE exactly,
with boto3 and with the aws CLI."""

import json
import os
import unicodedata

import pytest

from helpers import expect_error, object_path

AWKWARD_KEYS = [
    "with space",
    "  leading and trailing spaces  ",
    "per%cent",
    "100%",
    "plus+sign",
    "literal%2Bplus",
    "%20literal-encoded-space",
    "café",
    "日本/キー.txt",
    "emoji😀/🎉",
    "../x",
    "./x",
    "a/../b",
    "a//b",
    "trailing/",
    "question?mark",
    "hash#tag",
    "amp&and",
    "eq=al",
    "/leading-slash",
    "//double-leading",
    "semi;colon,comma",
    "tilde~star*",
    "quote'dq\"",
    "back\\slash",
    "brackets[]{}()",
    "caret^pipe|`grave",
    "<angle>",
    "dollar$at@bang!",
    "tab\there",
    "x-amz-meta-looking",
    "?list-type=2",
    "a/b/c/d/e/f/g/h/i/j/k/l/m/n/o/p",
]

ids = [f"k{i}" for i in range(len(AWKWARD_KEYS))]


@pytest.mark.parametrize("key", AWKWARD_KEYS, ids=ids)
def test_awkward_key_roundtrip_boto3(s3, bucket, key):
    body = ("body of " + key).encode()
    s3.put_object(Bucket=bucket, Key=key, Body=body)
    # LIST: exact key, both list versions (boto3 uses encoding-type=url and decodes)
    assert [o["Key"] for o in s3.list_objects_v2(Bucket=bucket)["Contents"]] == [key]
    assert [o["Key"] for o in s3.list_objects(Bucket=bucket)["Contents"]] == [key]
    assert [o["Key"] for o in s3.list_objects_v2(Bucket=bucket, Prefix=key)["Contents"]] == [key]
    # GET / HEAD
    assert s3.get_object(Bucket=bucket, Key=key)["Body"].read() == body
    assert s3.head_object(Bucket=bucket, Key=key)["ContentLength"] == len(body)
    # COPY to an awkward destination and back
    dst = key + ".copy"
    s3.copy_object(Bucket=bucket, Key=dst, CopySource={"Bucket": bucket, "Key": key})
    assert s3.get_object(Bucket=bucket, Key=dst)["Body"].read() == body
    assert sorted(o["Key"] for o in s3.list_objects_v2(Bucket=bucket)["Contents"]) == sorted([key, dst])
    # DELETE
    s3.delete_object(Bucket=bucket, Key=key)
    s3.delete_object(Bucket=bucket, Key=dst)
    expect_error(s3.head_object, "404", 404, Bucket=bucket, Key=key)
    assert s3.list_objects_v2(Bucket=bucket)["KeyCount"] == 0


def test_awkward_keys_are_distinct_objects(s3, bucket):
    # keys that a sloppy server might normalise onto each other
    groups = [
        "a//b", "a/b", "a/./b", "a/../b", "b",
        "x%20y", "x y", "x+y",
        "/lead", "lead",
        "trail/", "trail",
        unicodedata.normalize("NFC", "é"), unicodedata.normalize("NFD", "é"),
        "Case", "case",
    ]
    assert len(set(groups)) == len(groups)
    for i, k in enumerate(groups):
        s3.put_object(Bucket=bucket, Key=k, Body=str(i).encode())
    for i, k in enumerate(groups):
        assert s3.get_object(Bucket=bucket, Key=k)["Body"].read() == str(i).encode(), k
    listed = [o["Key"] for o in s3.list_objects_v2(Bucket=bucket)["Contents"]]
    assert listed == sorted(groups, key=lambda s: s.encode())


def test_nfc_and_nfd_keys_stay_byte_exact(s3, bucket):
    nfd = unicodedata.normalize("NFD", "résumé")
    s3.put_object(Bucket=bucket, Key=nfd, Body=b"nfd")
    listed = [o["Key"] for o in s3.list_objects_v2(Bucket=bucket)["Contents"]]
    assert [k.encode() for k in listed] == [nfd.encode()]
    expect_error(s3.head_object, "404", 404, Bucket=bucket,
                 Key=unicodedata.normalize("NFC", "résumé"))


def test_key_1024_bytes_ok_and_1025_too_long(s3, bucket):
    ok = "k" * 1024
    s3.put_object(Bucket=bucket, Key=ok, Body=b"max")
    assert s3.get_object(Bucket=bucket, Key=ok)["Body"].read() == b"max"
    assert [o["Key"] for o in s3.list_objects_v2(Bucket=bucket)["Contents"]] == [ok]
    expect_error(s3.put_object, "KeyTooLongError", 400, Bucket=bucket, Key="k" * 1025, Body=b"x")


def test_key_length_is_measured_in_utf8_bytes(s3, bucket):
    ok = "é" * 512            # 1024 bytes
    s3.put_object(Bucket=bucket, Key=ok, Body=b"x")
    assert s3.head_object(Bucket=bucket, Key=ok)["ContentLength"] == 1
    expect_error(s3.put_object, "KeyTooLongError", 400, Bucket=bucket, Key="é" * 512 + "a", Body=b"x")
    expect_error(s3.put_object, "KeyTooLongError", 400, Bucket=bucket, Key="😀" * 257, Body=b"x")


def test_copy_to_too_long_key_is_rejected(s3, bucket):
    s3.put_object(Bucket=bucket, Key="src", Body=b"x")
    expect_error(s3.copy_object, "KeyTooLongError", 400, Bucket=bucket, Key="d" * 1025,
                 CopySource={"Bucket": bucket, "Key": "src"})


def test_raw_path_keys_are_not_normalised(signer, s3, bucket):
    # send dot segments and double slashes on the wire; the server must not resolve them
    for key in ["../escape", "a/../b", "a//b", "./c"]:
        r = signer.request("PUT", object_path(bucket, key), body=key.encode())
        assert r.status == 200, (key, r)
    listed = sorted(o["Key"] for o in s3.list_objects_v2(Bucket=bucket)["Contents"])
    assert listed == sorted(["../escape", "a/../b", "a//b", "./c"])


# ---- aws CLI -----------------------------------------------------------------

CLI_KEYS = ["with space", "plus+sign", "literal%2Bplus", "café 日本", "emoji😀", "../x",
            "a//b", "trailing/", "question?mark", "hash#tag", "amp&and=eq", "/leading-slash",
            "tilde~star*"]


@pytest.mark.parametrize("key", CLI_KEYS, ids=[f"cli{i}" for i in range(len(CLI_KEYS))])
def test_awkward_key_roundtrip_aws_cli(aws_cli, s3, bucket, tmp_path, key):
    src = tmp_path / "src.bin"
    body = ("cli body " + key).encode() + os.urandom(64)
    src.write_bytes(body)
    aws_cli("s3api", "put-object", "--bucket", bucket, "--key", key, "--body", str(src))
    listed = json.loads(aws_cli("s3api", "list-objects-v2", "--bucket", bucket,
                                "--output", "json").stdout)
    assert [o["Key"] for o in listed["Contents"]] == [key]
    out = tmp_path / "out.bin"
    aws_cli("s3api", "get-object", "--bucket", bucket, "--key", key, str(out))
    assert out.read_bytes() == body
    aws_cli("s3api", "copy-object", "--bucket", bucket, "--key", key + ".copy",
            "--copy-source", f"{bucket}/{key}")
    assert s3.get_object(Bucket=bucket, Key=key + ".copy")["Body"].read() == body
    aws_cli("s3api", "delete-object", "--bucket", bucket, "--key", key)
    aws_cli("s3api", "delete-object", "--bucket", bucket, "--key", key + ".copy")
    assert s3.list_objects_v2(Bucket=bucket)["KeyCount"] == 0


def test_awkward_filenames_aws_s3_cp_recursive(aws_cli, s3, bucket, tmp_path):
    names = ["with space.txt", "plus+sign.txt", "pct%41.txt", "café.txt", "日本.txt", "emoji😀.txt",
             "q?.txt", "h#.txt", "a&b=c.txt", "sub dir/inner+1.txt"]
    up = tmp_path / "up"
    for i, n in enumerate(names):
        p = up / n
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_bytes(f"file {i}".encode())
    aws_cli("s3", "cp", "--recursive", str(up), f"s3://{bucket}/pre fix/")
    listed = sorted(o["Key"] for o in s3.list_objects_v2(Bucket=bucket)["Contents"])
    assert listed == sorted("pre fix/" + n for n in names)
    ls = aws_cli("s3", "ls", "--recursive", f"s3://{bucket}/").stdout.decode()
    for n in names:
        assert ("pre fix/" + n) in ls, (n, ls)
    down = tmp_path / "down"
    aws_cli("s3", "cp", "--recursive", f"s3://{bucket}/pre fix/", str(down))
    for i, n in enumerate(names):
        assert (down / n).read_bytes() == f"file {i}".encode(), n
    aws_cli("s3", "rm", "--recursive", f"s3://{bucket}/pre fix/")
    assert s3.list_objects_v2(Bucket=bucket)["KeyCount"] == 0
