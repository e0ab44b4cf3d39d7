"""Presigned URLs used with curl: boto3-generated and `magpie presign`."""

import hashlib
import os
import shutil
import subprocess

import pytest

from conftest import run_magpie

CURL = shutil.which("curl")


def curl(*args, data_file=None, timeout=60):
    if CURL is None:
        pytest.fail("curl not installed (run scripts/install-test-deps.sh)", pytrace=False)
    cmd = [CURL, "-sS", "-g", "-o", "-", "-w", "\n%{http_code}", *args]
    p = subprocess.run(cmd, capture_output=True, timeout=timeout)
    assert p.returncode == 0, p.stderr
    body, _, code = p.stdout.rpartition(b"\n")
    return int(code), body


@pytest.mark.parametrize("key", ["plain.txt", "dir/with space+plus%/é 日本.txt"])
def test_boto3_presigned_get_with_curl(s3, bucket, key):
    s3.put_object(Bucket=bucket, Key=key, Body=b"presigned content")
    url = s3.generate_presigned_url("get_object", Params={"Bucket": bucket, "Key": key},
                                    ExpiresIn=600)
    code, body = curl(url)
    assert code == 200, body
    assert body == b"presigned content"


def test_boto3_presigned_put_with_curl(s3, bucket, tmp_path):
    f = tmp_path / "up.bin"
    data = os.urandom(200_000)
    f.write_bytes(data)
    url = s3.generate_presigned_url("put_object", Params={"Bucket": bucket, "Key": "up/é.bin"},
                                    ExpiresIn=600)
    code, body = curl("-T", str(f), url)
    assert code == 200, body
    got = s3.get_object(Bucket=bucket, Key="up/é.bin")
    assert got["Body"].read() == data
    assert got["ETag"] == f'"{hashlib.md5(data).hexdigest()}"'


def test_presigned_get_cannot_be_used_for_put(s3, bucket, tmp_path):
    s3.put_object(Bucket=bucket, Key="k", Body=b"original")
    url = s3.generate_presigned_url("get_object", Params={"Bucket": bucket, "Key": "k"},
                                    ExpiresIn=600)
    f = tmp_path / "x"
    f.write_bytes(b"overwrite attempt")
    code, body = curl("-T", str(f), url)
    assert code == 403, body
    assert s3.get_object(Bucket=bucket, Key="k")["Body"].read() == b"original"


def test_presigned_head_with_curl(s3, bucket):
    s3.put_object(Bucket=bucket, Key="h", Body=b"12345")
    url = s3.generate_presigned_url("head_object", Params={"Bucket": bucket, "Key": "h"},
                                    ExpiresIn=600)
    p = subprocess.run([CURL or "curl", "-sS", "-I", "-g", url], capture_output=True, timeout=60)
    head = p.stdout.decode().lower()
    assert head.startswith("http/1.1 200"), head
    assert "content-length: 5" in head


def test_magpie_presign_get_with_curl(s3, bucket, magpie_cli):
    key = "cli/presigned é.txt"
    s3.put_object(Bucket=bucket, Key=key, Body=b"from magpie presign")
    p = magpie_cli("presign", "GET", f"s3://{bucket}/{key}", "--expires", "3600",
                   "--endpoint", s3.meta.endpoint_url)
    url = p.stdout.decode().strip().splitlines()[-1].strip()
    assert url.startswith(s3.meta.endpoint_url + "/"), url
    assert "X-Amz-Signature=" in url and "X-Amz-Expires=3600" in url, url
    code, body = curl(url)
    assert code == 200, body
    assert body == b"from magpie presign"


def test_magpie_presign_put_with_curl(s3, bucket, magpie_cli, tmp_path):
    p = magpie_cli("presign", "PUT", f"s3://{bucket}/cli/upload.bin", "--expires", "600",
                   "--endpoint", s3.meta.endpoint_url)
    url = p.stdout.decode().strip().splitlines()[-1].strip()
    data = os.urandom(10_000)
    f = tmp_path / "u"
    f.write_bytes(data)
    code, body = curl("-T", str(f), url)
    assert code == 200, body
    assert s3.get_object(Bucket=bucket, Key="cli/upload.bin")["Body"].read() == data


def test_magpie_presign_uses_aws_env_credentials(s3, bucket, server):
    # credentials from AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY: right ones work, a wrong secret => 403
    s3.put_object(Bucket=bucket, Key="k", Body=b"x")
    for secret, expected in ((server.secret_key, 200), (server.secret_key + "wrong", 403)):
        p = run_magpie(["presign", "GET", f"s3://{bucket}/k", "--expires", "600",
                        "--endpoint", server.endpoint],
                       {"AWS_ACCESS_KEY_ID": server.access_key, "AWS_SECRET_ACCESS_KEY": secret})
        url = p.stdout.decode().strip().splitlines()[-1].strip()
        assert f"X-Amz-Credential={server.access_key}%2F" in url, url
        code, body = curl(url)
        assert code == expected, body
