import Foundation
import MagpieCore
import Testing

@testable import S3Protocol

/// Known-answer vectors and helpers for browser uploads (POST Object).
enum PostFixture {
    static let accessKey = "AKIAIOSFODNN7EXAMPLE"
    static let secret = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"
    /// 2015-12-29T00:00:00Z, the day every vector below was signed.
    static let signingDay = Date(timeIntervalSince1970: 1_451_347_200)

    /// AWS "Example: Browser-Based Upload using HTTP POST (Using AWS Signature Version 4)": the
    /// policy as the page gives it in base64 (648 bytes of JSON with CRLF line ends), its form and
    /// its stated signature.
    static let awsPolicy =
        "eyAiZXhwaXJhdGlvbiI6ICIyMDE1LTEyLTMwVDEyOjAwOjAwLjAwMFoiLA0KICAiY29uZGl0aW9ucyI6IFsNCiAgICB7ImJ1Y2tldCI6ICJzaWd2NGV4YW1wbGVidWNrZXQifSwNCiAgICBbInN0YXJ0cy13aXRoIiwgIiRrZXkiLCAidXNlci91c2VyMS8iXSwNCiAgICB7ImFjbCI6ICJwdWJsaWMtcmVhZCJ9LA0KICAgIHsic3VjY2Vzc19hY3Rpb25fcmVkaXJlY3QiOiAiaHR0cDovL3NpZ3Y0ZXhhbXBsZWJ1Y2tldC5zMy5hbWF6b25hd3MuY29tL3N1Y2Nlc3NmdWxfdXBsb2FkLmh0bWwifSwNCiAgICBbInN0YXJ0cy13aXRoIiwgIiRDb250ZW50LVR5cGUiLCAiaW1hZ2UvIl0sDQogICAgeyJ4LWFtei1tZXRhLXV1aWQiOiAiMTQzNjUxMjM2NTEyNzQifSwNCiAgICB7IngtYW16LXNlcnZlci1zaWRlLWVuY3J5cHRpb24iOiAiQUVTMjU2In0sDQogICAgWyJzdGFydHMtd2l0aCIsICIkeC1hbXotbWV0YS10YWciLCAiIl0sDQoNCiAgICB7IngtYW16LWNyZWRlbnRpYWwiOiAiQUtJQUlPU0ZPRE5ON0VYQU1QTEUvMjAxNTEyMjkvdXMtZWFzdC0xL3MzL2F3czRfcmVxdWVzdCJ9LA0KICAgIHsieC1hbXotYWxnb3JpdGhtIjogIkFXUzQtSE1BQy1TSEEyNTYifSwNCiAgICB7IngtYW16LWRhdGUiOiAiMjAxNTEyMjlUMDAwMDAwWiIgfQ0KICBdDQp9"
    static let awsForm: [(String, String)] = [
        ("key", "user/user1/${filename}"), ("acl", "public-read"),
        ("success_action_redirect", "http://sigv4examplebucket.s3.amazonaws.com/successful_upload.html"),
        ("Content-Type", "image/jpeg"), ("x-amz-meta-uuid", "14365123651274"), ("x-amz-server-side-encryption", "AES256"),
        ("X-Amz-Credential", "AKIAIOSFODNN7EXAMPLE/20151229/us-east-1/s3/aws4_request"), ("X-Amz-Algorithm", "AWS4-HMAC-SHA256"),
        ("X-Amz-Date", "20151229T000000Z"), ("x-amz-meta-tag", ""), ("Policy", awsPolicy),
        ("X-Amz-Signature", "8afdbf4008c03f22c2cd3cdb72e4afbb1f6a588f3255ac628749a66d7f09699e"),
    ]

