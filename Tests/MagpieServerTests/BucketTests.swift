import HTTPTypes
import HummingbirdTesting
import MagpieTesting
import Testing

@Suite struct BucketTests {
    @Test func createListHeadDelete() async throws {
        try await TestServer.withApp { (s3: S3TestClient, _: TestServer) async throws in
            #expect(try await s3.send(.put, "/photos").status == .ok)
            let list = try await s3.send(.get, "/")
            #expect(list.text.contains("<Name>photos</Name>"))
            #expect(list.text.contains("<DisplayName>root</DisplayName>"))
            #expect(try await s3.send(.head, "/photos").status == .ok)
            #expect(try await s3.send(.put, "/photos").errorCode == "BucketAlreadyOwnedByYou")
            #expect(try await s3.send(.get, "/photos?location").text.contains("<LocationConstraint"))
            #expect(try await s3.send(.delete, "/photos").status == .noContent)
            #expect(try await s3.send(.head, "/photos").status == .notFound)
            #expect(try await s3.send(.delete, "/photos").errorCode == "NoSuchBucket")
        }
    }

    @Test func invalidNameAndNotEmpty() async throws {
        try await TestServer.withApp { (s3: S3TestClient, _: TestServer) async throws in
            #expect(try await s3.send(.put, "/Bad_Name").errorCode == "InvalidBucketName")
            try await s3.send(.put, "/full")
            try await s3.send(.put, "/full/k", body: Array("x".utf8))
            let response = try await s3.send(.delete, "/full")
            #expect(response.status == .conflict)
            #expect(response.errorCode == "BucketNotEmpty")
        }
    }

    @Test func regionFromConfigurationDocument() async throws {
        try await TestServer.withApp { (s3: S3TestClient, _: TestServer) async throws in
            let body = Array("<CreateBucketConfiguration><LocationConstraint>eu-west-1</LocationConstraint></CreateBucketConfiguration>".utf8)
            #expect(try await s3.send(.put, "/euro", body: body).status == .ok)
            #expect(try await s3.send(.get, "/euro?location").text.contains(">eu-west-1</LocationConstraint>"))
            #expect(try await s3.send(.put, "/broken", body: Array("<Create".utf8)).errorCode == "MalformedXML")
        }
    }

    @Test func unimplementedSubresourceIsNotImplemented() async throws {
        try await TestServer.withApp { (s3: S3TestClient, _: TestServer) async throws in
            try await s3.send(.put, "/b1")
            let response = try await s3.send(.put, "/b1?website", body: Array("<WebsiteConfiguration/>".utf8))
            #expect(response.status.code == 501)
            #expect(response.errorCode == "NotImplemented")
            #expect(response.headers[.init("x-amz-request-id")!] != nil)
        }
    }
}
