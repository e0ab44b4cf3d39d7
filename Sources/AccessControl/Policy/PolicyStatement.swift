/// One statement of a bucket policy, validated against its bucket.
public struct PolicyStatement: Sendable {
    public enum Effect: String, Sendable { case allow = "Allow", deny = "Deny" }

    public let sid: String?
    public let effect: Effect
    /// The principals named (`Principal`), or those excluded (`NotPrincipal`) when `principalNegated`.
    public let principals: [PolicyPrincipal]
    public let principalNegated: Bool
    /// Lowercased action patterns (`Action`), or the excluded ones (`NotAction`) when `actionNegated`.
    public let actions: [String]
    public let actionNegated: Bool
    public let resources: [PolicyResource]
    public let resourceNegated: Bool
    public let conditions: [PolicyCondition]

    init(
        sid: String?, effect: Effect, principals: [PolicyPrincipal], principalNegated: Bool, actions: [String], actionNegated: Bool,
        resources: [PolicyResource], resourceNegated: Bool, conditions: [PolicyCondition]
    ) {
        self.sid = sid
        self.effect = effect
        self.principals = principals
        self.principalNegated = principalNegated
        self.actions = actions
        self.actionNegated = actionNegated
        self.resources = resources
        self.resourceNegated = resourceNegated
        self.conditions = conditions
    }

    /// Whether this statement speaks about `request` (principal, action, resource and every condition);
    /// `arn` is the request's resource, computed once per request.
    func applies(to request: AccessRequest, action: String, arn: String, variables: Bool) -> Bool {
        let principalMatch = principals.contains { $0.matches(request.identity) }
        guard principalMatch != principalNegated else { return false }
        let actionMatch = actions.contains { Wildcard.matches($0, action, caseInsensitive: true) }
        guard actionMatch != actionNegated else { return false }
        let resourceMatch = resources.contains { resource in
            guard variables, resource.hasVariables else { return resource.matches(arn) }
            guard let expanded = PolicyVariables.expand(resource.pattern, request.context) else { return false }
            return Wildcard.matches(expanded, arn)
        }
        guard resourceMatch != resourceNegated else { return false }
        return conditions.allSatisfy { $0.holds(in: request.context, variables: variables) }
    }

    /// AWS's definition: an Allow to everyone (or with `NotPrincipal`) that no condition pins to a fixed
    /// source network or identity.
    var isPublic: Bool {
        guard effect == .allow else { return false }
        guard principalNegated || principals.contains(.anyone) else { return false }
        return !conditions.contains(where: \.restrictsToFixedValues)
    }
}

extension PolicyCondition {
    /// Keys whose fixed value makes an otherwise open statement non-public (AWS's list, plus `aws:username`,
    /// which in Magpie names one fixed user).
    static let fixingKeys: Set<String> = [
        "aws:sourcearn", "aws:sourcevpc", "aws:sourcevpce", "aws:sourceowner", "aws:sourceaccount", "aws:userid", "aws:username",
        "aws:principalarn", "aws:principalaccount", "aws:principalorgid", "s3:x-amz-server-side-encryption-aws-kms-key-id",
    ]

    var restrictsToFixedValues: Bool {
        guard !negated, !ifExists, qualifier != .forAllValues else { return false }
        if key == "aws:sourceip" {
            // A network smaller than /8 (IPv4) or /32 (IPv6) is a fixed set of sources; wider counts as public.
            return kind == .ipAddress && ranges.allSatisfy { $0.prefixLength >= ($0.isIPv4 ? 8 : 32) }
        }
        guard Self.fixingKeys.contains(key) else { return false }
        switch kind {
        case .stringEquals, .stringEqualsIgnoreCase: return true
        case .stringLike, .arnLike: return !values.contains(where: Wildcard.isPattern)
        default: return false
        }
    }
}
