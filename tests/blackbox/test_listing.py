"""ListObjectsV2 and ListObjects (V1): prefix, delimiter, max-keys, pagination,
encoding-type=url, fetch-owner, ordering (UTF-8 binary), paginators."""

import urllib.parse
from concurrent.futures import ThreadPoolExecutor

import pytest

from helpers import children_text, find_all, find_text, xml_root

TREE = ["a/1", "a/2", "a/b/3", "a/b/4", "b/1", "c", "d/", "d/e", "x-y-z"]


@pytest.fixture
def tree(s3, bucket):
    for k in TREE:
        s3.put_object(Bucket=bucket, Key=k, Body=k.encode())
    return bucket


def keys(resp):
    return [o["Key"] for o in resp.get("Contents", [])]


def prefixes(resp):
    return [p["Prefix"] for p in resp.get("CommonPrefixes", [])]


def utf8_sorted(items):
    return sorted(items, key=lambda s: s.encode("utf-8"))


def test_v2_lists_everything_sorted(s3, tree):
    resp = s3.list_objects_v2(Bucket=tree)
    assert keys(resp) == sorted(TREE)
    assert resp["KeyCount"] == len(TREE)
    assert resp["IsTruncated"] is False
    assert resp["Name"] == tree
    assert resp["MaxKeys"] == 1000
    for o in resp["Contents"]:
        assert o["Size"] == len(o["Key"].encode())
        assert o["ETag"].startswith('"') and o["ETag"].endswith('"')
        assert o["StorageClass"] == "STANDARD"
        assert o["LastModified"]
        assert "Owner" not in o


def test_v2_prefix(s3, tree):
    assert keys(s3.list_objects_v2(Bucket=tree, Prefix="a/")) == ["a/1", "a/2", "a/b/3", "a/b/4"]
    assert keys(s3.list_objects_v2(Bucket=tree, Prefix="a/b")) == ["a/b/3", "a/b/4"]
    r = s3.list_objects_v2(Bucket=tree, Prefix="zzz")
    assert keys(r) == [] and r["KeyCount"] == 0


def test_v2_delimiter_common_prefixes(s3, tree):
    r = s3.list_objects_v2(Bucket=tree, Delimiter="/")
    assert keys(r) == ["c", "x-y-z"]
    assert prefixes(r) == ["a/", "b/", "d/"]
    assert r["KeyCount"] == 5
    assert r["Delimiter"] == "/"


def test_v2_prefix_and_delimiter(s3, tree):
    r = s3.list_objects_v2(Bucket=tree, Prefix="a/", Delimiter="/")
    assert keys(r) == ["a/1", "a/2"]
    assert prefixes(r) == ["a/b/"]
    r = s3.list_objects_v2(Bucket=tree, Prefix="d/", Delimiter="/")
    assert keys(r) == ["d/", "d/e"]
    assert prefixes(r) == []


def test_v2_non_slash_delimiter(s3, tree):
    r = s3.list_objects_v2(Bucket=tree, Delimiter="-")
    assert prefixes(r) == ["x-"]
    assert "x-y-z" not in keys(r)
    assert "c" in keys(r)


def test_v2_max_keys_zero(s3, tree):
    r = s3.list_objects_v2(Bucket=tree, MaxKeys=0)
    assert keys(r) == []
    assert r["KeyCount"] == 0
    assert r["MaxKeys"] == 0


def test_v2_pagination_continuation_token(s3, tree):
    seen, token, pages = [], None, 0
    while True:
        kw = {"ContinuationToken": token} if token else {}
        r = s3.list_objects_v2(Bucket=tree, MaxKeys=2, **kw)
        pages += 1
        assert r["KeyCount"] == len(keys(r)) <= 2
        seen += keys(r)
        if not r["IsTruncated"]:
            assert "NextContinuationToken" not in r
            break
        assert r["NextContinuationToken"]
        token = r["NextContinuationToken"]
        assert pages < 20
    assert seen == sorted(TREE)
    assert pages == 5


