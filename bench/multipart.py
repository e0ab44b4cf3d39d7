#!/usr/bin/env python3
"""Multipart upload for bench/run.sh (phase 5), through boto3 against a local Magpie.

  multipart.py ENDPOINT upload BUCKET KEY FILE [--part-mib 16] [--concurrency 8]
  multipart.py ENDPOINT check BUCKET KEY SIZE [--delete]

upload: one boto3 `upload_file` of FILE with TransferConfig(multipart_threshold = multipart_chunksize =
part size, max_concurrency), timed from the call to its return (CreateMultipartUpload, the parallel
UploadParts and CompleteMultipartUpload). Then, outside the timing, head_object must report FILE's
size and a multipart ETag ("…-N" with N = the expected number of parts), and the object is deleted.
Prints one line to stdout:

  mbps=… seconds=… complete_s=… size=… parts=… client_cpu_s=… payload_sha256=signed|unsigned checksum=…

(MB/s is 10^6 bytes/s; complete_s is the CompleteMultipartUpload request alone, part of seconds;
client_cpu_s is this process's own user + system CPU time during the upload; payload_sha256 and
checksum describe what boto3 sent with the first UploadPart.)

check: head_object must report SIZE bytes; --delete then deletes the object.

Credentials come from MAGPIE_ROOT_ACCESS_KEY / MAGPIE_ROOT_SECRET_KEY. Every request has a 300 s
read timeout and no retries; run.sh also bounds the whole command with timeout(1).
"""
import argparse
import math
import os
import resource
import sys
import time

import boto3
from boto3.s3.transfer import TransferConfig
from botocore.config import Config

MIB = 1 << 20


def client(endpoint, pool):
    return boto3.client(
        "s3",
        endpoint_url=endpoint,
        region_name="us-east-1",
        aws_access_key_id=os.environ["MAGPIE_ROOT_ACCESS_KEY"],
        aws_secret_access_key=os.environ["MAGPIE_ROOT_SECRET_KEY"],
        config=Config(
            signature_version="s3v4",
            s3={"addressing_style": "path"},
            retries={"max_attempts": 1},
            connect_timeout=10,
            read_timeout=300,
            max_pool_connections=max(10, pool),
        ),
    )


def cpu_seconds():
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def check(s3, bucket, key, size, parts=None):
    head = s3.head_object(Bucket=bucket, Key=key)
    if head["ContentLength"] != size:
        sys.exit(f"multipart.py: {bucket}/{key} is {head['ContentLength']} bytes, expected {size}")
    if parts is not None and not head["ETag"].strip('"').endswith(f"-{parts}"):
        sys.exit(f"multipart.py: {bucket}/{key} has ETag {head['ETag']}, expected a multipart ETag of {parts} parts")


def upload(s3, args):
    size = os.path.getsize(args.file)
    part = args.part_mib * MIB
    parts = max(1, math.ceil(size / part))
    seen = {}

    def note_part(request, **_):  # what the first UploadPart carried (the payload hash, a checksum header)
        if seen:
            return
        text = lambda v: v.decode() if isinstance(v, bytes) else (v or "")  # prepared headers may be bytes
        sha = text(request.headers.get("x-amz-content-sha256"))
        seen["payload_sha256"] = "unsigned" if "UNSIGNED" in sha else "signed"
        names = [text(k).lower() for k in request.headers.keys()]
        names = [k for k in names if k.startswith("x-amz-checksum-") or k == "content-md5"]
        trailer = text(request.headers.get("x-amz-trailer"))
        seen["checksum"] = ",".join(sorted(names) + ([f"trailer:{trailer}"] if trailer else [])) or "none"

    s3.meta.events.register("before-send.s3.UploadPart", note_part)
    complete = {}
    s3.meta.events.register("before-call.s3.CompleteMultipartUpload", lambda **_: complete.update(start=time.monotonic()))
    s3.meta.events.register("after-call.s3.CompleteMultipartUpload", lambda **_: complete.update(end=time.monotonic()))
    config = TransferConfig(
        multipart_threshold=part, multipart_chunksize=part, max_concurrency=args.concurrency, use_threads=True
    )
    cpu = cpu_seconds()
    start = time.monotonic()
    s3.upload_file(args.file, args.bucket, args.key, Config=config)
    seconds = time.monotonic() - start
    cpu = cpu_seconds() - cpu
    check(s3, args.bucket, args.key, size, parts)
    s3.delete_object(Bucket=args.bucket, Key=args.key)
    print(
        f"mbps={size / seconds / 1e6:.1f} seconds={seconds:.2f} "
        f"complete_s={complete['end'] - complete['start'] if 'end' in complete else float('nan'):.2f} size={size} parts={parts} client_cpu_s={cpu:.2f} "
        f"payload_sha256={seen.get('payload_sha256', 'n/a')} checksum={seen.get('checksum', 'n/a')}"
    )


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("endpoint")
    sub = parser.add_subparsers(dest="command", required=True)
    up = sub.add_parser("upload")
    up.add_argument("bucket")
    up.add_argument("key")
    up.add_argument("file")
    up.add_argument("--part-mib", type=int, default=16)
    up.add_argument("--concurrency", type=int, default=8)
    ck = sub.add_parser("check")
    ck.add_argument("bucket")
    ck.add_argument("key")
    ck.add_argument("size", type=int)
    ck.add_argument("--delete", action="store_true")
    args = parser.parse_args()

    s3 = client(args.endpoint, getattr(args, "concurrency", 1))
    if args.command == "upload":
        upload(s3, args)
    else:
        check(s3, args.bucket, args.key, args.size)
        if args.delete:
            s3.delete_object(Bucket=args.bucket, Key=args.key)
    return 0


if __name__ == "__main__":
    sys.exit(main())