    /// botocore 1.43.11 `generate_presigned_post` with its clock fixed at 2015-12-29T00:00:00Z and the
    /// example credentials, region us-east-1: (bucket, file name, fields in order).
    static let botocore: [(String, String, [(String, String)])] = [
        (
            "sigv4examplebucket", "photo.jpg",
            [
                ("key", "user/user1/photo.jpg"), ("x-amz-algorithm", "AWS4-HMAC-SHA256"),
                ("x-amz-credential", "AKIAIOSFODNN7EXAMPLE/20151229/us-east-1/s3/aws4_request"), ("x-amz-date", "20151229T000000Z"),
                (
                    "policy",
                    "eyJleHBpcmF0aW9uIjogIjIwMTUtMTItMjlUMDE6MDA6MDBaIiwgImNvbmRpdGlvbnMiOiBbeyJidWNrZXQiOiAic2lndjRleGFtcGxlYnVja2V0In0sIHsia2V5IjogInVzZXIvdXNlcjEvcGhvdG8uanBnIn0sIHsieC1hbXotYWxnb3JpdGhtIjogIkFXUzQtSE1BQy1TSEEyNTYifSwgeyJ4LWFtei1jcmVkZW50aWFsIjogIkFLSUFJT1NGT0ROTjdFWEFNUExFLzIwMTUxMjI5L3VzLWVhc3QtMS9zMy9hd3M0X3JlcXVlc3QifSwgeyJ4LWFtei1kYXRlIjogIjIwMTUxMjI5VDAwMDAwMFoifV19"
                ),
                ("x-amz-signature", "3364624b39010d9b06f5d9b8c9a18a6e478d261c048159c92f2fd6fa885f14e6"),
            ]
        ),
        // `("photos", "uploads/${filename}", Fields={"Content-Type": "image/png"}, Conditions=[{"Content-Type":
        // "image/png"}, ["content-length-range", 0, 1048576]], ExpiresIn=7200)`: what PostPolicyBuilder writes.
        ("photos", "cat.png", builderFields),
        // SigV2, `Config(signature_version="s3")`: `("photos", "notes/${filename}", Fields={"acl": "public-read"},
        // Conditions=[{"acl": "public-read"}, ["content-length-range", 1, 100]])`.
        (
            "photos", "a.txt",
            [
                ("acl", "public-read"), ("key", "notes/${filename}"), ("AWSAccessKeyId", "AKIAIOSFODNN7EXAMPLE"),
                (
                    "policy",
                    "eyJleHBpcmF0aW9uIjogIjIwMTUtMTItMjlUMDE6MDA6MDBaIiwgImNvbmRpdGlvbnMiOiBbeyJhY2wiOiAicHVibGljLXJlYWQifSwgWyJjb250ZW50LWxlbmd0aC1yYW5nZSIsIDEsIDEwMF0sIHsiYnVja2V0IjogInBob3RvcyJ9LCBbInN0YXJ0cy13aXRoIiwgIiRrZXkiLCAibm90ZXMvIl1dfQ=="
                ),
                ("signature", "sqXAk3B9B8Vx80cJG5IJMlgDU8M="),
            ]
        ),
    ]
    static let builderFields: [(String, String)] = [
        ("Content-Type", "image/png"), ("key", "uploads/${filename}"), ("x-amz-algorithm", "AWS4-HMAC-SHA256"),
        ("x-amz-credential", "AKIAIOSFODNN7EXAMPLE/20151229/us-east-1/s3/aws4_request"), ("x-amz-date", "20151229T000000Z"),
        (
            "policy",
            "eyJleHBpcmF0aW9uIjogIjIwMTUtMTItMjlUMDI6MDA6MDBaIiwgImNvbmRpdGlvbnMiOiBbeyJDb250ZW50LVR5cGUiOiAiaW1hZ2UvcG5nIn0sIFsiY29udGVudC1sZW5ndGgtcmFuZ2UiLCAwLCAxMDQ4NTc2XSwgeyJidWNrZXQiOiAicGhvdG9zIn0sIFsic3RhcnRzLXdpdGgiLCAiJGtleSIsICJ1cGxvYWRzLyJdLCB7IngtYW16LWFsZ29yaXRobSI6ICJBV1M0LUhNQUMtU0hBMjU2In0sIHsieC1hbXotY3JlZGVudGlhbCI6ICJBS0lBSU9TRk9ETk43RVhBTVBMRS8yMDE1MTIyOS91cy1lYXN0LTEvczMvYXdzNF9yZXF1ZXN0In0sIHsieC1hbXotZGF0ZSI6ICIyMDE1MTIyOVQwMDAwMDBaIn1dfQ=="
        ),
        ("x-amz-signature", "da32518355ef5895851dc694075e92d44d2f0b5c5bdcf168d955c99c37391a53"),
    ]

