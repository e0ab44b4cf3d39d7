#!/usr/bin/env python3
"""S3 chores for bench/run.sh, through boto3 against a local Magpie.

  presign.py ENDPOINT make-bucket BUCKET
  presign.py ENDPOINT encrypt-bucket BUCKET     (default encryption SSE-S3)
  presign.py ENDPOINT url GET|PUT BUCKET KEY [--expires SECONDS]
  presign.py ENDPOINT delete BUCKET KEY

Credentials come from MAGPIE_ROOT_ACCESS_KEY / MAGPIE_ROOT_SECRET_KEY.
"""
import argparse
import os
import sys

import boto3
from botocore.config import Config


def client(endpoint):
    return boto3.client(
        "s3",
        endpoint_url=endpoint,
        region_name="us-east-1",
        aws_access_key_id=os.environ["MAGPIE_ROOT_ACCESS_KEY"],
        aws_secret_access_key=os.environ["MAGPIE_ROOT_SECRET_KEY"],
        config=Config(signature_version="s3v4", s3={"addressing_style": "path"}, retries={"max_attempts": 1}),
    )


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("endpoint")
    sub = parser.add_subparsers(dest="command", required=True)
    make = sub.add_parser("make-bucket")
    make.add_argument("bucket")
    encrypt = sub.add_parser("encrypt-bucket")
    encrypt.add_argument("bucket")
    url = sub.add_parser("url")
    url.add_argument("method", choices=["GET", "PUT"])
    url.add_argument("bucket")
    url.add_argument("key")
    url.add_argument("--expires", type=int, default=3600)
    delete = sub.add_parser("delete")
    delete.add_argument("bucket")
    delete.add_argument("key")
    args = parser.parse_args()

    s3 = client(args.endpoint)
    if args.command == "make-bucket":
        s3.create_bucket(Bucket=args.bucket)
    elif args.command == "encrypt-bucket":
        s3.put_bucket_encryption(Bucket=args.bucket, ServerSideEncryptionConfiguration={
            "Rules": [{"ApplyServerSideEncryptionByDefault": {"SSEAlgorithm": "AES256"}}]})
    elif args.command == "url":
        operation = "get_object" if args.method == "GET" else "put_object"
        print(s3.generate_presigned_url(operation, Params={"Bucket": args.bucket, "Key": args.key}, ExpiresIn=args.expires))
    elif args.command == "delete":
        s3.delete_object(Bucket=args.bucket, Key=args.key)
    return 0


if __name__ == "__main__":
    sys.exit(main())
