"""Known-answer checks of the suite's own SigV4 signer against AWS's published
examples, so that auth failures elsewhere can be blamed on the server, not on us.
These need no server."""

import datetime as dt
import re

import helpers as h

WHEN = dt.datetime(2013, 5, 24, tzinfo=dt.timezone.utc)
EXAMPLE = h.Creds("AKIAIOSFODNN7EXAMPLE", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY")


def test_sigv4_header_get_object_example():
    s = h.sign_v4_headers("GET", "/test.txt", [],
                          {"Host": "examplebucket.s3.amazonaws.com", "Range": "bytes=0-9"},
                          h.EMPTY_SHA256, EXAMPLE, WHEN)
    assert s.signature == "f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41"


def test_sigv4_presigned_example():
    url = h.presign_v4("GET", "examplebucket.s3.amazonaws.com", "/test.txt", EXAMPLE, 86400, WHEN)
    assert url.endswith(
        "X-Amz-Signature=aeeed9bbccd4d02ee5c0109b86d86835f995330da4c265957d157751f604d404")


def test_sigv4_streaming_chunk_signatures_example():
    s = h.sign_v4_headers(
        "PUT", "/examplebucket/chunkObject.txt", [],
        {"Host": "s3.amazonaws.com", "x-amz-storage-class": "REDUCED_REDUNDANCY",
         "Content-Encoding": "aws-chunked", "x-amz-decoded-content-length": "66560",
         "Content-Length": "66824"},
        h.STREAMING_SIGNED, EXAMPLE, WHEN)
    assert s.signature == "4f232c4386841ef735655705268965c44a0e4690baa4adea153f7db9fa80a0a9"
    body = h.aws_chunked_signed_body([b"a" * 65536, b"a" * 1024], s)
    assert len(body) == 66824 == h.aws_chunked_signed_length([65536, 1024])
    sigs = re.findall(rb"chunk-signature=([0-9a-f]{64})", body)
    assert [x.decode() for x in sigs] == [
        "ad80c730a21e5b8d04586a2213dd63b9a0e99e0e2307b0ade35a65485a288648",
        "0055627c9e194cb4542bae2aa5492e3c1575bbb81b612b7d234b86a503ef5497",
        "b6c6ea8a5354eaf15b3cb7646744f4275b71ea724fed81ceb9323e279d449df9",
    ]


def test_crc32c_known_answer():
    # RFC 3720 / iSCSI check value
    assert h.crc32c(b"123456789") == 0xE3069283
