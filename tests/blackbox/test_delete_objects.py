"""DeleteObjects (POST /bucket?delete)."""

from helpers import md5_b64, crc32_b64, find_all, children_text, xml_root


def _put(s3, bucket, keys):
    for k in keys:
        s3.put_object(Bucket=bucket, Key=k, Body=k.encode())


def _remaining(s3, bucket):
    return sorted(o["Key"] for o in s3.list_objects_v2(Bucket=bucket).get("Contents", []))


def test_batch_delete_reports_existing_and_missing_keys_as_deleted(s3, bucket):
    existing = ["a", "b/c", "d e", "f+g", "日本"]
    missing = ["no-such-1", "no/such/2"]
    _put(s3, bucket, existing + ["keep"])
    resp = s3.delete_objects(Bucket=bucket, Delete={"Objects": [{"Key": k} for k in existing + missing]})
    deleted = sorted(d["Key"] for d in resp.get("Deleted", []))
    assert deleted == sorted(existing + missing)
    assert resp.get("Errors", []) == []
    assert _remaining(s3, bucket) == ["keep"]


def test_quiet_mode_returns_no_deleted_entries(s3, bucket):
    _put(s3, bucket, ["x", "y", "z"])
    resp = s3.delete_objects(Bucket=bucket, Delete={"Objects": [{"Key": "x"}, {"Key": "y"}, {"Key": "nope"}],
                                                    "Quiet": True})
    assert resp.get("Deleted", []) == []
    assert resp.get("Errors", []) == []
    assert _remaining(s3, bucket) == ["z"]


def test_delete_objects_raw_xml_response_shape(signer, s3, bucket):
    _put(s3, bucket, ["k1"])
    body = (b'<?xml version="1.0" encoding="UTF-8"?>'
            b'<Delete xmlns="http://s3.amazonaws.com/doc/2006-03-01/">'
            b"<Object><Key>k1</Key></Object><Object><Key>k2</Key></Object></Delete>")
    r = signer.request("POST", f"/{bucket}", query=[("delete", None)], body=body,
                       headers={"Content-MD5": md5_b64(body), "Content-Type": "application/xml"})
    assert r.status == 200, r
    root = xml_root(r.body)
    assert root.tag.endswith("DeleteResult")
    keys = sorted(children_text(d, "Key") for d in find_all(root, "Deleted"))
    assert keys == ["k1", "k2"]


def test_delete_objects_with_crc32_instead_of_md5(signer, s3, bucket):
    # Current SDKs send a flexible checksum instead of Content-MD5; S3 accepts either.
    _put(s3, bucket, ["k1"])
    body = b"<Delete><Object><Key>k1</Key></Object></Delete>"
    r = signer.request("POST", f"/{bucket}", query=[("delete", None)], body=body,
                       headers={"x-amz-checksum-crc32": crc32_b64(body),
                                "x-amz-sdk-checksum-algorithm": "CRC32"})
    assert r.status == 200, r
    assert _remaining(s3, bucket) == []


def test_delete_objects_without_any_checksum_is_invalid_request(signer, s3, bucket):
    _put(s3, bucket, ["k1"])
    body = b"<Delete><Object><Key>k1</Key></Object></Delete>"
    r = signer.request("POST", f"/{bucket}", query=[("delete", None)], body=body)
    assert r.status == 400, r
    assert r.error.get("Code") == "InvalidRequest", r
    assert _remaining(s3, bucket) == ["k1"]


def test_delete_objects_malformed_xml(signer, s3, bucket):
    _put(s3, bucket, ["k1"])
    for body in (b"<Delete><Object><Key>k1</Key></Object>",          # unterminated
                 b"this is not xml at all",
                 b"<Delete><Object><Key>k1</Key></Object></Delete"):
        r = signer.request("POST", f"/{bucket}", query=[("delete", None)], body=body,
                           headers={"Content-MD5": md5_b64(body)})
        assert r.status == 400, (body, r)
        assert r.error.get("Code") == "MalformedXML", (body, r)
    assert _remaining(s3, bucket) == ["k1"]


def test_delete_objects_wrong_root_or_no_objects_is_malformed(signer, s3, bucket):
    for body in (b"<Remove><Object><Key>k1</Key></Object></Remove>",
                 b"<Delete></Delete>"):
        r = signer.request("POST", f"/{bucket}", query=[("delete", None)], body=body,
                           headers={"Content-MD5": md5_b64(body)})
        assert r.status == 400, (body, r)
        assert r.error.get("Code") == "MalformedXML", (body, r)


def test_delete_objects_more_than_1000_keys_is_malformed(signer, bucket):
    objs = "".join(f"<Object><Key>k{i}</Key></Object>" for i in range(1001))
    body = f"<Delete>{objs}</Delete>".encode()
    r = signer.request("POST", f"/{bucket}", query=[("delete", None)], body=body,
                       headers={"Content-MD5": md5_b64(body)})
    assert r.status == 400, r
    assert r.error.get("Code") == "MalformedXML", r


def test_delete_objects_wrong_content_md5_is_bad_digest(signer, s3, bucket):
    _put(s3, bucket, ["k1"])
    body = b"<Delete><Object><Key>k1</Key></Object></Delete>"
    r = signer.request("POST", f"/{bucket}", query=[("delete", None)], body=body,
                       headers={"Content-MD5": md5_b64(b"other")})
    assert r.status == 400, r
    assert r.error.get("Code") == "BadDigest", r
    assert _remaining(s3, bucket) == ["k1"]


def test_delete_objects_exactly_1000_keys(s3, bucket):
    from concurrent.futures import ThreadPoolExecutor
    keys = [f"bulk/{i:04d}" for i in range(1000)]
    with ThreadPoolExecutor(8) as ex:
        list(ex.map(lambda k: s3.put_object(Bucket=bucket, Key=k, Body=b""), keys[:50]))
    resp = s3.delete_objects(Bucket=bucket, Delete={"Objects": [{"Key": k} for k in keys]})
    assert len(resp.get("Deleted", [])) == 1000
    assert resp.get("Errors", []) == []
    assert _remaining(s3, bucket) == []
