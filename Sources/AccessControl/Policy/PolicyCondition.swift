import Foundation

/// One `Condition` test: an operator applied to one key and its values. Values are parsed once, when the
/// policy is stored, so evaluation only compares.
public struct PolicyCondition: Sendable {
    public enum Kind: Sendable {
        case stringEquals, stringEqualsIgnoreCase, stringLike
        case numericEquals, numericLessThan, numericLessThanEquals, numericGreaterThan, numericGreaterThanEquals
        case dateEquals, dateLessThan, dateLessThanEquals, dateGreaterThan, dateGreaterThanEquals
        case bool, binaryEquals, ipAddress, arnLike, null
    }

    public enum SetQualifier: Sendable { case none, forAnyValue, forAllValues }

    public let operatorName: String
    public let kind: Kind
    public let negated: Bool
    public let ifExists: Bool
    public let qualifier: SetQualifier
    /// Lowercased condition key.
    public let key: String
    public let values: [String]
    let numbers: [Double]
    let ranges: [IPRange]
    /// Some value contains `${…}` policy variables (expanded per request).
    let hasVariables: Bool

    /// Operator name (without qualifiers and `IfExists`) → kind and negation.
    static let operators: [String: (Kind, Bool)] = [
        "StringEquals": (.stringEquals, false), "StringNotEquals": (.stringEquals, true),
        "StringEqualsIgnoreCase": (.stringEqualsIgnoreCase, false), "StringNotEqualsIgnoreCase": (.stringEqualsIgnoreCase, true),
        "StringLike": (.stringLike, false), "StringNotLike": (.stringLike, true),
        "NumericEquals": (.numericEquals, false), "NumericNotEquals": (.numericEquals, true),
        "NumericLessThan": (.numericLessThan, false), "NumericLessThanEquals": (.numericLessThanEquals, false),
        "NumericGreaterThan": (.numericGreaterThan, false), "NumericGreaterThanEquals": (.numericGreaterThanEquals, false),
        "DateEquals": (.dateEquals, false), "DateNotEquals": (.dateEquals, true),
        "DateLessThan": (.dateLessThan, false), "DateLessThanEquals": (.dateLessThanEquals, false),
        "DateGreaterThan": (.dateGreaterThan, false), "DateGreaterThanEquals": (.dateGreaterThanEquals, false),
        "Bool": (.bool, false), "BinaryEquals": (.binaryEquals, false),
        "IpAddress": (.ipAddress, false), "NotIpAddress": (.ipAddress, true),
        "ArnEquals": (.arnLike, false), "ArnNotEquals": (.arnLike, true), "ArnLike": (.arnLike, false), "ArnNotLike": (.arnLike, true),
        "Null": (.null, false),
    ]

    /// S3 condition keys (lowercased); `aws:` keys are global and all accepted.
    static let s3Keys: Set<String> = [
        "s3:prefix", "s3:delimiter", "s3:max-keys", "s3:x-amz-acl", "s3:x-amz-grant-read", "s3:x-amz-grant-write",
        "s3:x-amz-grant-read-acp", "s3:x-amz-grant-write-acp", "s3:x-amz-grant-full-control", "s3:x-amz-copy-source",
        "s3:x-amz-metadata-directive", "s3:x-amz-server-side-encryption", "s3:x-amz-server-side-encryption-aws-kms-key-id",
        "s3:x-amz-server-side-encryption-customer-algorithm", "s3:x-amz-storage-class", "s3:x-amz-website-redirect-location",
        "s3:x-amz-content-sha256", "s3:versionid", "s3:locationconstraint", "s3:requestobjecttagkeys", "s3:object-lock-mode",
        "s3:object-lock-retain-until-date", "s3:object-lock-remaining-retention-days", "s3:object-lock-legal-hold",
        "s3:authtype", "s3:signatureversion", "s3:signatureage", "s3:tlsversion", "s3:resourceaccount", "s3:if-match",
        "s3:if-none-match", "s3:x-amz-object-ownership", "s3:dataaccesspointarn", "s3:dataaccesspointaccount",
        "s3:accesspointnetworkorigin", "s3:x-amz-checksum-algorithm", "s3:bucketobjectlockenabled",
    ]

    static func isKnownKey(_ key: String) -> Bool {
        if key.hasPrefix("aws:") { return key.count > 4 }
        if s3Keys.contains(key) { return true }
        for prefix in ["s3:existingobjecttag/", "s3:requestobjecttag/"] where key.hasPrefix(prefix) && key.count > prefix.count { return true }
        return false
    }

