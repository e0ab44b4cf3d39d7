"""The aws CLI (v1) with default settings: s3 high-level commands and s3api."""

import hashlib
import json
import os
import shutil
import subprocess

from conftest import empty_and_delete_bucket, unique_bucket_name


def test_cli_mb_ls_cp_rm_rb(aws_cli, s3, tmp_path):
    b = unique_bucket_name("cli")
    aws_cli("s3", "mb", f"s3://{b}")
    try:
        assert b in aws_cli("s3", "ls").stdout.decode()
        f = tmp_path / "hello.txt"
        f.write_bytes(b"hello from the aws cli\n")
        aws_cli("s3", "cp", str(f), f"s3://{b}/docs/hello.txt")
        ls = aws_cli("s3", "ls", f"s3://{b}/docs/").stdout.decode()
        assert "hello.txt" in ls and str(len(f.read_bytes())) in ls
        top = aws_cli("s3", "ls", f"s3://{b}/").stdout.decode()
        assert "PRE docs/" in top
        out = tmp_path / "out.txt"
        aws_cli("s3", "cp", f"s3://{b}/docs/hello.txt", str(out))
        assert out.read_bytes() == f.read_bytes()
        # stdin / stdout streaming
        aws_cli("s3", "cp", "-", f"s3://{b}/stream.txt", input=b"streamed via stdin")
        p = aws_cli("s3", "cp", f"s3://{b}/stream.txt", "-")
        assert p.stdout == b"streamed via stdin"
        aws_cli("s3", "rm", f"s3://{b}/docs/hello.txt")
        aws_cli("s3", "rm", f"s3://{b}/stream.txt")
        assert s3.list_objects_v2(Bucket=b)["KeyCount"] == 0
        aws_cli("s3", "rb", f"s3://{b}")
        assert b not in aws_cli("s3", "ls").stdout.decode()
    finally:
        empty_and_delete_bucket(s3, b)  # no-op after a successful `rb`


def test_cli_cp_large_file_multipart_and_ranged_download(aws_cli, s3, bucket, tmp_path):
    # 20 MiB > the CLI's 8 MiB multipart threshold: default settings use multipart upload
    # and parallel ranged GETs for the download.
    f = tmp_path / "big.bin"
    data = os.urandom(20 * 1024 * 1024)
    f.write_bytes(data)
    aws_cli("s3", "cp", str(f), f"s3://{bucket}/big.bin", timeout=300)
    head = s3.head_object(Bucket=bucket, Key="big.bin")
    assert head["ContentLength"] == len(data)
    out = tmp_path / "big.out"
    aws_cli("s3", "cp", f"s3://{bucket}/big.bin", str(out), timeout=300)
    assert hashlib.sha256(out.read_bytes()).digest() == hashlib.sha256(data).digest()


def test_cli_sync_roundtrip(aws_cli, s3, bucket, tmp_path):
    src = tmp_path / "src"
    files = {"a.txt": b"A", "dir/b.txt": b"B" * 1000, "dir/sub/c d.txt": b"C",
             "ünï/cödé.txt": b"unicode"}
    for name, content in files.items():
        p = src / name
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_bytes(content)
    aws_cli("s3", "sync", str(src), f"s3://{bucket}/mirror")
    keys = sorted(o["Key"] for o in s3.list_objects_v2(Bucket=bucket)["Contents"])
    assert keys == sorted("mirror/" + n for n in files)
    # second sync uploads nothing
    p = aws_cli("s3", "sync", str(src), f"s3://{bucket}/mirror")
    assert b"upload:" not in p.stdout
    dst = tmp_path / "dst"
    aws_cli("s3", "sync", f"s3://{bucket}/mirror", str(dst))
    for name, content in files.items():
        assert (dst / name).read_bytes() == content
    # delete propagation
    (src / "a.txt").unlink()
    aws_cli("s3", "sync", "--delete", str(src), f"s3://{bucket}/mirror")
    keys = sorted(o["Key"] for o in s3.list_objects_v2(Bucket=bucket)["Contents"])
    assert "mirror/a.txt" not in keys and len(keys) == len(files) - 1