    static func form(_ fields: [(String, String)]) -> PostFormFields {
        var form = PostFormFields()
        for (name, value) in fields { form.append(name: name, value: value) }
        return form
    }

    /// Everything a server does with a form, in the order it should: key, signature, policy, size.
    static func accept(_ fields: [(String, String)], bucket: String, filename: String?, size: Int64, now: Date) throws {
        let form = form(fields)
        #expect(try PostSignature.accessKey(fields: form.lowercased) == accessKey)
        try PostSignature.verify(fields: form.lowercased, secretKey: secret)
        let policy = try PostPolicy.decode(base64: form["policy"] ?? "")
        try policy.check(fields: form.policyFields(bucket: bucket, filename: filename), now: now)
        try policy.checkContentLength(size)
    }

    /// A policy of `conditions` (JSON text) expiring in 2030, in base64.
    static func policy(_ conditions: String, expiration: String = "\"2030-01-01T00:00:00Z\"") -> String {
        Base64.encode(Array("{\"expiration\": \(expiration), \"conditions\": [\(conditions)]}".utf8))
    }

    static func error(_ body: () throws -> Any?) -> MagpieError? {
        do {
            _ = try body()
            return nil
        } catch {
            return error as? MagpieError
        }
    }
}

@Suite("POST policy: signatures, vectors, conditions and documents")
struct PostPolicyTests {
    @Test("AWS's SigV4 POST example verifies, its form passes its policy, and it expires")
    func awsExample() throws {
        let form = PostFixture.form(PostFixture.awsForm)
        try PostFixture.accept(
            PostFixture.awsForm, bucket: "sigv4examplebucket", filename: "C:\\photos\\cat.jpg", size: 10, now: PostFixture.signingDay)
        let policy = try PostPolicy.decode(base64: PostFixture.awsPolicy)
        #expect(policy.expiration == Date(timeIntervalSince1970: 1_451_476_800))
        #expect(policy.conditions.count == 11)
        #expect(policy.contentLengthRange == nil)
        let fields = form.policyFields(bucket: "sigv4examplebucket", filename: "cat.jpg")
        #expect(fields["key"] == "user/user1/cat.jpg")
        let expired = PostFixture.error { try policy.check(fields: fields, now: Date(timeIntervalSince1970: 1_451_476_801)) }
        #expect(expired?.code == .accessDenied)
        #expect(expired?.message == "Invalid according to Policy: Policy expired.")
        #expect(PostFixture.error { try policy.check(fields: fields, now: Date(timeIntervalSince1970: 1_451_476_800)) } == nil)
        let wrongBucket = PostFixture.error {
            try policy.check(fields: form.policyFields(bucket: "other", filename: "a"), now: PostFixture.signingDay)
        }
        #expect(wrongBucket?.message == "Invalid according to Policy: Policy Condition failed: [\"eq\", \"$bucket\", \"sigv4examplebucket\"]")
    }

    @Test("botocore's presigned POSTs (SigV4 and SigV2) verify and pass", arguments: PostFixture.botocore)
    func botocore(_ bucket: String, _ filename: String, _ fields: [(String, String)]) throws {
        try PostFixture.accept(fields, bucket: bucket, filename: filename, size: 50, now: PostFixture.signingDay)
        let late = PostFixture.error {
            try PostFixture.accept(fields, bucket: bucket, filename: filename, size: 50, now: PostFixture.signingDay + 7201)
        }
        #expect(late?.message == "Invalid according to Policy: Policy expired.")
    }