    /// Parses `operatorName` (e.g. `ForAnyValue:StringLikeIfExists`) with `key` and its values.
    init(operatorName: String, key: String, values: [String]) throws(PolicyError) {
        var name = Substring(operatorName)
        var qualifier = SetQualifier.none
        if name.hasPrefix("ForAnyValue:") {
            qualifier = .forAnyValue
            name = name.dropFirst("ForAnyValue:".count)
        } else if name.hasPrefix("ForAllValues:") {
            qualifier = .forAllValues
            name = name.dropFirst("ForAllValues:".count)
        }
        var ifExists = false
        if name.hasSuffix("IfExists"), name != "IfExists" {
            ifExists = true
            name = name.dropLast("IfExists".count)
        }
        guard let (kind, negated) = Self.operators[String(name)], !(kind == .null && ifExists) else {
            throw .invalid("Invalid Condition type : \(operatorName)")
        }
        let lowered = key.lowercased()
        guard Self.isKnownKey(lowered) else { throw .invalid("Policy has an invalid condition key") }
        guard !values.isEmpty else { throw .invalid("Policy has an empty condition value") }
        var numbers: [Double] = []
        var ranges: [IPRange] = []
        switch kind {
        case .numericEquals, .numericLessThan, .numericLessThanEquals, .numericGreaterThan, .numericGreaterThanEquals:
            for value in values {
                guard let number = Double(value) else { throw .invalid("Invalid numeric value in condition: \(value)") }
                numbers.append(number)
            }
        case .dateEquals, .dateLessThan, .dateLessThanEquals, .dateGreaterThan, .dateGreaterThanEquals:
            for value in values {
                guard let date = ConditionDate.parse(value) else { throw .invalid("Invalid date value in condition: \(value)") }
                numbers.append(date)
            }
        case .ipAddress:
            for value in values {
                guard let range = IPRange(value) else { throw .invalid("Invalid IP address in condition: \(value)") }
                ranges.append(range)
            }
        case .bool, .null:
            for value in values where value.lowercased() != "true" && value.lowercased() != "false" {
                throw .invalid("Invalid boolean value in condition: \(value)")
            }
        default: break
        }
        self.operatorName = operatorName
        self.kind = kind
        self.negated = negated
        self.ifExists = ifExists
        self.qualifier = qualifier
        self.key = lowered
        self.values = values
        self.numbers = numbers
        self.ranges = ranges
        self.hasVariables = values.contains { $0.contains("${") }
    }

    /// Whether the condition holds for the request's context (`variables` expands `${…}` in string values).
    func holds(in context: [String: [String]], variables: Bool) -> Bool {
        let present = context[key].flatMap { $0.isEmpty ? nil : $0 }
        if kind == .null {
            let wantsAbsent = values.contains { $0.lowercased() == "true" }
            return (present == nil) == wantsAbsent
        }
        guard let present else {
            // A missing key matches nothing: positive operators fail, negated ones hold (IAM's rule);
            // `…IfExists` and `ForAllValues` hold.
            return ifExists || negated || qualifier == .forAllValues
        }
        let policyValues = variables && hasVariables ? values.compactMap { PolicyVariables.expand($0, context) } : values
        let test = { (value: String) -> Bool in
            let matched = self.matches(value, policyValues)
            return self.negated ? !matched : matched
        }
        switch qualifier {
        case .forAllValues: return present.allSatisfy(test)
        case .forAnyValue: return present.contains(where: test)
        case .none: return negated ? present.allSatisfy(test) : present.contains(where: test)
        }
    }

    /// Whether one request value matches any policy value (before negation).
    func matches(_ value: String, _ policyValues: [String]) -> Bool {
        switch kind {
        case .stringEquals, .binaryEquals: return policyValues.contains(value)
        case .stringEqualsIgnoreCase: return policyValues.contains { $0.lowercased() == value.lowercased() }
        case .stringLike, .arnLike: return policyValues.contains { Wildcard.matches($0, value) }
        case .bool: return policyValues.contains { $0.lowercased() == value.lowercased() }
        case .ipAddress: return ranges.contains { $0.contains(value) }
        case .null: return false
        case .numericEquals, .numericLessThan, .numericLessThanEquals, .numericGreaterThan, .numericGreaterThanEquals:
            guard let number = Double(value) else { return false }
            return numbers.contains { compare(number, $0) }
        case .dateEquals, .dateLessThan, .dateLessThanEquals, .dateGreaterThan, .dateGreaterThanEquals:
            guard let date = ConditionDate.parse(value) else { return false }
            return numbers.contains { compare(date, $0) }
        }
    }

    func compare(_ lhs: Double, _ rhs: Double) -> Bool {
        switch kind {
        case .numericEquals, .dateEquals: return lhs == rhs
        case .numericLessThan, .dateLessThan: return lhs < rhs
        case .numericLessThanEquals, .dateLessThanEquals: return lhs <= rhs
        case .numericGreaterThan, .dateGreaterThan: return lhs > rhs
        case .numericGreaterThanEquals, .dateGreaterThanEquals: return lhs >= rhs
        default: return false
        }
    }
}

/// Policy variables (`${aws:username}`, `${aws:SourceIp}`, `${s3:prefix}`, and the escapes `${*}`, `${?}`, `${$}`)
/// in resources and condition values of version 2012-10-17 policies.
enum PolicyVariables {
    /// The text with every variable replaced; nil when a variable has no value in this request.
    static func expand(_ text: String, _ context: [String: [String]]) -> String? {
        guard text.contains("${") else { return text }
        var output = ""
        var rest = Substring(text)
        while let start = rest.range(of: "${") {
            output += rest[..<start.lowerBound]
            guard let end = rest[start.upperBound...].firstIndex(of: "}") else {
                output += rest[start.lowerBound...]
                return output
            }
            let name = rest[start.upperBound..<end]
            switch name {
            case "*", "?", "$": output += name
            default:
                guard let value = context[name.lowercased()]?.first else { return nil }
                output += value
            }
            rest = rest[rest.index(after: end)...]
        }
        return output + rest
    }
}
