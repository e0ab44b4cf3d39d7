import Foundation
import MagpieCore
import Testing

@testable import S3Protocol

@Suite("Presigned URLs (SigV4 query authentication)")
struct PresignTests {
    /// AWS "Authenticating Requests: Using Query Parameters" example.
    static let awsExample =
        "https://examplebucket.s3.amazonaws.com/test.txt?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKIAIOSFODNN7EXAMPLE%2F20130524%2Fus-east-1%2Fs3%2Faws4_request&X-Amz-Date=20130524T000000Z&X-Amz-Expires=86400&X-Amz-SignedHeaders=host&X-Amz-Signature=aeeed9bbccd4d02ee5c0109b86d86835f995330da4c265957d157751f604d404"

    /// botocore 1.43 `generate_presigned_url` (s3v4, path style, eu-west-3, fixed clock).
    static let botocoreVectors: [(String, String)] = [
        (
            "presign a b.txt",
            "http://127.0.0.1:9000/bucket/a%20b.txt?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKIDEXAMPLE%2F20240102%2Feu-west-3%2Fs3%2Faws4_request&X-Amz-Date=20240102T030405Z&X-Amz-Expires=3600&X-Amz-SignedHeaders=host&X-Amz-Signature=39204a36de8e9b803b89e9a33f7982e3e5fa9dc19f0f490f067f1067c44123fb"
        ),
        (
            "presign фото/日本.jpg",
            "http://127.0.0.1:9000/bucket/%D1%84%D0%BE%D1%82%D0%BE/%E6%97%A5%E6%9C%AC.jpg?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKIDEXAMPLE%2F20240102%2Feu-west-3%2Fs3%2Faws4_request&X-Amz-Date=20240102T030405Z&X-Amz-Expires=3600&X-Amz-SignedHeaders=host&X-Amz-Signature=b2365314e79318674c7dadc516eafbd40044d80aa19f834cc91f095c4a9a8fcb"
        ),
        (
            "presign a+b",
            "http://127.0.0.1:9000/bucket/a%2Bb?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKIDEXAMPLE%2F20240102%2Feu-west-3%2Fs3%2Faws4_request&X-Amz-Date=20240102T030405Z&X-Amz-Expires=3600&X-Amz-SignedHeaders=host&X-Amz-Signature=caf31079913cec7c9728032a8fb34de8274d3034df417c441578276012aa3c4c"
        ),
        (
            "presign put",
            "http://127.0.0.1:9000/bucket/up.bin?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKIDEXAMPLE%2F20240102%2Feu-west-3%2Fs3%2Faws4_request&X-Amz-Date=20240102T030405Z&X-Amz-Expires=600&X-Amz-SignedHeaders=host&X-Amz-Signature=bcbc562bf89725aa5d7603faf68e2fd9222abb061977d2360257f1421c830775"
        ),
    ]

    static func authenticate(_ url: String, now: Date, secret: String = AuthFixture.awsSecret) throws -> PayloadMode {
        try AuthFixture.authenticate(try AuthFixture.request(url: url), secret: secret, now: now)
    }

    @Test("the AWS example verifies during its validity")
    func awsExample() throws {
        for offset in [0.0, 3600, 86400] {
            #expect(try Self.authenticate(Self.awsExample, now: AuthFixture.awsExampleTime + offset) == .unsigned)
        }
        let parsed = try #require(try S3RequestAuth.parse(try AuthFixture.request(url: Self.awsExample)))
        #expect(parsed.accessKey == AuthFixture.awsAccessKey && parsed.isPresigned && parsed.signatureVersion == 4)
    }

    @Test("SigV4Signer reproduces the AWS example URL exactly")
    func signerReproducesExample() throws {
        let signer = SigV4Signer(accessKey: AuthFixture.awsAccessKey, secretKey: AuthFixture.awsSecret)
        let url = try #require(URL(string: "https://examplebucket.s3.amazonaws.com/test.txt"))
        let presigned = signer.presignedURL(method: "GET", url: url, expires: 86400, date: AuthFixture.awsExampleTime)
        #expect(presigned.absoluteString == Self.awsExample)
    }

    @Test("SigV4Signer produces the same presigned URLs as botocore", arguments: botocoreVectors.filter { !$0.0.contains("put") })
    func signerMatchesBotocore(_ name: String, _ expected: String) throws {
        let signer = SigV4Signer(accessKey: "AKIDEXAMPLE", secretKey: AuthFixture.botoSecret, region: "eu-west-3")
        let base = try #require(URL(string: String(expected.prefix { $0 != "?" })))
        #expect(signer.presignedURL(method: "GET", url: base, expires: 3600, date: AuthFixture.botoTime).absoluteString == expected)
    }

    @Test("botocore presigned URLs verify", arguments: botocoreVectors)
    func botocore(_ name: String, _ url: String) throws {
        let method = name.hasSuffix("put") ? "PUT" : "GET"
        let request = try AuthFixture.request(url: url, method: method)
        #expect(try AuthFixture.authenticate(request, secret: AuthFixture.botoSecret, now: AuthFixture.botoTime + 5) == .unsigned)
    }