    @Test("a wrong secret, a damaged policy or signature: SignatureDoesNotMatch", arguments: PostFixture.botocore)
    func tampered(_ bucket: String, _ filename: String, _ fields: [(String, String)]) {
        let form = PostFixture.form(fields).lowercased
        #expect(PostFixture.error { try PostSignature.verify(fields: form, secretKey: "wrong") }?.code == .signatureDoesNotMatch)
        var damaged = form
        damaged["policy"] = String(form["policy"]!.dropLast(2))
        #expect(PostFixture.error { try PostSignature.verify(fields: damaged, secretKey: PostFixture.secret) }?.code == .signatureDoesNotMatch)
        var forged = form
        for name in ["x-amz-signature", "signature"] where forged[name] != nil { forged[name] = String(forged[name]!.reversed()) }
        #expect(PostFixture.error { try PostSignature.verify(fields: forged, secretKey: PostFixture.secret) }?.code == .signatureDoesNotMatch)
    }

    @Test("field names are case-insensitive for signing: X-Amz-Signature, Policy, awsaccesskeyid")
    func fieldCase() throws {
        let fields = Dictionary(uniqueKeysWithValues: PostFixture.awsForm)
        try PostSignature.verify(fields: fields, secretKey: PostFixture.secret)
        let v2 = Dictionary(uniqueKeysWithValues: PostFixture.botocore[2].2.map { ($0.0.uppercased(), $0.1) })
        #expect(try PostSignature.accessKey(fields: v2) == PostFixture.accessKey)
    }

    @Test("PostPolicyBuilder writes exactly what botocore writes")
    func builder() throws {
        let builder = PostPolicyBuilder(
            bucket: "photos", keyPrefix: "uploads/", expiration: PostFixture.signingDay + 7200, maxSize: 1_048_576, contentType: "image/png")
        let fields = builder.fields(
            accessKey: PostFixture.accessKey, secretKey: PostFixture.secret, region: "us-east-1", date: PostFixture.signingDay)
        #expect(fields.map(\.0) == PostFixture.builderFields.map(\.0))
        #expect(fields.map(\.1) == PostFixture.builderFields.map(\.1))
        let plain = PostPolicyBuilder(bucket: "b", keyPrefix: "", expiration: PostFixture.signingDay + 60, maxSize: nil, contentType: nil)
        let plainFields = plain.fields(accessKey: "AK", secretKey: "SK", region: "eu-west-3", date: PostFixture.signingDay)
        #expect(plainFields.map(\.0) == ["key", "x-amz-algorithm", "x-amz-credential", "x-amz-date", "policy", "x-amz-signature"])
        let form = PostFixture.form(plainFields)
        try PostSignature.verify(fields: form.lowercased, secretKey: "SK")
        try PostPolicy.decode(base64: form["policy"]!).check(fields: form.policyFields(bucket: "b", filename: "x"), now: PostFixture.signingDay)
    }

    @Test("missing or malformed signing fields are named as S3 names them")
    func signingFields() {
        let v4 = Dictionary(uniqueKeysWithValues: PostFixture.botocore[0].2)
        let v2 = Dictionary(uniqueKeysWithValues: PostFixture.botocore[2].2.map { ($0.0.lowercased(), $0.1) })
        func failure(_ fields: [String: String]) -> MagpieError? { PostFixture.error { try PostSignature.accessKey(fields: fields) } }
        func missing(_ name: String) -> String {
            "Bucket POST must contain a field named '\(name)'.  If it is specified, please check the order of the fields."
        }
        #expect(failure(v4.filter { !["x-amz-algorithm", "x-amz-credential"].contains($0.key) })?.message == missing("X-Amz-Algorithm"))
        #expect(failure(v4.filter { $0.key != "x-amz-signature" })?.message == missing("X-Amz-Signature"))
        #expect(failure(v4.filter { $0.key != "x-amz-signature" })?.details.first?.1 == "X-Amz-Signature")
        #expect(failure(v4.filter { $0.key != "policy" })?.message == missing("Policy"))
        #expect(failure(v2.filter { $0.key != "signature" })?.message == missing("Signature"))
        #expect(failure(v2.filter { $0.key != "awsaccesskeyid" })?.message == missing("AWSAccessKeyId"))
        let anonymous = failure(["key": "a", "policy": "e30="])
        #expect(anonymous?.code == .accessDenied)
        #expect(anonymous?.message == "Access Denied")
        for (name, value) in [
            ("x-amz-credential", "AKIA/2015/us-east-1/s3/aws4_request"), ("x-amz-credential", "AKIA/20151229/us-east-1/ec2/aws4_request"),
            ("x-amz-date", "2015-12-29"), ("x-amz-algorithm", "AWS4-HMAC-SHA1"),
        ] {
            var fields = v4
            fields[name] = value
            #expect(failure(fields)?.code == .invalidArgument, "\(name)=\(value)")
        }
    }

