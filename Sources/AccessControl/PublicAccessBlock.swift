import MagpieCore
import S3Protocol

/// The four S3 Block Public Access settings of a bucket (or of the whole server).
public struct PublicAccessBlock: Sendable, Equatable, Codable {
    /// Refuse requests that would set a public ACL.
    public var blockPublicAcls: Bool
    /// Ignore public grants in existing ACLs.
    public var ignorePublicAcls: Bool
    /// Refuse bucket policies that grant public access.
    public var blockPublicPolicy: Bool
    /// While the bucket's policy is public, only the owner (and root) gain access from it.
    public var restrictPublicBuckets: Bool

    public init(blockPublicAcls: Bool, ignorePublicAcls: Bool, blockPublicPolicy: Bool, restrictPublicBuckets: Bool) {
        self.blockPublicAcls = blockPublicAcls
        self.ignorePublicAcls = ignorePublicAcls
        self.blockPublicPolicy = blockPublicPolicy
        self.restrictPublicBuckets = restrictPublicBuckets
    }

    public static let all = PublicAccessBlock(blockPublicAcls: true, ignorePublicAcls: true, blockPublicPolicy: true, restrictPublicBuckets: true)
    public static let none = PublicAccessBlock(
        blockPublicAcls: false, ignorePublicAcls: false, blockPublicPolicy: false, restrictPublicBuckets: false)

    /// The most restrictive combination (bucket and server settings together, as AWS combines bucket and account).
    public func union(_ other: PublicAccessBlock?) -> PublicAccessBlock {
        guard let other else { return self }
        return PublicAccessBlock(
            blockPublicAcls: blockPublicAcls || other.blockPublicAcls, ignorePublicAcls: ignorePublicAcls || other.ignorePublicAcls,
            blockPublicPolicy: blockPublicPolicy || other.blockPublicPolicy,
            restrictPublicBuckets: restrictPublicBuckets || other.restrictPublicBuckets
        )
    }

    static let fields = ["BlockPublicAcls", "IgnorePublicAcls", "BlockPublicPolicy", "RestrictPublicBuckets"]

    /// Parses `<PublicAccessBlockConfiguration>`; absent settings are false, as in AWS.
    public static func parse(_ bytes: [UInt8]) throws(MagpieError) -> PublicAccessBlock {
        let document = try XMLNode.parse(bytes)
        guard document.name == "PublicAccessBlockConfiguration", document.children.allSatisfy({ fields.contains($0.name) }) else {
            throw MagpieError(.malformedXML)
        }
        func flag(_ name: String) throws(MagpieError) -> Bool {
            let nodes = document.all(name)
            guard nodes.count <= 1 else { throw MagpieError(.malformedXML) }
            guard let text = nodes.first?.text.trimmingWhitespace.lowercased() else { return false }
            guard text == "true" || text == "false" else { throw MagpieError(.malformedXML) }
            return text == "true"
        }
        return PublicAccessBlock(
            blockPublicAcls: try flag("BlockPublicAcls"), ignorePublicAcls: try flag("IgnorePublicAcls"),
            blockPublicPolicy: try flag("BlockPublicPolicy"), restrictPublicBuckets: try flag("RestrictPublicBuckets")
        )
    }

    public var xml: XMLWriter {
        var writer = XMLWriter()
        writer.element("PublicAccessBlockConfiguration", namespace: XMLWriter.s3Namespace) { body in
            body.element("BlockPublicAcls", String(blockPublicAcls))
            body.element("IgnorePublicAcls", String(ignorePublicAcls))
            body.element("BlockPublicPolicy", String(blockPublicPolicy))
            body.element("RestrictPublicBuckets", String(restrictPublicBuckets))
        }
        return writer
    }
}

/// S3 Object Ownership: who owns uploaded objects, and whether ACLs take effect at all.
public enum ObjectOwnership: String, Sendable, Codable, CaseIterable {
    /// ACLs are disabled; the bucket owner owns every object (AWS's default for new buckets since 2023).
    case bucketOwnerEnforced = "BucketOwnerEnforced"
    /// The bucket owner owns objects uploaded with `bucket-owner-full-control`; ACLs apply.
    case bucketOwnerPreferred = "BucketOwnerPreferred"
    /// The writer owns what it uploads; ACLs apply.
    case objectWriter = "ObjectWriter"

    public var aclsEnabled: Bool { self != .bucketOwnerEnforced }

    /// Parses `<OwnershipControls><Rule><ObjectOwnership>…</ObjectOwnership></Rule></OwnershipControls>`.
    public static func parse(_ bytes: [UInt8]) throws(MagpieError) -> ObjectOwnership {
        let document = try XMLNode.parse(bytes)
        let rules = document.all("Rule")
        guard document.name == "OwnershipControls", rules.count == 1, document.children.count == 1,
            let text = rules[0].value("ObjectOwnership"), rules[0].children.count == 1
        else { throw MagpieError(.malformedXML) }
        guard let value = ObjectOwnership(rawValue: text.trimmingWhitespace) else { throw MagpieError(.malformedXML) }
        return value
    }

    public var xml: XMLWriter {
        var writer = XMLWriter()
        writer.element("OwnershipControls", namespace: XMLWriter.s3Namespace) { body in
            body.element("Rule") { $0.element("ObjectOwnership", rawValue) }
        }
        return writer
    }
}
