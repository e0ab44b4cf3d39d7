import Foundation
import HTTPTypes
import HummingbirdTesting
import MagpieTesting
import Testing

@Suite struct AuthTests {
    @Test func anonymousWrongSecretUnknownKeySkew() async throws {
        try await TestServer.withApp { (s3: S3TestClient, _: TestServer) async throws in
            #expect(try await s3.send(.get, "/", signed: false).errorCode == "AccessDenied")
            #expect(try await s3.with(accessKey: TestServer.rootAccessKey, secretKey: "wrong-secret-0000").send(.get, "/").errorCode == "SignatureDoesNotMatch")
            #expect(try await s3.with(accessKey: "NOSUCHKEY", secretKey: "whatever-secret").send(.get, "/").errorCode == "InvalidAccessKeyId")
            #expect(try await s3.send(.get, "/", date: Date().addingTimeInterval(-20 * 60)).errorCode == "RequestTimeTooSkewed")
            #expect(try await s3.send(.get, "/-/health", signed: false).status == .ok)
        }
    }

    @Test func usersOwnTheirBuckets() async throws {
        try await TestServer.withApp { (s3: S3TestClient, _: TestServer) async throws in
            let user = try await s3.send(.post, "/-/admin/v1/users", body: Array(#"{"name":"alice","email":"a@example.com"}"#.utf8))
            #expect(user.status == .created)
            #expect(user.text.contains("canonicalId"))
            let key = try await s3.send(.post, "/-/admin/v1/keys", body: Array(#"{"user":"alice","accessKey":"ALICEKEY","secretKey":"alice-secret-123"}"#.utf8))
            #expect(key.status == .created)
            let alice = s3.with(accessKey: "ALICEKEY", secretKey: "alice-secret-123")
            try await s3.send(.put, "/rootbucket")
            #expect(try await alice.send(.put, "/alicebucket").status == .ok)
            #expect(try await alice.send(.get, "/rootbucket?list-type=2").errorCode == "AccessDenied")
            #expect(try await alice.send(.put, "/rootbucket/k", body: [1]).errorCode == "AccessDenied")
            let aliceList = try await alice.send(.get, "/").text
            #expect(aliceList.contains("alicebucket") && !aliceList.contains("rootbucket"))
            #expect(try await alice.send(.get, "/-/admin/v1/users").status == .forbidden)
            #expect(try await s3.send(.delete, "/-/admin/v1/users/alice").status == .conflict)
            #expect(try await s3.send(.delete, "/-/admin/v1/keys/ALICEKEY").status == .noContent)
            #expect(try await alice.send(.get, "/").errorCode == "InvalidAccessKeyId")
            #expect(try await s3.send(.post, "/-/admin/v1/users", body: Array(#"{"name":"alice"}"#.utf8)).status == .conflict)
            #expect(try await s3.send(.post, "/-/admin/v1/users", body: Array("not json".utf8)).status == .badRequest)
        }
    }
}