    @Test("expired URLs are AccessDenied: Request has expired")
    func expired() throws {
        let now = AuthFixture.awsExampleTime + 86401
        do {
            _ = try Self.authenticate(Self.awsExample, now: now)
            Issue.record("an expired URL was accepted")
        } catch let error as MagpieError {
            #expect(error.code == .accessDenied && error.message == "Request has expired")
        }
    }

    @Test("URLs used long before their X-Amz-Date are AccessDenied")
    func notYetValid() {
        #expect(AuthFixture.errorCode { try Self.authenticate(Self.awsExample, now: AuthFixture.awsExampleTime - 3600) } == .accessDenied)
    }

    @Test(
        "malformed query parameters are AuthorizationQueryParametersError",
        arguments: [
            ("X-Amz-Expires=86400", "X-Amz-Expires=0"), ("X-Amz-Expires=86400", "X-Amz-Expires=-1"),
            ("X-Amz-Expires=86400", "X-Amz-Expires=604801"), ("X-Amz-Expires=86400", "X-Amz-Expires=soon"),
            ("&X-Amz-SignedHeaders=host", ""), ("X-Amz-Algorithm=AWS4-HMAC-SHA256&", ""),
            ("X-Amz-Algorithm=AWS4-HMAC-SHA256", "X-Amz-Algorithm=AWS4-HMAC-SHA1"),
            ("X-Amz-Date=20130524T000000Z", "X-Amz-Date=2013-05-24"), ("X-Amz-Date=20130524T000000Z", "X-Amz-Date=20130525T000000Z"),
            ("%2Fs3%2F", "%2Fec2%2F"), ("AKIAIOSFODNN7EXAMPLE%2F", ""),
        ])
    func malformed(_ original: String, _ replacement: String) {
        let url = Self.awsExample.replacingOccurrences(of: original, with: replacement)
        #expect(url != Self.awsExample)
        #expect(AuthFixture.errorCode { try S3RequestAuth.parse(try AuthFixture.request(url: url)) } == .authorizationQueryParametersError)
    }

    @Test("a week is the longest validity accepted")
    func week() throws {
        let signer = SigV4Signer(accessKey: "AK", secretKey: "SK")
        let url = try #require(URL(string: "http://127.0.0.1:9000/b/k"))
        let presigned = signer.presignedURL(method: "GET", url: url, expires: 604_800, date: AuthFixture.botoTime)
        #expect(try Self.authenticate(presigned.absoluteString, now: AuthFixture.botoTime + 604_800, secret: "SK") == .unsigned)
        #expect(
            AuthFixture.errorCode { try Self.authenticate(presigned.absoluteString, now: AuthFixture.botoTime + 604_801, secret: "SK") }
                == .accessDenied)
    }

    @Test("tampering with the URL or using a wrong secret fails the signature")
    func tampered() {
        let variants = [
            Self.awsExample.replacingOccurrences(of: "/test.txt", with: "/test2.txt"),
            Self.awsExample + "&versionId=1",
            Self.awsExample.replacingOccurrences(of: "d404", with: "d405"),
        ]
        for url in variants {
            #expect(AuthFixture.errorCode { try Self.authenticate(url, now: AuthFixture.awsExampleTime) } == .signatureDoesNotMatch)
        }
        #expect(
            AuthFixture.errorCode { try Self.authenticate(Self.awsExample, now: AuthFixture.awsExampleTime, secret: "x") } == .signatureDoesNotMatch)
    }

    @Test("an x-amz-* header the URL did not sign is refused")
    func unsignedHeader() throws {
        let request = try AuthFixture.request(url: Self.awsExample, headers: [("x-amz-acl", "public-read")])
        #expect(
            AuthFixture.errorCode { try AuthFixture.authenticate(request, secret: AuthFixture.awsSecret, now: AuthFixture.awsExampleTime) }
                == .accessDenied)
    }

    @Test(
        "SigV4Signer presigned URLs verify, with awkward keys and existing queries",
        arguments: [
            "http://127.0.0.1:9000/bucket/a%20b/%E6%97%A5.jpg", "http://127.0.0.1:9000/bucket/k?versionId=x%2By&partNumber=2",
            "https://s3.example.test/b/dir//x/../y/", "http://localhost:8080/b/a+b",
        ])
    func roundTrip(_ text: String) throws {
        let signer = SigV4Signer(accessKey: "AK", secretKey: "SK", region: "auto")
        let url = try #require(URL(string: text))
        let presigned = signer.presignedURL(method: "PUT", url: url, expires: 300, date: AuthFixture.botoTime)
        #expect(presigned.absoluteString.hasPrefix(text))
        let request = try AuthFixture.request(url: presigned.absoluteString, method: "PUT")
        #expect(try AuthFixture.authenticate(request, secret: "SK", now: AuthFixture.botoTime + 300) == .unsigned)
        #expect(AuthFixture.errorCode { try AuthFixture.authenticate(request, secret: "SK", now: AuthFixture.botoTime + 301) } == .accessDenied)
    }
}
