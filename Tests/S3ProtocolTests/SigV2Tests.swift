import Foundation
import MagpieCore
import Testing

@testable import S3Protocol

@Suite("SigV2 (legacy HMAC-SHA1) authentication")
struct SigV2Tests {
    /// AWS "Signing and Authenticating REST Requests" examples (the `johnsmith` edition, whose
    /// signatures many independent implementations reproduce), with the time each was signed.
    static let awsExamples: [(WireRequest, Date)] = [
        example(
            "Object GET", "GET", "/photos/puppy.jpg", "", bucket: "johnsmith", [("Date", "Tue, 27 Mar 2007 19:36:42 +0000")],
            "bWq2s1WEIj+Ydj0vQ697zp+IXMU=", at: 1_175_024_202),
        example(
            "Object PUT", "PUT", "/photos/puppy.jpg", "", bucket: "johnsmith",
            [("Content-Type", "image/jpeg"), ("Content-Length", "94328"), ("Date", "Tue, 27 Mar 2007 21:15:45 +0000")],
            "MyyxeRY7whkBe+bq8fHCL/2kKUg=", at: 1_175_030_145),
        example(
            "List", "GET", "/", "prefix=photos&max-keys=50&marker=puppy", bucket: "johnsmith",
            [("User-Agent", "Mozilla/5.0"), ("Date", "Tue, 27 Mar 2007 19:42:41 +0000")], "htDYFYduRNen8P9ZfE/s9SuKy0U=", at: 1_175_024_561),
        example(
            "Fetch", "GET", "/", "acl", bucket: "johnsmith", [("Date", "Tue, 27 Mar 2007 19:44:46 +0000")], "c2WLPFtWHVgbEmeEG93a4cG37dM=",
            at: 1_175_024_686),
        example(
            "Delete (x-amz-date in the Date line)", "DELETE", "/johnsmith/photos/puppy.jpg", "", bucket: nil,
            [("User-Agent", "dotnet"), ("Date", "Tue, 27 Mar 2007 21:20:27 +0000"), ("x-amz-date", "Tue, 27 Mar 2007 21:20:26 +0000")],
            "lx3byBScXR6KzyMaifNkardMwNk=", at: 1_175_030_426),
        example(
            "Upload", "PUT", "/db-backup.dat.gz", "", bucket: "static.johnsmith.net",
            [
                ("User-Agent", "curl/7.15.5"), ("Date", "Tue, 27 Mar 2007 21:06:08 +0000"), ("x-amz-acl", "public-read"),
                ("content-type", "application/x-download"), ("Content-MD5", "4gJE4saaMU4BqNR0kLY+lw=="),
                ("X-Amz-Meta-ReviewedBy", "joe@johnsmith.net"), ("X-Amz-Meta-ReviewedBy", "jane@johnsmith.net"),
                ("X-Amz-Meta-FileChecksum", "0x02661779"), ("X-Amz-Meta-ChecksumAlgorithm", "crc32"),
                ("Content-Disposition", "attachment; filename=database.dat"), ("Content-Encoding", "gzip"), ("Content-Length", "5913339"),
            ], "ilyl83RwaSoYIEdixDQcA4OnAnc=", at: 1_175_029_568),
        example(
            "List all my buckets", "GET", "/", "", bucket: nil, [("Date", "Wed, 28 Mar 2007 01:29:59 +0000")], "qGdzdERIC03wnaRNKh6OqZehG9s=",
            at: 1_175_045_399),
        example(
            "Unicode keys", "GET", "/dictionary/fran%C3%A7ais/pr%c3%a9f%c3%a8re", "", bucket: nil, [("Date", "Wed, 28 Mar 2007 01:49:49 +0000")],
            "DNEZGsoieTZ92F3bUfSPQcbGmlM=", at: 1_175_046_589),
        // The convention AWS's prose, MinIO and boto 2 follow: an empty Date line and x-amz-date among
        // the x-amz-* headers (signature computed with Python's hmac for this test).
        example(
            "Delete (empty Date line)", "DELETE", "/johnsmith/photos/puppy.jpg", "", bucket: nil,
            [("Date", "Tue, 27 Mar 2007 21:20:27 +0000"), ("x-amz-date", "Tue, 27 Mar 2007 21:20:26 +0000")], "R4dJ53KECjStyBO5iTBJZ4XVOaI=",
            at: 1_175_030_426),
    ]

