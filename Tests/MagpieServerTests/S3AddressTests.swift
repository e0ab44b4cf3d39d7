import HTTPTypes
import MagpieCore
import Testing

@testable import MagpieServer

@Suite struct S3AddressTests {
    @Test(arguments: [
        ("/", nil, nil),
        ("/bucket", "bucket", nil),
        ("/bucket/", "bucket", nil),
        ("/bucket/key", "bucket", "key"),
        ("/bucket/a%20b", "bucket", "a b"),
        ("/bucket/a+b", "bucket", "a+b"),
        ("/bucket/a%2Bb", "bucket", "a+b"),
        ("/bucket//lead", "bucket", "/lead"),
        ("/bucket/dir/", "bucket", "dir/"),
        ("/bucket/../x", "bucket", "../x"),
        ("/bucket/%E6%97%A5%F0%9F%98%80", "bucket", "日😀"),
        ("/bucket/q%3Fx?list-type=2", "bucket", "q?x"),
    ] as [(String, String?, String?)])
    func pathStyle(_ target: String, _ bucket: String?, _ key: String?) throws {
        let address = try S3Address(target: target, host: "localhost", domain: nil)
        #expect(address.bucketName == bucket)
        #expect(address.keyName == key)
    }

    @Test func virtualHostedStyle() throws {
        let address = try S3Address(target: "/photos/cat.jpg?x=1", host: "media.example.com:9000", domain: "example.com")
        #expect(address.bucketName == "media")
        #expect(address.keyName == "photos/cat.jpg")
        #expect(address.virtualHostBucket == "media")
        let pathStyle = try S3Address(target: "/media/cat.jpg", host: "example.com", domain: "example.com")
        #expect(pathStyle.bucketName == "media")
    }

    @Test func queryIsDecoded() throws {
        let address = try S3Address(target: "/b?prefix=a%20b&delimiter=%2F&uploads&max-keys=5", host: nil, domain: nil)
        #expect(address.value("prefix") == "a b")
        #expect(address.value("delimiter") == "/")
        #expect(address.has("uploads"))
        #expect(address.value("max-keys") == "5")
    }

    @Test(arguments: ["/bucket/%ZZ", "/bucket/%E6", "/bucket/%", "/b?prefix=%G1", "noslash"])
    func badEncodingIsInvalidURI(_ target: String) {
        #expect(throws: MagpieError.self) { try S3Address(target: target, host: nil, domain: nil) }
    }

    @Test(arguments: [
        ("GET", "/", S3Operation.listBuckets),
        ("PUT", "/b", .createBucket),
        ("GET", "/b?location", .getBucketLocation),
        ("GET", "/b?list-type=2", .listObjectsV2),
        ("GET", "/b", .listObjectsV1),
        ("POST", "/b?delete", .deleteObjects),
        ("PUT", "/b?versioning", .putBucketVersioning),
        ("PUT", "/b?lifecycle", .putBucketLifecycleConfiguration),
        ("GET", "/b?lifecycle", .getBucketLifecycleConfiguration),
        ("DELETE", "/b?lifecycle", .deleteBucketLifecycle),
        ("POST", "/b?lifecycle", .notImplemented),
        ("GET", "/b?versions", .listObjectVersions),
        ("GET", "/b?policy", .getBucketPolicy),
        ("GET", "/b?policyStatus", .getBucketPolicyStatus),
        ("PUT", "/b?cors", .putBucketCors),
        ("DELETE", "/b?publicAccessBlock", .deletePublicAccessBlock),
        ("PUT", "/b?ownershipControls", .putBucketOwnershipControls),
        ("GET", "/b?acl", .getBucketAcl),
        ("OPTIONS", "/b/any/key", .preflight),
        ("OPTIONS", "/b", .preflight),
        ("OPTIONS", "/", .notImplemented),
        ("GET", "/b/k?policy", .notImplemented),
        ("GET", "/b/k?versionId=abc", .getObject),
        ("PUT", "/b/k", .putObject),
        ("GET", "/b/k?x-id=GetObject", .getObject),
        ("GET", "/b/k?partNumber=1", .getObject),
        ("GET", "/b/k?partNumber=2", .getObject),
        ("POST", "/b/k?uploads", .createMultipartUpload),
        ("PUT", "/b/k?partNumber=3&uploadId=x", .uploadPart),
        ("POST", "/b/k?uploadId=x", .completeMultipartUpload),
        ("GET", "/b?uploads", .listMultipartUploads),
        ("GET", "/b/k?tagging", .getObjectTagging),
        ("GET", "/b/k?acl", .getObjectAcl),
        ("PUT", "/b/k?acl&versionId=v", .putObjectAcl),
        ("POST", "/b/k?restore", .restoreObject),
        ("GET", "/b/k?restore", .notImplemented),
        ("DELETE", "/b/k", .deleteObject),
        ("PATCH", "/b/k", .notImplemented),
    ] as [(String, String, S3Operation)])
    func identifiesOperations(_ method: String, _ target: String, _ expected: S3Operation) throws {
        let address = try S3Address(target: target, host: nil, domain: nil)
        #expect(S3Operation.identify(method: method, address: address) { _ in nil } == expected)
    }
}
