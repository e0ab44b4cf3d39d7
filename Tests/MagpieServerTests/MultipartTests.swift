import Foundation
import HTTPTypes
import HummingbirdTesting
import MagpieTesting
import ObjectService
import S3Protocol
import Testing

@Suite struct MultipartTests {
    static var smallParts: ObjectServiceConfiguration {
        var configuration = ObjectServiceConfiguration()
        configuration.minPartSize = 4
        return configuration
    }

    static func value(_ tag: String, in xml: String) -> String? {
        guard let start = xml.range(of: "<\(tag)>"), let end = xml.range(of: "</\(tag)>", range: start.upperBound..<xml.endIndex) else { return nil }
        return String(xml[start.upperBound..<end.lowerBound])
    }

    static func completeBody(_ parts: [(Int, String)]) -> [UInt8] {
        Array(("<CompleteMultipartUpload>" + parts.map { "<Part><PartNumber>\($0.0)</PartNumber><ETag>\($0.1)</ETag></Part>" }.joined()
            + "</CompleteMultipartUpload>").utf8)
    }

    @Test func partsInAnyOrderComposeWithAWSETag() async throws {
        try await TestServer.withApp(objects: Self.smallParts) { (s3: S3TestClient, server: TestServer) async throws in
            try await s3.send(.put, "/mpb")
            let created = try await s3.send(.post, "/mpb/obj?uploads", headers: [("content-type", "text/x-test")])
            let uploadId = try #require(Self.value("UploadId", in: created.text))
            let bodies = [Array("first-".utf8), Array("second-".utf8), Array("third".utf8)]
            var etags: [Int: String] = [:]
            for number in [3, 1, 2] {  // any order
                let response = try await s3.send(.put, "/mpb/obj?partNumber=\(number)&uploadId=\(uploadId)", body: bodies[number - 1])
                etags[number] = try #require(response.headers[HTTPField.Name("etag")!])
            }
            // Re-uploading a part number replaces it.
            etags[2] = try await s3.send(.put, "/mpb/obj?partNumber=2&uploadId=\(uploadId)", body: Array("SECOND-".utf8)).headers[HTTPField.Name("etag")!]
            let listed = try await s3.send(.get, "/mpb/obj?uploadId=\(uploadId)").text
            #expect(listed.components(separatedBy: "<Part>").count == 4)
            let done = try await s3.send(.post, "/mpb/obj?uploadId=\(uploadId)", body: Self.completeBody([(1, etags[1]!), (2, etags[2]!), (3, etags[3]!)]))
            var md5s: [UInt8] = []
            for body in [bodies[0], Array("SECOND-".utf8), bodies[2]] {
                var digest = Digester.md5()
                digest.update(body)
                md5s += digest.finalize()
            }
            var outer = Digester.md5()
            outer.update(md5s)
            #expect(Self.value("ETag", in: done.text)?.replacingOccurrences(of: "&quot;", with: "\"") == "\"\(outer.finalize().hexString)-3\"")
            let get = try await s3.send(.get, "/mpb/obj")
            #expect(get.text == "first-SECOND-third")
            #expect(get.headers[HTTPField.Name("content-type")!] == "text/x-test")
            let ranged = try await s3.send(.get, "/mpb/obj", headers: [("range", "bytes=4-8")])
            #expect(ranged.text == "t-SEC")
            let part2 = try await s3.send(.get, "/mpb/obj?partNumber=2")
            #expect(part2.text == "SECOND-")
            #expect(part2.headers[HTTPField.Name("x-amz-mp-parts-count")!] == "3")
            #expect(try await s3.send(.get, "/mpb/obj?partNumber=4").errorCode == "InvalidPartNumber")
            #expect(try ObjectTests.blobCount(server) == 1)
            #expect(try await s3.send(.get, "/mpb/obj?uploadId=\(uploadId)").errorCode == "NoSuchUpload")
        }
    }

    @Test func completionErrors() async throws {
        try await TestServer.withApp(objects: Self.smallParts) { (s3: S3TestClient, server: TestServer) async throws in
            try await s3.send(.put, "/mpb")
            let uploadId = try #require(Self.value("UploadId", in: try await s3.send(.post, "/mpb/k?uploads").text))
            let e1 = try #require(try await s3.send(.put, "/mpb/k?partNumber=1&uploadId=\(uploadId)", body: [1]).headers[HTTPField.Name("etag")!])
            let e2 = try #require(try await s3.send(.put, "/mpb/k?partNumber=2&uploadId=\(uploadId)", body: Array("abcdef".utf8)).headers[HTTPField.Name("etag")!])
            #expect(try await s3.send(.post, "/mpb/k?uploadId=\(uploadId)", body: Self.completeBody([(2, e2), (1, e1)])).errorCode == "InvalidPartOrder")
            #expect(try await s3.send(.post, "/mpb/k?uploadId=\(uploadId)", body: Self.completeBody([(1, "\"00\"")])).errorCode == "InvalidPart")
            #expect(try await s3.send(.post, "/mpb/k?uploadId=\(uploadId)", body: Self.completeBody([(1, e1), (2, e2)])).errorCode == "EntityTooSmall")
            #expect(try await s3.send(.post, "/mpb/k?uploadId=nope", body: Self.completeBody([(1, e1)])).errorCode == "NoSuchUpload")
            #expect(try await s3.send(.put, "/mpb/k?partNumber=0&uploadId=\(uploadId)", body: [1]).errorCode == "InvalidArgument")
            #expect(try await s3.send(.put, "/mpb/k?partNumber=10001&uploadId=\(uploadId)", body: [1]).errorCode == "InvalidArgument")
            #expect(try await s3.send(.get, "/mpb?uploads").text.contains(uploadId))
            #expect(try await s3.send(.delete, "/mpb/k?uploadId=\(uploadId)").status == .noContent)
            #expect(try ObjectTests.blobCount(server) == 0)
            #expect(try await s3.send(.delete, "/mpb/k?uploadId=\(uploadId)").errorCode == "NoSuchUpload")
        }
    }

    @Test func uploadPartCopyWithRange() async throws {
        try await TestServer.withApp(objects: Self.smallParts) { (s3: S3TestClient, _: TestServer) async throws in
            try await s3.send(.put, "/mpb")
            try await s3.send(.put, "/mpb/src", body: Array("0123456789".utf8))
            let uploadId = try #require(Self.value("UploadId", in: try await s3.send(.post, "/mpb/dst?uploads").text))
            let copied = try await s3.send(
                .put, "/mpb/dst?partNumber=1&uploadId=\(uploadId)", headers: [("x-amz-copy-source", "mpb/src"), ("x-amz-copy-source-range", "bytes=2-5")]
            )
            let etag = try #require(Self.value("ETag", in: copied.text)).replacingOccurrences(of: "&quot;", with: "\"")
            _ = try await s3.send(.post, "/mpb/dst?uploadId=\(uploadId)", body: Self.completeBody([(1, etag)]))
            #expect(try await s3.send(.get, "/mpb/dst").text == "2345")
        }
    }
}