    static func example(
        _ name: String, _ method: String, _ path: String, _ query: String, bucket: String?, _ headers: [(String, String)],
        _ signature: String, at time: TimeInterval
    ) -> (WireRequest, Date) {
        var request = WireRequest(
            name, method, path, query,
            [("Host", "s3.amazonaws.com")] + headers + [("Authorization", "AWS AKIAIOSFODNN7EXAMPLE:\(signature)")])
        request.bucket = bucket
        return (request, Date(timeIntervalSince1970: time))
    }

    /// botocore 1.43 `HmacV1Auth` (`signature_version="s3"`), fixed clock; the `virtual` ones
    /// addressed the bucket through the Host header.
    static let botocoreVectors: [WireRequest] = [
        WireRequest(
            "GET a b.txt", "GET", "/bucket/a%20b.txt", "",
            [
                ("Host", "127.0.0.1:9000"),
                ("x-amz-checksum-mode", "ENABLED"),
                ("Date", "Tue, 02 Jan 2024 03:04:05 GMT"),
                ("Authorization", "AWS AKIDEXAMPLE:SUn7WE7s3miAM31TqrHBJ7BmrhI="),
            ]
        ),
        WireRequest(
            "GET фото/日本.jpg", "GET", "/bucket/%D1%84%D0%BE%D1%82%D0%BE/%E6%97%A5%E6%9C%AC.jpg", "",
            [
                ("Host", "127.0.0.1:9000"),
                ("x-amz-checksum-mode", "ENABLED"),
                ("Date", "Tue, 02 Jan 2024 03:04:05 GMT"),
                ("Authorization", "AWS AKIDEXAMPLE:hwanYUl9c5E3iJxcuLBL9s8EY5I="),
            ]
        ),
        WireRequest(
            "GET a+b", "GET", "/bucket/a%2Bb", "",
            [
                ("Host", "127.0.0.1:9000"),
                ("x-amz-checksum-mode", "ENABLED"),
                ("Date", "Tue, 02 Jan 2024 03:04:05 GMT"),
                ("Authorization", "AWS AKIDEXAMPLE://wkXgPQk1GKVG8WiqkHNQftVHs="),
            ]
        ),
        WireRequest(
            "put", "PUT", "/bucket/k", "",
            [
                ("Host", "127.0.0.1:9000"),
                ("x-amz-meta-note", "x"),
                ("Content-Type", "text/plain"),
                ("x-amz-acl", "public-read"),
                ("Expect", "100-continue"),
                ("x-amz-checksum-crc32", "NhCmhg=="),
                ("x-amz-sdk-checksum-algorithm", "CRC32"),
                ("Date", "Tue, 02 Jan 2024 03:04:05 GMT"),
                ("Authorization", "AWS AKIDEXAMPLE:+oIheEUBcckI+szzK3ZiR0I/el8="),
                ("Content-Length", "5"),
            ], body: "hello"
        ),
        WireRequest(
            "acl", "GET", "/bucket/k", "acl&versionId=v%201",
            [
                ("Host", "127.0.0.1:9000"),
                ("Date", "Tue, 02 Jan 2024 03:04:05 GMT"),
                ("Authorization", "AWS AKIDEXAMPLE:JeL2fh6ltLlgblOIkDgCTVEIXsY="),
            ]
        ),
        WireRequest(
            "list", "GET", "/bucket", "prefix=p&delimiter=%2F&encoding-type=url",
            [
                ("Host", "127.0.0.1:9000"),
                ("Date", "Tue, 02 Jan 2024 03:04:05 GMT"),
                ("Authorization", "AWS AKIDEXAMPLE:4mIfOb1XI0xNIqTw8Rvq2jP04m4="),
            ]
        ),
        WireRequest(
            "respheaders", "GET", "/bucket/k",
            "response-content-disposition=attachment%3B%20filename%3D%22a%20b.txt%22&response-content-type=text%2Fplain",
            [
                ("Host", "127.0.0.1:9000"),
                ("x-amz-checksum-mode", "ENABLED"),
                ("Date", "Tue, 02 Jan 2024 03:04:05 GMT"),
                ("Authorization", "AWS AKIDEXAMPLE:sVs9g5rPtAPbzk/MNhR+WbMyrjY="),
            ]
        ),
        WireRequest(
            "virtual GET", "GET", "/a%20b.txt", "",
            [
                ("Host", "bucket.s3.example.test"),
                ("x-amz-checksum-mode", "ENABLED"),
                ("Date", "Tue, 02 Jan 2024 03:04:05 GMT"),
                ("Authorization", "AWS AKIDEXAMPLE:SUn7WE7s3miAM31TqrHBJ7BmrhI="),
            ]
        ),
        WireRequest(
            "virtual list", "GET", "/", "encoding-type=url",
            [
                ("Host", "bucket.s3.example.test"),
                ("Date", "Tue, 02 Jan 2024 03:04:05 GMT"),
                ("Authorization", "AWS AKIDEXAMPLE:4mIfOb1XI0xNIqTw8Rvq2jP04m4="),
            ]
        ),
    ].map { vector in
        var copy = vector
        if vector.name.hasPrefix("virtual") { copy.bucket = "bucket" }
        return copy
    }