def test_v2_pagination_counts_common_prefixes(s3, tree):
    seen_keys, seen_prefixes, token = [], [], None
    for _ in range(20):
        kw = {"ContinuationToken": token} if token else {}
        r = s3.list_objects_v2(Bucket=tree, MaxKeys=1, Delimiter="/", **kw)
        assert len(keys(r)) + len(prefixes(r)) == r["KeyCount"] <= 1
        seen_keys += keys(r)
        seen_prefixes += prefixes(r)
        if not r["IsTruncated"]:
            break
        token = r["NextContinuationToken"]
    assert seen_keys == ["c", "x-y-z"]
    assert seen_prefixes == ["a/", "b/", "d/"]


def test_v2_start_after(s3, tree):
    r = s3.list_objects_v2(Bucket=tree, StartAfter="a/b/3")
    assert keys(r) == ["a/b/4", "b/1", "c", "d/", "d/e", "x-y-z"]
    assert r["StartAfter"] == "a/b/3"
    r = s3.list_objects_v2(Bucket=tree, StartAfter="b")  # not an existing key
    assert keys(r)[0] == "b/1"


def test_v2_fetch_owner(s3, tree):
    r = s3.list_objects_v2(Bucket=tree, FetchOwner=True)
    owner = s3.list_buckets()["Owner"]
    for o in r["Contents"]:
        assert o["Owner"]["ID"] == owner["ID"]


def test_v1_basic_and_owner(s3, tree):
    r = s3.list_objects(Bucket=tree)
    assert keys(r) == sorted(TREE)
    assert r["IsTruncated"] is False
    owner = s3.list_buckets()["Owner"]
    assert all(o["Owner"]["ID"] == owner["ID"] for o in r["Contents"])


def test_v1_marker_pagination_without_delimiter_has_no_next_marker(s3, tree):
    r = s3.list_objects(Bucket=tree, MaxKeys=3)
    assert keys(r) == sorted(TREE)[:3]
    assert r["IsTruncated"] is True
    assert "NextMarker" not in r
    r2 = s3.list_objects(Bucket=tree, MaxKeys=3, Marker=keys(r)[-1])
    assert keys(r2) == sorted(TREE)[3:6]
    assert r2["Marker"] == keys(r)[-1]


def test_v1_next_marker_with_delimiter(s3, tree):
    seen, marker = [], ""
    for _ in range(20):
        r = s3.list_objects(Bucket=tree, MaxKeys=2, Delimiter="/", Marker=marker)
        page = keys(r) + prefixes(r)
        seen += page
        if not r["IsTruncated"]:
            break
        assert r.get("NextMarker") == max(page, key=lambda s: s.encode()), r
        marker = r["NextMarker"]
    assert utf8_sorted(seen) == ["a/", "b/", "c", "d/", "x-y-z"]
    assert len(seen) == len(set(seen))


def test_v1_max_keys_zero(s3, tree):
    r = s3.list_objects(Bucket=tree, MaxKeys=0)
    assert keys(r) == []
    assert r["MaxKeys"] == 0


ORDER_KEYS = ["b", "a", "é", "😀", "Z", "A", "\uff21", "e\u0301", "a/", "a-", "a0", "~", "aa", "\u00ff"]


def test_order_is_utf8_binary(s3, bucket):
    for k in ORDER_KEYS:
        s3.put_object(Bucket=bucket, Key=k, Body=b"")
    expected = utf8_sorted(ORDER_KEYS)
    # sanity of the expectation itself: uppercase < lowercase < é < fullwidth A < emoji
    assert expected.index("A") < expected.index("a") < expected.index("é")
    assert expected.index("\uff21") < expected.index("😀")
    assert keys(s3.list_objects_v2(Bucket=bucket)) == expected
    assert keys(s3.list_objects(Bucket=bucket)) == expected
    # paginated order identical
    seen, token = [], None
    for _ in range(len(ORDER_KEYS) + 2):
        kw = {"ContinuationToken": token} if token else {}
        r = s3.list_objects_v2(Bucket=bucket, MaxKeys=3, **kw)
        seen += keys(r)
        if not r["IsTruncated"]:
            break
        token = r["NextContinuationToken"]
    assert seen == expected


ENC_KEYS = ["with space", "plus+sign", "café", "日本/語", "pct%41", "amp&lt", "tab\tkey"]


