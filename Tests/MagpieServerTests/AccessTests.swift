import Foundation
import HTTPTypes
import HummingbirdTesting
import MagpieTesting
import Testing

/// App-level access control: anonymous requests through a policy, the cache dropping a deleted policy,
/// Block Public Access on new buckets, and CORS preflights answered before authentication.
@Suite struct AccessTests {
    static let publicRead = #"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::pics/*"}]}"#

    @Test func anonymousReadsThroughAPolicyOnly() async throws {
        try await TestServer.withApp { (s3: S3TestClient, _: TestServer) async throws in
            try await s3.send(.put, "/pics")
            try await s3.send(.put, "/pics/a.jpg", body: Array("jpeg".utf8))
            #expect(try await s3.send(.get, "/pics/a.jpg", signed: false).errorCode == "AccessDenied")
            // New buckets block public policies until the owner removes the block.
            #expect(try await s3.send(.put, "/pics?policy", body: Array(Self.publicRead.utf8)).errorCode == "AccessDenied")
            #expect(try await s3.send(.delete, "/pics?publicAccessBlock").status == .noContent)
            #expect(try await s3.send(.put, "/pics?policy", body: Array(Self.publicRead.utf8)).status == .noContent)
            let read = try await s3.send(.get, "/pics/a.jpg", signed: false)
            #expect(read.status == .ok && read.text == "jpeg")
            #expect(try await s3.send(.get, "/pics?list-type=2", signed: false).errorCode == "AccessDenied")
            #expect(try await s3.send(.put, "/pics/b.jpg", body: [1], signed: false).errorCode == "AccessDenied")
            #expect(try await s3.send(.get, "/pics/missing.jpg", signed: false).errorCode == "AccessDenied")
            #expect(try await s3.send(.delete, "/pics?policy").status == .noContent)
            #expect(try await s3.send(.get, "/pics/a.jpg", signed: false).errorCode == "AccessDenied")
        }
    }

    @Test func malformedPolicyIsRefusedAndChangesNothing() async throws {
        try await TestServer.withApp { (s3: S3TestClient, _: TestServer) async throws in
            try await s3.send(.put, "/pics")
            let bad = Self.publicRead.replacingOccurrences(of: "s3:GetObject", with: "s3:GetObjekt")
            let refused = try await s3.send(.put, "/pics?policy", body: Array(bad.utf8))
            #expect(refused.errorCode == "MalformedPolicy" && refused.text.contains("Policy has invalid action"))
            #expect(try await s3.send(.get, "/pics?policy").errorCode == "NoSuchBucketPolicy")
        }
    }

    @Test func preflightNeedsNoCredentials() async throws {
        try await TestServer.withApp { (s3: S3TestClient, _: TestServer) async throws in
            try await s3.send(.put, "/pics")
            let cors = "<CORSConfiguration><CORSRule><AllowedOrigin>https://app.example.com</AllowedOrigin><AllowedMethod>PUT</AllowedMethod></CORSRule></CORSConfiguration>"
            #expect(try await s3.send(.put, "/pics?cors", body: Array(cors.utf8)).status == .ok)
            let headers = [("origin", "https://app.example.com"), ("access-control-request-method", "PUT")]
            let ok = try await s3.send(.options, "/pics/new-key", headers: headers, signed: false)
            #expect(ok.status == .ok && ok.headers[.accessControlAllowOrigin] == "https://app.example.com")
            let refused = try await s3.send(.options, "/pics/new-key", headers: [("origin", "https://evil.example"), ("access-control-request-method", "PUT")], signed: false)
            #expect(refused.errorCode == "AccessForbidden")
        }
    }
}
