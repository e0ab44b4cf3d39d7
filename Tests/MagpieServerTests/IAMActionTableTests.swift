import AccessControl
import Testing

@testable import MagpieServer

/// The operation → IAM action table names only actions a policy can name, and every operation that
/// touches a bucket is decided by one.
@Suite struct IAMActionTableTests {
    static let decidedElsewhere: Set<S3Operation> = [.deleteObjects, .preflight, .notImplemented]

    @Test(arguments: S3Operation.allCases)
    func everyOperationMapsToAKnownAction(_ operation: S3Operation) {
        guard let action = operation.iamAction else {
            #expect(Self.decidedElsewhere.contains(operation), "\(operation) has no IAM action")
            return
        }
        #expect(S3ActionCatalog.actions[action] != nil, "\(action) is not an S3 action")
    }

    @Test func versionVariantsAreKnownActions() {
        for (action, variant) in S3Operation.versionVariants {
            #expect(S3ActionCatalog.actions[action] != nil && S3ActionCatalog.actions[variant] != nil)
        }
    }

    @Test func writesWithACLOrTagsNeedTheExtraActions() {
        let headers = ["x-amz-acl": "public-read", "x-amz-tagging": "a=b", "x-amz-object-lock-legal-hold": "ON"]
        #expect(S3Operation.putObject.iamActions(versioned: false) { headers[$0] }
            == ["s3:PutObject", "s3:PutObjectAcl", "s3:PutObjectTagging", "s3:PutObjectLegalHold"])
        #expect(S3Operation.getObject.iamActions(versioned: true) { _ in nil } == ["s3:GetObjectVersion"])
        #expect(S3Operation.deleteObject.iamActions(versioned: false) { $0 == "x-amz-bypass-governance-retention" ? "true" : nil }
            == ["s3:DeleteObject", "s3:BypassGovernanceRetention"])
    }
}
