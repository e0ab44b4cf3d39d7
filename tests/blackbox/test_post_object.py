"""Browser-style form uploads (POST Object) with both signature styles, as Python `requests` sends them."""
import hashlib
import json

import boto3
import pytest
import requests
from botocore.config import Config

from pathlib import Path

PHOTO = Path(__file__).resolve().parents[3] / "shared/testdata/photos/eveningglow2560.jpg"


def client(server, version):
    return boto3.client("s3", endpoint_url=server.endpoint, region_name="us-east-1", aws_access_key_id=server.access_key,
                        aws_secret_access_key=server.secret_key, config=Config(signature_version=version))


@pytest.mark.parametrize("version", ["s3v4", "s3"])
def test_form_upload_with_conditions(server, s3, bucket, version):
    c = client(server, version)
    post = c.generate_presigned_post(
        bucket, "uploads/${filename}",
        Fields={"Content-Type": "image/jpeg", "success_action_status": "201", "x-amz-meta-origin": "form"},
        Conditions=[["starts-with", "$Content-Type", "image/"], ["content-length-range", 1, 10_000_000],
                    {"success_action_status": "201"}, {"x-amz-meta-origin": "form"}],
        ExpiresIn=300)
    data = b"\xff\xd8" + b"jpeg-bytes" * 1000
    r = requests.post(post["url"], data=post["fields"], files={"file": ("My Photo.jpg", data)}, timeout=30)
    assert r.status_code == 201, r.text
    assert "<Key>uploads/My Photo.jpg</Key>" in r.text
    head = s3.head_object(Bucket=bucket, Key="uploads/My Photo.jpg")
    assert head["ContentType"] == "image/jpeg"
    assert head["Metadata"] == {"origin": "form"}
    assert head["ETag"] == '"%s"' % hashlib.md5(data).hexdigest()


def test_default_status_and_redirect(server, s3, bucket):
    c = client(server, "s3v4")
    post = c.generate_presigned_post(bucket, "plain.txt", ExpiresIn=300)
    r = requests.post(post["url"], data=post["fields"], files={"file": ("x.txt", b"hello")}, timeout=30)
    assert r.status_code == 204
    assert s3.get_object(Bucket=bucket, Key="plain.txt")["Body"].read() == b"hello"
    post = c.generate_presigned_post(bucket, "redirected.txt", Fields={"success_action_redirect": "https://example.com/done"},
                                     Conditions=[{"success_action_redirect": "https://example.com/done"}], ExpiresIn=300)
    r = requests.post(post["url"], data=post["fields"], files={"file": ("x.txt", b"hi")}, allow_redirects=False, timeout=30)
    assert r.status_code == 303
    assert r.headers["Location"].startswith("https://example.com/done?")
    assert "key=redirected.txt" in r.headers["Location"]


@pytest.mark.parametrize("version", ["s3v4", "s3"])
def test_every_violation_is_refused_and_stores_nothing(server, s3, bucket, version):
    c = client(server, version)
    post = c.generate_presigned_post(bucket, "guarded", Fields={"Content-Type": "text/plain"},
                                     Conditions=[["content-length-range", 2, 100], {"Content-Type": "text/plain"}], ExpiresIn=300)
    fields = post["fields"]

    def attempt(data, files, expect_status, expect_code):
        r = requests.post(post["url"], data=data, files=files, timeout=30)
        assert r.status_code == expect_status, r.text
        assert f"<Code>{expect_code}</Code>" in r.text, r.text

    attempt(fields, {"file": ("a", b"x" * 101)}, 400, "EntityTooLarge")
    attempt(fields, {"file": ("a", b"x")}, 400, "EntityTooSmall")
    attempt({**fields, "Content-Type": "text/html"}, {"file": ("a", b"xx")}, 403, "AccessDenied")
    attempt({**fields, "surprise": "1"}, {"file": ("a", b"xx")}, 403, "AccessDenied")
    tampered = dict(fields)
    tampered["policy"] = tampered["policy"][:-6] + "AAAAAA"
    r = requests.post(post["url"], data=tampered, files={"file": ("a", b"xx")}, timeout=30)
    assert r.status_code in (400, 403), r.text
    expired = c.generate_presigned_post(bucket, "guarded", ExpiresIn=-10)
    attempt(expired["fields"], {"file": ("a", b"xx")}, 403, "AccessDenied")
    assert "Contents" not in s3.list_objects_v2(Bucket=bucket)
    assert requests.get(f"{server.endpoint}/-/health", timeout=5).status_code == 200


def test_form_without_file_and_truncated_form(server, s3, bucket):
    c = client(server, "s3v4")
    post = c.generate_presigned_post(bucket, "k", ExpiresIn=300)
    boundary = "XyZ123"
    parts = "".join(f'--{boundary}\r\nContent-Disposition: form-data; name="{k}"\r\n\r\n{v}\r\n' for k, v in post["fields"].items())
    headers = {"Content-Type": f"multipart/form-data; boundary={boundary}"}
    r = requests.post(post["url"], data=(parts + f"--{boundary}--\r\n").encode(), headers=headers, timeout=30)
    assert r.status_code == 400 and "POST requires exactly one file upload per request" in r.text, r.text
    body = parts + f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="f"\r\n\r\nhalf a file'
    r = requests.post(post["url"], data=body.encode(), headers=headers, timeout=30)
    assert r.status_code == 400 and "MalformedPOSTRequest" in r.text, r.text
    assert "Contents" not in s3.list_objects_v2(Bucket=bucket)


def test_cli_presign_post(server, s3, bucket, magpie_cli):
    out = magpie_cli("presign", "POST", f"s3://{bucket}/photos/", "--max-size", "1MiB", "--content-type", "image/jpeg").stdout
    form = json.loads(out)
    with open(PHOTO, "rb") as f:
        r = requests.post(form["url"], data=form["fields"], files={"file": ("evening.jpg", f, "image/jpeg")}, timeout=30)
    assert r.status_code == 204, r.text
    assert s3.head_object(Bucket=bucket, Key="photos/evening.jpg")["ContentType"] == "image/jpeg"
    big = b"x" * (2 << 20)
    r = requests.post(form["url"], data=form["fields"], files={"file": ("big.jpg", big, "image/jpeg")}, timeout=30)
    assert r.status_code == 400 and "EntityTooLarge" in r.text