    /// botocore 1.43 `generate_presigned_url` with `signature_version="s3"`.
    static let botocorePresigned: [(String, String)] = [
        (
            "presign get",
            "http://127.0.0.1:9000/bucket/a%20b.txt?AWSAccessKeyId=AKIDEXAMPLE&Signature=rH7bqelw1vFBv6sq%2BFur89sF%2Bmk%3D&Expires=1704168245"
        ),
        (
            "presign put",
            "http://127.0.0.1:9000/bucket/k?AWSAccessKeyId=AKIDEXAMPLE&Signature=BesQcZNL7k%2FqW8d%2BD2jwE7u8hr8%3D&content-type=image%2Fpng&x-amz-meta-who=me&Expires=1704165245"
        ),
        (
            "presign virtual",
            "http://bucket.s3.example.test/%D1%84%D0%BE%D1%82%D0%BE.jpg?AWSAccessKeyId=AKIDEXAMPLE&Signature=MJWe88cgdq1kHhDR9qMSwrNtvgM%3D&Expires=1704164705"
        ),
    ]

    @Test("AWS documentation examples verify", arguments: awsExamples)
    func awsExample(_ example: WireRequest, _ time: Date) throws {
        let mode = try AuthFixture.authenticate(example.signable, secret: AuthFixture.awsSecret, now: time)
        #expect(mode == .unsigned)
        let parsed = try #require(try S3RequestAuth.parse(example.signable))
        #expect(parsed.accessKey == AuthFixture.awsAccessKey && parsed.signatureVersion == 2 && !parsed.isPresigned)
    }

    @Test("the AWS query-string example verifies until it expires")
    func awsQueryExample() throws {
        var request = try AuthFixture.request(
            url:
                "http://johnsmith.s3.amazonaws.com/photos/puppy.jpg?AWSAccessKeyId=AKIAIOSFODNN7EXAMPLE&Signature=NpgCjnDzrM%2BWFzoENXmpNDUsSn8%3D&Expires=1175139620"
        )
        request.virtualHostBucket = "johnsmith"
        let expires = Date(timeIntervalSince1970: 1_175_139_620)
        #expect(try AuthFixture.authenticate(request, secret: AuthFixture.awsSecret, now: expires - 600) == .unsigned)
        #expect(try AuthFixture.authenticate(request, secret: AuthFixture.awsSecret, now: expires) == .unsigned)
        do {
            _ = try AuthFixture.authenticate(request, secret: AuthFixture.awsSecret, now: expires + 1)
            Issue.record("an expired URL was accepted")
        } catch let error as MagpieError {
            #expect(error.code == .accessDenied && error.message == "Request has expired")
        }
    }

    @Test("botocore-signed requests verify", arguments: botocoreVectors)
    func botocore(_ vector: WireRequest) throws {
        #expect(try AuthFixture.authenticate(vector.signable, secret: AuthFixture.botoSecret, now: AuthFixture.botoTime) == .unsigned)
    }