def test_cli_s3api_object_calls(aws_cli, bucket, tmp_path):
    f = tmp_path / "body"
    f.write_bytes(b"s3api body")
    put = json.loads(aws_cli("s3api", "put-object", "--bucket", bucket, "--key", "k",
                             "--body", str(f), "--content-type", "text/plain",
                             "--metadata", "color=red", "--output", "json").stdout)
    assert put["ETag"] == f'"{hashlib.md5(b"s3api body").hexdigest()}"'
    head = json.loads(aws_cli("s3api", "head-object", "--bucket", bucket, "--key", "k",
                              "--output", "json").stdout)
    assert head["ContentLength"] == 10
    assert head["ContentType"] == "text/plain"
    assert head["Metadata"] == {"color": "red"}
    listing = json.loads(aws_cli("s3api", "list-objects-v2", "--bucket", bucket,
                                 "--output", "json").stdout)
    assert [o["Key"] for o in listing["Contents"]] == ["k"]
    aws_cli("s3api", "copy-object", "--bucket", bucket, "--key", "k2", "--copy-source", f"{bucket}/k")
    dele = json.loads(aws_cli("s3api", "delete-objects", "--bucket", bucket, "--delete",
                              json.dumps({"Objects": [{"Key": "k"}, {"Key": "k2"}]}),
                              "--output", "json").stdout)
    assert sorted(d["Key"] for d in dele["Deleted"]) == ["k", "k2"]
    listing = json.loads(aws_cli("s3api", "list-objects-v2", "--bucket", bucket,
                                 "--output", "json").stdout or b"{}")
    assert listing.get("KeyCount", 0) == 0


def test_cli_s3api_bucket_calls(aws_cli):
    b = unique_bucket_name("cli")
    aws_cli("s3api", "create-bucket", "--bucket", b)
    try:
        aws_cli("s3api", "head-bucket", "--bucket", b)
        loc = json.loads(aws_cli("s3api", "get-bucket-location", "--bucket", b,
                                 "--output", "json").stdout)
        assert loc.get("LocationConstraint") in (None, "")
        buckets = json.loads(aws_cli("s3api", "list-buckets", "--output", "json").stdout)
        assert b in [x["Name"] for x in buckets["Buckets"]]
    finally:
        aws_cli("s3api", "delete-bucket", "--bucket", b)
    p = aws_cli("s3api", "head-bucket", "--bucket", b, check=False)
    assert p.returncode != 0
    assert b"404" in p.stderr or b"Not Found" in p.stderr


def test_cli_errors_are_reported(aws_cli, bucket):
    p = aws_cli("s3api", "get-object", "--bucket", bucket, "--key", "missing", "/dev/null",
                check=False)
    assert p.returncode != 0
    assert b"NoSuchKey" in p.stderr
    p = aws_cli("s3", "ls", f"s3://{bucket}-does-not-exist/", check=False)
    assert p.returncode != 0
    assert b"NoSuchBucket" in p.stderr


def test_cli_presign_with_curl(aws_cli, s3, bucket):
    s3.put_object(Bucket=bucket, Key="p q.txt", Body=b"cli presigned")
    url = aws_cli("s3", "presign", f"s3://{bucket}/p q.txt", "--expires-in", "300").stdout.decode().strip()
    curl = shutil.which("curl")
    p = subprocess.run([curl, "-sS", "-g", "-o", "-", "-w", "\n%{http_code}", url],
                       capture_output=True, timeout=60)
    body, _, code = p.stdout.rpartition(b"\n")
    assert code == b"200", p.stdout
    assert body == b"cli presigned"


def test_cli_ls_paginates_beyond_1000(aws_cli, s3, bucket):
    from concurrent.futures import ThreadPoolExecutor
    keys = [f"many/{i:05d}" for i in range(1050)]
    with ThreadPoolExecutor(10) as ex:
        list(ex.map(lambda k: s3.put_object(Bucket=bucket, Key=k, Body=b""), keys))
    out = aws_cli("s3", "ls", "--recursive", f"s3://{bucket}/").stdout.decode().splitlines()
    assert len(out) == 1050
    assert out[0].endswith("many/00000") and out[-1].endswith("many/01049")
