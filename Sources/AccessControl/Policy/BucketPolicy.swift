import MagpieCore
import S3Protocol

/// A validated bucket policy in AWS's policy language, kept with the exact text it was stored as.
///
/// Parsing refuses everything AWS refuses with `MalformedPolicy`: bad JSON, unknown fields, unknown
/// actions, resources outside the bucket, malformed principals, unknown operators and condition keys,
/// actions that apply to none of the statement's resources.
public struct BucketPolicy: Sendable {
    public let text: String
    public let version: String?
    public let statements: [PolicyStatement]

    /// AWS's limit on a bucket policy's size.
    public static let maxBytes = 20 * 1024

    public enum Decision: Sendable, Equatable {
        /// An applicable Deny statement (explicit deny wins over everything).
        case deny
        case allow
        /// No statement applies.
        case none
    }

    public func evaluate(_ request: AccessRequest) -> Decision {
        let variables = version == "2012-10-17"
        let action = request.action, arn = request.resourceARN
        var allowed = false
        for statement in statements where statement.applies(to: request, action: action, arn: arn, variables: variables) {
            if statement.effect == .deny { return .deny }
            allowed = true
        }
        return allowed ? .allow : .none
    }

    /// Whether some condition reads `s3:ExistingObjectTag/<key>`: deciding then needs the object's tags.
    public var usesExistingObjectTags: Bool {
        statements.contains { $0.conditions.contains { $0.key.hasPrefix("s3:existingobjecttag/") } }
    }

    /// Whether the policy grants public access, as AWS defines it (any public Allow statement).
    public var isPublic: Bool { statements.contains(where: \.isPublic) }

    /// Every user, key and canonical id the policy names (for checking that they exist).
    public var namedPrincipals: Set<PolicyPrincipal> {
        Set(statements.flatMap(\.principals)).subtracting([.anyone, .root])
    }

    /// `parse`, with a refusal as the `MalformedPolicy` domain error.
    public static func document(_ bytes: [UInt8], bucket: String) throws(MagpieError) -> BucketPolicy {
        do { return try parse(bytes, bucket: bucket) } catch { throw error.magpieError }
    }

    public static func parse(_ bytes: [UInt8], bucket: String) throws(PolicyError) -> BucketPolicy {
        guard bytes.count <= maxBytes else { throw .invalid("Policies must not exceed 20 KB in size") }
        guard let first = bytes.first(where: { ![0x20, 0x09, 0x0A, 0x0D].contains($0) }), first == UInt8(ascii: "{") else {
            throw .invalid("Policies must be valid JSON and the first byte must be '{'")
        }
        let json: PolicyJSON
        do { json = try PolicyJSON.parse(bytes) } catch { throw .invalid("This policy contains invalid Json") }
        guard case .object(let members) = json else { throw .invalid("This policy contains invalid Json") }
        var version: String?
        var statementJSON: PolicyJSON?
        for (name, value) in members {
            switch name {
            case "Version":
                guard case .string(let text) = value, text == "2012-10-17" || text == "2008-10-17" else {
                    throw .invalid("The policy must contain a valid version string")
                }
                version = text
            case "Id":
                guard case .string = value else { throw .invalid("Id must be a string") }
            case "Statement": statementJSON = value
            default: throw .invalid("Unknown field \(name)")
            }
        }
        guard let statementJSON else { throw .invalid("Missing required field Statement") }
        let items: [PolicyJSON]
        switch statementJSON {
        case .array(let list): items = list
        case .object: items = [statementJSON]
        default: throw .invalid("This policy contains invalid Json")
        }
        guard !items.isEmpty else { throw .invalid("Could not parse the policy: Statement is empty!") }
        var statements: [PolicyStatement] = []
        var sids: Set<String> = []
        for item in items {
            let statement = try PolicyParser.statement(item, bucket: bucket)
            if let sid = statement.sid {
                guard sids.insert(sid).inserted else { throw .invalid("Statement IDs (SID) in a single policy must be unique") }
            }
            statements.append(statement)
        }
        return BucketPolicy(text: String(decoding: bytes, as: UTF8.self), version: version, statements: statements)
    }
}
