"""A 256 MiB object streamed up and down; kill -9 during concurrent PUTs, then
restart on the same data dir and check durability and atomicity."""

import hashlib
import os
import random
import threading
import uuid
from pathlib import Path

import pytest
from boto3.s3.transfer import TransferConfig

from conftest import start_server, make_client
from helpers import sha256_stream

MiB = 1 << 20


@pytest.mark.slow
@pytest.mark.timeout(900)
def test_256_mib_object_streamed_up_and_down(s3, bucket, tmp_path):
    size = 256 * MiB
    path = tmp_path / "big.bin"
    sha, md5 = hashlib.sha256(), hashlib.md5()
    rng = random.Random(1234)
    with open(path, "wb") as f:
        for _ in range(size // MiB):
            block = rng.randbytes(MiB)
            sha.update(block)
            md5.update(block)
            f.write(block)
    cfg = TransferConfig(multipart_threshold=1 << 40, max_concurrency=1)
    with open(path, "rb") as f:
        s3.upload_fileobj(f, bucket, "big.bin", Config=cfg)
    path.unlink()  # free the disk; compare from the streamed download only

    head = s3.head_object(Bucket=bucket, Key="big.bin")
    assert head["ContentLength"] == size
    assert head["ETag"] == f'"{md5.hexdigest()}"'

    got = s3.get_object(Bucket=bucket, Key="big.bin")
    digest, n = sha256_stream(got["Body"])
    assert n == size
    assert digest == sha.hexdigest()

    # a ranged read in the middle of the large object
    off = 100 * MiB + 12345
    part = s3.get_object(Bucket=bucket, Key="big.bin", Range=f"bytes={off}-{off + 99}")["Body"].read()
    rng2 = random.Random(1234)
    blocks_before = off // MiB
    for _ in range(blocks_before):
        rng2.randbytes(MiB)
    block = rng2.randbytes(MiB)
    assert part == block[off % MiB: off % MiB + 100]
    s3.delete_object(Bucket=bucket, Key="big.bin")


def _body_for(key: str) -> bytes:
    rng = random.Random(key)
    size = rng.randint(256 * 1024, 2 * MiB)
    return rng.randbytes(size)


TMP_DIR_NAMES = {"tmp", "temp", "tmpdir", "staging", "incoming", "partial", "uploads-tmp"}


def _leftover_temp_files(data_dir: Path) -> list[str]:
    bad = []
    for root, dirs, files in os.walk(data_dir):
        rel_parts = [p.lower().lstrip(".") for p in Path(root).relative_to(data_dir).parts]
        in_tmp = any(p in TMP_DIR_NAMES or p.startswith("tmp") for p in rel_parts)
        for f in files:
            fl = f.lower()
            if in_tmp or fl.endswith((".tmp", ".temp", ".partial")) or fl.startswith(".tmp"):
                bad.append(str(Path(root, f).relative_to(data_dir)))
    return bad


@pytest.mark.slow
@pytest.mark.timeout(600)
def test_kill_9_during_concurrent_puts(tmp_path):
    data_dir = tmp_path / "data"
    srv = start_server(data_dir, tmp_path / "logs")
    try:
        admin = srv.client()
        bucket = f"crash-{uuid.uuid4().hex[:12]}"
        admin.create_bucket(Bucket=bucket)

        client = make_client(srv.endpoint, srv.creds, max_pool_connections=64,
                             retries={"total_max_attempts": 1})
        acked: dict[str, str] = {}          # key -> sha256 of body acknowledged with 200
        attempted: dict[str, tuple] = {}    # key -> (sha256, size, md5)
        lock = threading.Lock()
        enough = threading.Event()
        stop = threading.Event()
        target_acks = 60

        def worker(wid: int):
            i = 0
            while not stop.is_set():
                key = f"w{wid:02d}/obj-{i:04d}"
                i += 1
                body = _body_for(key)
                digest = hashlib.sha256(body).hexdigest()
                with lock:
                    attempted[key] = (digest, len(body), hashlib.md5(body).hexdigest())
                try:
                    resp = client.put_object(Bucket=bucket, Key=key, Body=body)
                except Exception:
                    return  # server gone
                if resp["ResponseMetadata"]["HTTPStatusCode"] == 200:
                    with lock:
                        acked[key] = digest
                        if len(acked) >= target_acks:
                            enough.set()

        threads = [threading.Thread(target=worker, args=(w,), daemon=True) for w in range(50)]
        for t in threads:
            t.start()
        assert enough.wait(timeout=240), f"only {len(acked)} PUTs acknowledged before the deadline"
        srv.kill9()  # SIGKILL while ~50 PUTs are in flight
        stop.set()
        for t in threads:
            t.join(timeout=60)
        assert not any(t.is_alive() for t in threads)
        with lock:
            acked_snapshot = dict(acked)
            attempted_snapshot = dict(attempted)
        assert len(acked_snapshot) >= target_acks
        assert len(attempted_snapshot) > len(acked_snapshot), "no PUT was in flight at the kill"

        # restart on the same data dir
        srv2 = start_server(data_dir, tmp_path / "logs2")
        try:
            leftovers = _leftover_temp_files(data_dir)
            assert leftovers == [], f"temp files left in data dir after restart: {leftovers[:20]}"

            c2 = srv2.client()
            # every acknowledged object reads back byte-exact
            for key, digest in sorted(acked_snapshot.items()):
                got = c2.get_object(Bucket=bucket, Key=key)
                d, _ = sha256_stream(got["Body"])
                assert d == digest, f"acknowledged object {key} corrupted after crash"

            # every listed object is complete and correct
            listed = [o for page in c2.get_paginator("list_objects_v2").paginate(Bucket=bucket)
                      for o in page.get("Contents", [])]
            listed_keys = {o["Key"] for o in listed}
            missing = sorted(set(acked_snapshot) - listed_keys)
            assert missing == [], f"acknowledged objects missing from listing: {missing[:10]}"
            for o in listed:
                assert o["Key"] in attempted_snapshot, f"unexpected key {o['Key']}"
                digest, size, md5 = attempted_snapshot[o["Key"]]
                assert o["Size"] == size, f"partial object visible in listing: {o}"
                assert o["ETag"] == f'"{md5}"', o
                got = c2.get_object(Bucket=bucket, Key=o["Key"])
                d, n = sha256_stream(got["Body"])
                assert (d, n) == (digest, size), f"listed object {o['Key']} is not complete"

            # non-listed, non-acked keys must not be readable either (no half-visible objects)
            for key in sorted(set(attempted_snapshot) - listed_keys)[:20]:
                try:
                    got = c2.get_object(Bucket=bucket, Key=key)
                except c2.exceptions.NoSuchKey:
                    continue
                d, n = sha256_stream(got["Body"])
                assert (d, n) == attempted_snapshot[key][:2], f"{key} readable but not complete"

            # and the server still takes writes
            c2.put_object(Bucket=bucket, Key="after-restart", Body=b"alive")
            assert c2.get_object(Bucket=bucket, Key="after-restart")["Body"].read() == b"alive"
        finally:
            srv2.stop()
    finally:
        srv.stop()