    @Test("PostFormFields: case-insensitive names, duplicates comma-joined, ${filename}")
    func formFields() {
        let form = PostFixture.form([("x-amz-meta-tag", "Ninja"), ("Key", "up/${filename}"), ("X-Amz-Meta-Tag", "Stallman")])
        #expect(form["KEY"] == "up/${filename}")
        #expect(form.lowercased == ["x-amz-meta-tag": "Ninja,Stallman", "key": "up/${filename}"])
        #expect(form.policyFields(bucket: "b", filename: "/home/me/a.png") == ["x-amz-meta-tag": "Ninja,Stallman", "key": "up/a.png", "bucket": "b"])
        #expect(PostFormFields.expandingFilename(in: "u/${filename}", filename: "C:\\Program Files\\directory1\\file.txt") == "u/file.txt")
        #expect(PostFormFields.expandingFilename(in: "u/${filename}", filename: "") == "u/")
        #expect(PostFormFields.expandingFilename(in: "u/${filename}", filename: nil) == "u/${filename}")
    }
}

/// Conditions, sizes and malformed documents.
extension PostPolicyTests {
    static let now = Date(timeIntervalSince1970: 1_700_000_000)

    /// Checks `fields` (plus `bucket=b`) against a policy of `{"bucket": "b"}` and `condition`;
    /// returns the error message, nil when the form passes.
    static func check(_ condition: String, _ fields: [String: String]) -> String? {
        PostFixture.error {
            let policy = try PostPolicy.decode(base64: PostFixture.policy("{\"bucket\": \"b\"}, " + condition))
            try policy.check(fields: fields.merging(["bucket": "b"]) { $1 }, now: now)
            return nil
        }?.message
    }

    static func failed(_ condition: String) -> String {
        "Invalid according to Policy: Policy Condition failed: " + condition
    }