def test_encoding_type_url_v2_raw(signer, s3, bucket):
    for k in ENC_KEYS:
        s3.put_object(Bucket=bucket, Key=k, Body=b"")
    r = signer.request("GET", f"/{bucket}",
                       query=[("list-type", "2"), ("encoding-type", "url")])
    assert r.status == 200, r
    root = xml_root(r.body)
    assert find_text(root, "EncodingType") == "url"
    raw = [children_text(c, "Key") for c in find_all(root, "Contents")]
    for enc in raw:
        assert " " not in enc and "\t" not in enc and all(ord(ch) < 128 for ch in enc), enc
    decoded = [urllib.parse.unquote_plus(e) for e in raw]
    assert decoded == utf8_sorted(ENC_KEYS)


def test_encoding_type_url_v1_prefix_and_delimiter_encoded(signer, s3, bucket):
    for k in ["dir one/a b", "dir one/c", "other"]:
        s3.put_object(Bucket=bucket, Key=k, Body=b"")
    r = signer.request("GET", f"/{bucket}",
                       query=[("encoding-type", "url"), ("delimiter", " "), ("prefix", "dir")])
    assert r.status == 200, r
    root = xml_root(r.body)
    pfx = [children_text(p, "Prefix") for p in find_all(root, "CommonPrefixes")]
    assert [urllib.parse.unquote_plus(p) for p in pfx] == ["dir "]
    assert all(" " not in p for p in pfx)
    top_prefix = children_text(root, "Prefix")
    assert top_prefix == "dir"
    delim = children_text(root, "Delimiter")
    assert " " not in delim and urllib.parse.unquote_plus(delim) == " "


def test_encoding_type_url_via_boto3_explicit(s3, bucket):
    # explicit EncodingType: botocore leaves values encoded
    for k in ENC_KEYS:
        s3.put_object(Bucket=bucket, Key=k, Body=b"")
    r = s3.list_objects_v2(Bucket=bucket, EncodingType="url")
    assert [urllib.parse.unquote_plus(k) for k in keys(r)] == utf8_sorted(ENC_KEYS)
    assert any("%" in k or "+" in k for k in keys(r))


def test_keys_roundtrip_through_default_boto3_listing(s3, bucket):
    # boto3 asks for encoding-type=url by default and decodes; keys must come back exact
    for k in ENC_KEYS:
        s3.put_object(Bucket=bucket, Key=k, Body=b"")
    assert keys(s3.list_objects_v2(Bucket=bucket)) == utf8_sorted(ENC_KEYS)
    assert keys(s3.list_objects(Bucket=bucket)) == utf8_sorted(ENC_KEYS)


def test_paginators_return_every_key_exactly_once(s3, bucket):
    n = 1100
    all_keys = [f"p/{i % 7}/{i:05d}" for i in range(n)] + ["p/é", "q"]
    with ThreadPoolExecutor(10) as ex:
        list(ex.map(lambda k: s3.put_object(Bucket=bucket, Key=k, Body=b""), all_keys))
    expected = utf8_sorted(all_keys)

    v2 = [o["Key"] for page in s3.get_paginator("list_objects_v2").paginate(Bucket=bucket)
          for o in page.get("Contents", [])]
    assert v2 == expected

    v2_small = [o["Key"] for page in s3.get_paginator("list_objects_v2").paginate(
        Bucket=bucket, PaginationConfig={"PageSize": 250}) for o in page.get("Contents", [])]
    assert v2_small == expected

    v1 = [o["Key"] for page in s3.get_paginator("list_objects").paginate(Bucket=bucket)
          for o in page.get("Contents", [])]
    assert v1 == expected

    first = s3.list_objects_v2(Bucket=bucket)
    assert first["IsTruncated"] is True and first["KeyCount"] == 1000

    # with a delimiter: common prefixes are each reported once across pages
    pfx, ks = [], []
    for page in s3.get_paginator("list_objects_v2").paginate(
            Bucket=bucket, Prefix="p/", Delimiter="/", PaginationConfig={"PageSize": 3}):
        pfx += prefixes(page)
        ks += keys(page)
    assert pfx == [f"p/{i}/" for i in range(7)]
    assert ks == ["p/é"]


def test_v2_max_keys_over_1000_is_capped(s3, tree):
    r = s3.list_objects_v2(Bucket=tree, MaxKeys=5000)
    assert keys(r) == sorted(TREE)
    assert r["MaxKeys"] in (1000, 5000)