    @Test("botocore presigned URLs verify, with or without the headers they signed", arguments: botocorePresigned)
    func botocorePresignedURL(_ name: String, _ url: String) throws {
        let method = name.hasSuffix("put") ? "PUT" : "GET"
        var bare = try AuthFixture.request(url: url, method: method)
        if name.hasSuffix("virtual") { bare.virtualHostBucket = "bucket" }
        var withHeaders = bare
        if name.hasSuffix("put") { withHeaders.headers += [("Content-Type", "image/png"), ("x-amz-meta-who", "me")] }
        for request in [bare, withHeaders] {
            #expect(try AuthFixture.authenticate(request, secret: AuthFixture.botoSecret, now: AuthFixture.botoTime) == .unsigned)
            #expect(
                AuthFixture.errorCode { try AuthFixture.authenticate(request, secret: AuthFixture.botoSecret, now: AuthFixture.botoTime + 3601) }
                    == .accessDenied)
        }
    }

    @Test("a signed sub-resource cannot be added or changed; other query parameters are not signed")
    func subResources() {
        let base = Self.botocoreVectors[0]
        var addAcl = base
        addAcl.query = "acl"
        var other = base
        other.query = "x-id=GetObject"
        #expect(
            AuthFixture.errorCode { try AuthFixture.authenticate(addAcl.signable, secret: AuthFixture.botoSecret, now: AuthFixture.botoTime) }
                == .signatureDoesNotMatch)
        #expect(
            AuthFixture.errorCode { try AuthFixture.authenticate(other.signable, secret: AuthFixture.botoSecret, now: AuthFixture.botoTime) } == nil)
    }

    @Test("canonical resource: bucket from the Host header, sub-resources sorted, values decoded")
    func canonicalResource() {
        let request = SignableRequest(
            method: "GET", rawPath: "/a%20b", rawQuery: "versionId=v%201&prefix=x&acl&response-content-type=text%2Fplain&uploadId=",
            headers: [], virtualHostBucket: "bkt")
        #expect(SigV2StringToSign.canonicalResource(request) == "/bkt/a%20b?acl&response-content-type=text/plain&uploadId=&versionId=v 1")
    }

    @Test("wrong secret, clock skew, missing date and malformed credentials are refused")
    func refusals() {
        let vector = Self.botocoreVectors[0]
        let secret = AuthFixture.botoSecret
        let now = AuthFixture.botoTime
        #expect(AuthFixture.errorCode { try AuthFixture.authenticate(vector.signable, secret: "wrong", now: now) } == .signatureDoesNotMatch)
        #expect(AuthFixture.errorCode { try AuthFixture.authenticate(vector.signable, secret: secret, now: now + 901) } == .requestTimeTooSkewed)
        #expect(AuthFixture.errorCode { try AuthFixture.authenticate(vector.signable, secret: secret, now: now - 901) } == .requestTimeTooSkewed)
        #expect(AuthFixture.errorCode { try AuthFixture.authenticate(vector.signable, secret: secret, now: now + 899) } == nil)
        let noDate = vector.replacingHeader("Date", with: nil)
        #expect(AuthFixture.errorCode { try AuthFixture.authenticate(noDate.signable, secret: secret, now: now) } == .accessDenied)
        for value in ["AWS :sig", "AWS AKID:", "AWS AKID"] {
            let request = vector.replacingHeader("Authorization", with: value)
            #expect(AuthFixture.errorCode { try S3RequestAuth.parse(request.signable) } == .invalidArgument)
        }
    }

    @Test("incomplete or invalid query authentication is AccessDenied")
    func queryRefusals() throws {
        for url in [
            "http://h/b/k?AWSAccessKeyId=AK&Signature=abc", "http://h/b/k?Signature=abc&Expires=1",
            "http://h/b/k?AWSAccessKeyId=AK&Signature=abc&Expires=tomorrow",
        ] {
            #expect(AuthFixture.errorCode { try S3RequestAuth.parse(try AuthFixture.request(url: url)) } == .accessDenied)
        }
    }
}