    /// (condition, fields that pass, fields that fail, the failure's message): every kind once.
    static let cases: [(String, [String: String], [String: String], String)] = [
        ("{\"acl\": \"public-read\"}", ["acl": "public-read"], ["acl": "private"], failed(#"["eq", "$acl", "public-read"]"#)),
        (#"["eq", "$key", "user/a.txt"]"#, ["key": "user/a.txt"], ["key": "user/A.txt"], failed(#"["eq", "$key", "user/a.txt"]"#)),
        (#"["starts-with", "$key", "user/"]"#, ["key": "user/a"], ["key": "User/a"], failed(#"["starts-with", "$key", "user/"]"#)),
        (
            #"["starts-with", "$Content-Type", "image/"]"#, ["content-type": "image/jpg,image/png, image/gif"],
            ["content-type": "image/jpg,text/plain"], failed(#"["starts-with", "$Content-Type", "image/"]"#)
        ),
        (
            #"["starts-with", "$success_action_redirect", ""]"#, ["success_action_redirect": "http://x/"], [:],
            failed(#"["starts-with", "$success_action_redirect", ""]"#)
        ),
        (#"["StArTs-WiTh", "$KeY", "foo"]"#, ["key": "foo.txt"], ["key": "bar.txt"], failed(#"["StArTs-WiTh", "$KeY", "foo"]"#)),
        (
            #"{"x-amz-meta-Tag": "a\"b"}"#, ["x-amz-meta-tag": "a\"b"], ["x-amz-meta-tag": "ab"],
            failed(#"["eq", "$x-amz-meta-Tag", "a\"b"]"#)
        ),
        (#"["eq", "key", "k"], {"key": "k"}"#, [:], ["key": "k"], failed(#"["eq", "key", "k"]"#)),
        (#"["content-length-range", "test", "10"], {"k": "v"}"#, [:], ["k": "v"], failed(#"["content-length-range", "test", "10"]"#)),
    ]

    @Test("each condition kind passes and fails", arguments: cases)
    func condition(_ condition: String, _ passing: [String: String], _ failing: [String: String], _ message: String) {
        if !passing.isEmpty { #expect(Self.check(condition, passing) == nil) }
        #expect(Self.check(condition, failing) == message)
    }

    @Test("every field must be covered, except the exempt ones")
    func coverage() {
        #expect(Self.check("{\"key\": \"k\"}", ["key": "k", "foo": "1", "Bar": "2"]) == "Invalid according to Policy: Extra input fields: bar, foo")
        let exempt = ["key": "k", "x-ignore-foo": "1", "policy": "p", "x-amz-signature": "s", "signature": "s", "awsaccesskeyid": "a", "file": "f"]
        #expect(Self.check("{\"key\": \"k\"}", exempt) == nil)
    }

    @Test("content-length-range: inclusive bounds, numbers or digit strings, narrowed by repeats")
    func contentLength() throws {
        let policy = try PostPolicy.decode(base64: PostFixture.policy(#"["content-length-range", 5, 10]"#))
        #expect(policy.contentLengthRange == 5...10)
        try policy.checkContentLength(5)
        try policy.checkContentLength(10)
        try policy.checkContentLength(1, complete: false)
        let small = PostFixture.error { try policy.checkContentLength(1) }
        #expect(small?.code == .entityTooSmall)
        #expect(small?.message == "Your proposed upload is smaller than the minimum allowed size")
        #expect(small?.details.map { "\($0.0)=\($0.1)" } == ["ProposedSize=1", "MinSizeAllowed=5"])
        let large = PostFixture.error { try policy.checkContentLength(12, complete: false) }
        #expect(large?.code == .entityTooLarge)
        #expect(large?.details.map { "\($0.0)=\($0.1)" } == ["ProposedSize=12", "MaxSizeAllowed=10"])
        let strings = try PostPolicy.decode(base64: PostFixture.policy(#"["content-length-range", "5", "10"]"#))
        #expect(strings.contentLengthRange == 5...10)
        let two = try PostPolicy.decode(base64: PostFixture.policy(#"["content-length-range", 0, 100], ["content-length-range", 50, 200]"#))
        #expect(two.contentLengthRange == 50...100)
        #expect(
            Self.check(#"["content-length-range", 0, 10], ["content-length-range", 20, 30]"#, [:])
                == Self.failed(#"["content-length-range", 20, 30]"#))
        #expect(Self.check(#"["content-length-range", 9, 1]"#, [:]) == Self.failed(#"["content-length-range", 9, 1]"#))
    }

    @Test(
        "expiration formats",
        arguments: [
            ("2015-12-30T12:00:00.000Z", 1_451_476_800.0), ("2015-12-30T12:00:00Z", 1_451_476_800), ("2015-12-30T12:00:00.5Z", 1_451_476_800.5),
        ])
    func expiration(_ text: String, _ seconds: Double) throws {
        #expect(try PostPolicy.decode(base64: PostFixture.policy("", expiration: "\"\(text)\"")).expiration == Date(timeIntervalSince1970: seconds))
    }

    /// (policy JSON, S3's message after "Invalid Policy: ").
    static let malformed: [(String, String)] = [
        (#"{"expiration": "2030-01-01T00:00:00Z", "conditions": [],}"#, "Invalid JSON."),
        (#"{"expiration": "2030-01-01T00:00:00Z", "conditions": [["eq", "$key", "a"],]}"#, "Invalid JSON."),
        (#"{"conditions": []}"#, "Policy missing expiration."),
        (#"{"expiration": "2030-01-01T00:00:00Z"}"#, "Policy missing conditions."),
        (#"{"expiration": "2030-01-01T00:00:00Z", "CONDITIONS": []}"#, "Unexpected: 'conditions'"),
        (#"{"Statement": [], "expiration": "2030-01-01T00:00:00Z", "conditions": []}"#, "Unexpected: 'statement'"),
        (#"{"expiration": "2011-09-13T07:52:58+02:00", "conditions": []}"#, "Invalid 'expiration' value: '2011-09-13T07:52:58+02:00'"),
        (#"{"expiration": "2015-10-17 03:15:59 UTC", "conditions": []}"#, "Invalid 'expiration' value: '2015-10-17 03:15:59 UTC'"),
        (#"{"expiration": "2030-01-01T00:00:00Z", "conditions": 5}"#, "Invalid 'conditions' value: must be a List."),
        (
            #"{"expiration": "2030-01-01T00:00:00Z", "conditions": [{}]}"#,
            "Invalid Simple-Condition: Simple-Conditions must have exactly one property specified."
        ),
        (
            #"{"expiration": "2030-01-01T00:00:00Z", "conditions": [{"a": "1", "b": "2"}]}"#,
            "Invalid Simple-Condition: Simple-Conditions must have exactly one property specified."
        ),
        (
            #"{"expiration": "2030-01-01T00:00:00Z", "conditions": [{"Content-Length": 6199034}]}"#,
            "Invalid Simple-Condition: value must be a string."
        ),
        (#"{"expiration": "2030-01-01T00:00:00Z", "conditions": [{"success_action_redirect": null}]}"#, "Invalid JSON."),
        (#"{"expiration": "2030-01-01T00:00:00Z", "conditions": [[]]}"#, "Invalid Condition: missing operation identifier."),
        (#"{"expiration": "2030-01-01T00:00:00Z", "conditions": [["ends-with", "$key", "x"]]}"#, "Invalid Condition: unknown operation 'ends-with'."),
        (#"{"expiration": "2030-01-01T00:00:00Z", "conditions": [["eq", "$key"]]}"#, "Invalid eq: wrong number of arguments."),
        (
            #"{"expiration": "2030-01-01T00:00:00Z", "conditions": [["content-length-range", 0]]}"#,
            "Invalid content-length-range: wrong number of arguments."
        ),
        (#"{"expiration": "2030-01-01T00:00:00Z", "conditions": [["content-length-range", 0, 512.0]]}"#, "Invalid JSON."),
        (#"{"expiration": "2030-01-01T00:00:00Z", "conditions": [["eq", "$key", 5]]}"#, "Invalid JSON."),
        (#"{"expiration": "2030-01-01T00:00:00Z", "conditions": ["key"]}"#, "Invalid condition test: must be a List or Object."),
        (#"["expiration"]"#, "Invalid JSON."),
        ("{\"expiration\": \"2030-01-01T00:00:00Z\", \"conditions\": [{\"key\": \"\\ud800\"}]}", "Invalid JSON."),
    ]

    @Test("malformed policy documents are InvalidPolicyDocument", arguments: malformed)
    func malformedDocument(_ json: String, _ message: String) {
        let error = PostFixture.error { try PostPolicy.decode(base64: Base64.encode(Array(json.utf8))) }
        #expect(error?.code == .invalidPolicyDocument)
        #expect(error?.message == "Invalid Policy: " + message)
    }

    @Test("other malformed inputs")
    func otherMalformed() {
        #expect(PostFixture.error { try PostPolicy.decode(base64: "not base64!") }?.message == "Invalid Policy: invalid Base64 encoding.")
        let negative = PostFixture.error { try PostPolicy.decode(base64: PostFixture.policy(#"["content-length-range", -1, 0]"#)) }
        #expect(negative?.code == .invalidPolicyDocument)
        #expect(PostFixture.error { try PostPolicy.decode(base64: PostFixture.policy("", expiration: "20300101")) }?.code == .invalidPolicyDocument)
    }

    @Test("JSON strings: escapes, unicode, and the wrapped base64 some encoders write")
    func jsonStrings() throws {
        let json = #"{"expiration": "2030-01-01T00:00:00Z", "conditions": [{"x-amz-meta-a": "\u00e9\ud83d\ude00\/\t\\$"}]}"#
        var wrapped = Base64.encode(Array(json.utf8))
        wrapped.insert(contentsOf: "\r\n", at: wrapped.index(wrapped.startIndex, offsetBy: 60))
        let policy = try PostPolicy.decode(base64: wrapped)
        #expect(policy.conditions.first?.test == .equals("é😀/\t\\$"))
        #expect(PolicyJSON.quote("é😀\"\u{1}", asciiOnly: true) == #""\u00e9\ud83d\ude00\"\u0001""#)
    }
}
