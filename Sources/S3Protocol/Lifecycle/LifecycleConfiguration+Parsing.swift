import Foundation
import MagpieCore

extension LifecycleConfiguration {
    /// Parses and validates a `<LifecycleConfiguration>` document with AWS's answers: shapes that do
    /// not fit the schema are `MalformedXML`, out-of-range values `InvalidArgument`, combinations S3
    /// refuses `InvalidRequest`. Rules without an ID get a generated one. Touches nothing.
    public static func parse(
        _ document: XMLNode, minimumObjectSize: TransitionMinimumSize = .allStorageClasses128K,
        newId: () -> String = LifecycleConfiguration.generatedId
    ) throws(MagpieError) -> LifecycleConfiguration {
        guard document.name == "LifecycleConfiguration" || document.name == "BucketLifecycleConfiguration",
            document.children.allSatisfy({ $0.name == "Rule" })
        else { throw malformed }
        let nodes = document.children
        guard !nodes.isEmpty else { throw MagpieError(.invalidRequest, "At least one lifecycle rule must be specified.") }
        guard nodes.count <= maxRules else {
            throw MagpieError(.invalidRequest, "The number of lifecycle rules must not exceed the allowed limit of \(maxRules) rules.")
        }
        var ids = Set<String>()
        for node in nodes {
            guard let id = node.value("ID"), !id.isEmpty else { continue }
            guard id.count <= maxIdLength else {
                throw MagpieError(.invalidArgument, "ID length should not exceed allowed limit of \(maxIdLength)", details: [("ArgumentName", "ID")])
            }
            guard ids.insert(id).inserted else {
                throw MagpieError(.invalidArgument, "Rule ID must be unique. Found same ID for more than one rule", details: [("ArgumentName", "ID")])
            }
        }
        // A configuration is Lifecycle V2 when its first rule uses <Filter>; V1 rules use <Prefix>.
        let v2 = nodes.first?.child("Filter") != nil
        var rules: [LifecycleRule] = []
        for node in nodes {
            var rule = try LifecycleRuleParser(node: node, v2: v2).parse()
            if rule.id.isEmpty {
                repeat { rule.id = newId() } while ids.contains(rule.id)
                ids.insert(rule.id)
            }
            rules.append(rule)
        }
        let configuration = LifecycleConfiguration(rules: rules, minimumObjectSize: minimumObjectSize)
        if !v2 { try configuration.checkOverlappingPrefixes() }
        return configuration
    }

    /// AWS generates an opaque ID for a rule that has none.
    public static func generatedId() -> String {
        Data(UUID().uuidString.lowercased().utf8).base64EncodedString().replacingOccurrences(of: "=", with: "")
    }

    static let malformed = MagpieError(.malformedXML)

    /// Lifecycle V1 (rule-level prefixes) refuses two rules whose prefixes overlap for the same action.
    func checkOverlappingPrefixes() throws(MagpieError) {
        let kinds: [(String, (LifecycleRule) -> Bool)] = [
            ("Expiration", { $0.expiration != nil }), ("Transition", { !$0.transitions.isEmpty }),
            ("NoncurrentVersionTransition", { !$0.noncurrentTransitions.isEmpty }),
            ("NoncurrentVersionExpiration", { $0.noncurrentExpiration != nil }),
            ("AbortIncompleteMultipartUpload", { $0.abortIncompleteUploadDays != nil }),
        ]
        for (kind, applies) in kinds {
            let prefixes = rules.filter(applies).map(\.prefix).sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
            for (first, second) in zip(prefixes, prefixes.dropFirst()) where second.utf8.starts(with: first.utf8) {
                throw MagpieError(.invalidRequest, "Found overlapping prefixes '\(first)' and '\(second)' for same action type '\(kind)'")
            }
        }
    }
}

/// One `<Rule>` read against S3's schema, then checked.
struct LifecycleRuleParser {
    let node: XMLNode
    let v2: Bool

    static let elements: Set<String> = [
        "ID", "Prefix", "Filter", "Status", "Expiration", "Transition", "NoncurrentVersionTransition", "NoncurrentVersionExpiration",
        "AbortIncompleteMultipartUpload",
    ]
    static let repeatable: Set<String> = ["Transition", "NoncurrentVersionTransition"]

    func parse() throws(MagpieError) -> LifecycleRule {
        let malformed = LifecycleConfiguration.malformed
        var seen = Set<String>()
        for child in node.children {
            guard Self.elements.contains(child.name) else { throw malformed }
            guard seen.insert(child.name).inserted || Self.repeatable.contains(child.name) else { throw malformed }
        }
        guard let status = node.value("Status"), status == "Enabled" || status == "Disabled" else { throw malformed }
        var rule = LifecycleRule(id: node.value("ID") ?? "", enabled: status == "Enabled")
        switch (node.child("Prefix"), node.child("Filter")) {
        case (nil, nil): throw malformed
        case (.some, _) where v2:
            throw MagpieError(.invalidRequest, "Base level prefix cannot be used in Lifecycle V2, prefixes are only supported in the Filter.")
        case (_, .some) where !v2: throw MagpieError(.invalidRequest, "Filter element can only be used in Lifecycle V2.")
        case (let prefix?, _): rule.legacyPrefix = prefix.text
        case (_, let filter?): rule.filter = try Self.filter(filter)
        }
        if let prefix = rule.filter?.prefix ?? rule.legacyPrefix, prefix.utf8.count > 1024 {
            throw MagpieError(.invalidArgument, "The maximum size of a prefix is 1024.", details: [("ArgumentName", "Prefix")])
        }
        rule.expiration = try node.child("Expiration").map { node throws(MagpieError) in try Self.expiration(node) }
        rule.noncurrentExpiration = try node.child("NoncurrentVersionExpiration").map { node throws(MagpieError) in try noncurrentExpiration(node) }
        if let abort = node.child("AbortIncompleteMultipartUpload") {
            guard abort.children.allSatisfy({ $0.name == "DaysAfterInitiation" }), let text = abort.value("DaysAfterInitiation") else {
                throw malformed
            }
            let days = try Self.integer(text)
            guard days > 0 else {
                throw MagpieError(
                    .invalidArgument, "'DaysAfterInitiation' for AbortIncompleteMultipartUpload action must be a positive integer",
                    details: [("ArgumentName", "DaysAfterInitiation")])
            }
            rule.abortIncompleteUploadDays = days
        }
        rule.transitions = try node.all("Transition").map { node throws(MagpieError) in try Self.transition(node) }
        rule.noncurrentTransitions = try node.all("NoncurrentVersionTransition").map { node throws(MagpieError) in try noncurrentTransition(node) }
        guard
            rule.expiration != nil || !rule.transitions.isEmpty || rule.noncurrentExpiration != nil || !rule.noncurrentTransitions.isEmpty
                || rule.abortIncompleteUploadDays != nil
        else { throw MagpieError(.invalidRequest, "At least one action needs to be specified in a rule") }
        try LifecycleRuleChecks(rule: rule).check()
        return rule
    }

    static func integer(_ text: String) throws(MagpieError) -> Int {
        guard let value = Int(text.trimmingCharacters(in: .whitespacesAndNewlines)), value.magnitude <= UInt(Int32.max) else {
            throw LifecycleConfiguration.malformed
        }
        return value
    }

    static func size(_ text: String) throws(MagpieError) -> Int64 {
        guard let value = Int64(text.trimmingCharacters(in: .whitespacesAndNewlines)) else { throw LifecycleConfiguration.malformed }
        return value
    }

    static func tag(_ node: XMLNode) throws(MagpieError) -> TagSet.Tag {
        guard node.children.allSatisfy({ $0.name == "Key" || $0.name == "Value" }), node.all("Key").count == 1, node.all("Value").count <= 1,
            let key = node.value("Key"), !key.isEmpty
        else { throw LifecycleConfiguration.malformed }
        let tag = TagSet.Tag(key: key, value: node.value("Value") ?? "")
        guard key.count <= 128, tag.value.count <= 256 else { throw MagpieError(.invalidTag, "The TagKey you have provided is invalid") }
        return tag
    }

    static func filter(_ node: XMLNode) throws(MagpieError) -> LifecycleFilter {
        let malformed = LifecycleConfiguration.malformed
        let allowed: Set<String> = ["Prefix", "Tag", "ObjectSizeGreaterThan", "ObjectSizeLessThan", "And"]
        guard node.children.allSatisfy({ allowed.contains($0.name) }), node.children.count <= 1 else { throw malformed }
        guard let predicate = node.children.first else { return .all }
        switch predicate.name {
        case "Prefix": return .prefix(predicate.text)
        case "Tag": return .tag(try tag(predicate))
        case "ObjectSizeGreaterThan": return .objectSizeGreaterThan(try size(predicate.text))
        case "ObjectSizeLessThan": return .objectSizeLessThan(try size(predicate.text))
        default:
            let inner: Set<String> = ["Prefix", "Tag", "ObjectSizeGreaterThan", "ObjectSizeLessThan"]
            guard predicate.children.allSatisfy({ inner.contains($0.name) }),
                predicate.all("Prefix").count <= 1, predicate.all("ObjectSizeGreaterThan").count <= 1, predicate.all("ObjectSizeLessThan").count <= 1
            else { throw malformed }
            var and = LifecycleAnd(prefix: predicate.value("Prefix"))
            and.tags = try predicate.all("Tag").map { node throws(MagpieError) in try tag(node) }
            and.objectSizeGreaterThan = try predicate.value("ObjectSizeGreaterThan").map { text throws(MagpieError) in try size(text) }
            and.objectSizeLessThan = try predicate.value("ObjectSizeLessThan").map { text throws(MagpieError) in try size(text) }
            // <And> combines two or more predicates.
            guard predicate.children.count >= 2 else { throw malformed }
            return .and(and)
        }
    }

    static func expiration(_ node: XMLNode) throws(MagpieError) -> LifecycleExpiration {
        let malformed = LifecycleConfiguration.malformed
        let allowed: Set<String> = ["Days", "Date", "ExpiredObjectDeleteMarker"]
        guard node.children.count == 1, let only = node.children.first, allowed.contains(only.name) else { throw malformed }
        switch only.name {
        case "Days":
            let days = try integer(only.text)
            guard days > 0 else {
                throw MagpieError(.invalidArgument, "'Days' for Expiration action must be a positive integer", details: [("ArgumentName", "Days")])
            }
            return .days(days)
        case "Date": return .date(try date(only.text))
        default:
            switch only.text.trimmingCharacters(in: .whitespacesAndNewlines) {
            case "true": return .expiredObjectDeleteMarker(true)
            case "false": return .expiredObjectDeleteMarker(false)
            default: throw malformed
            }
        }
    }

    static func date(_ text: String) throws(MagpieError) -> Int64 {
        switch LifecycleDate.parseMidnight(text) {
        case .success(let seconds): return seconds
        case .failure(.notMidnight): throw MagpieError(.invalidArgument, "'Date' must be at midnight GMT", details: [("ArgumentName", "Date")])
        case .failure(.malformed): throw LifecycleConfiguration.malformed
        }
    }

    static func transitionClass(_ node: XMLNode) throws(MagpieError) -> StorageClass {
        guard let text = node.value("StorageClass"), let storageClass = StorageClass(header: text),
            StorageClass.transitionTargets.contains(storageClass)
        else { throw LifecycleConfiguration.malformed }
        return storageClass
    }

    static func transition(_ node: XMLNode) throws(MagpieError) -> LifecycleTransition {
        let allowed: Set<String> = ["Days", "Date", "StorageClass"]
        guard node.children.allSatisfy({ allowed.contains($0.name) }), node.children.count == 2 else { throw LifecycleConfiguration.malformed }
        let storageClass = try transitionClass(node)
        if let text = node.value("Date") { return LifecycleTransition(date: try date(text), storageClass: storageClass) }
        guard let text = node.value("Days") else { throw LifecycleConfiguration.malformed }
        let days = try integer(text)
        guard days >= 0 else {
            throw MagpieError(.invalidArgument, "'Days' in Transition action must be a non-negative integer", details: [("ArgumentName", "Days")])
        }
        guard days >= storageClass.minimumTransitionDays else {
            throw MagpieError(
                .invalidArgument, "'Days' in Transition action must be greater than or equal to 30 for storageClass '\(storageClass)'",
                details: [("ArgumentName", "Days")])
        }
        return LifecycleTransition(days: days, storageClass: storageClass)
    }

    func newerVersions(_ node: XMLNode) throws(MagpieError) -> Int? {
        guard let text = node.value("NewerNoncurrentVersions") else { return nil }
        guard v2 else { throw MagpieError(.invalidRequest, "NewerNoncurrentVersions element can only be used in Lifecycle V2.") }
        let count = try Self.integer(text)
        guard count > 0 else {
            throw MagpieError(
                .invalidArgument, "'NewerNoncurrentVersions' must be a positive integer", details: [("ArgumentName", "NewerNoncurrentVersions")])
        }
        return count
    }

    func noncurrentExpiration(_ node: XMLNode) throws(MagpieError) -> NoncurrentExpiration {
        let allowed: Set<String> = ["NoncurrentDays", "NewerNoncurrentVersions"]
        guard node.children.allSatisfy({ allowed.contains($0.name) }), node.all("NoncurrentDays").count == 1,
            node.all("NewerNoncurrentVersions").count <= 1, let text = node.value("NoncurrentDays")
        else { throw LifecycleConfiguration.malformed }
        let days = try Self.integer(text)
        guard days > 0 else {
            throw MagpieError(
                .invalidArgument, "'NoncurrentDays' for NoncurrentVersionExpiration action must be a positive integer",
                details: [("ArgumentName", "NoncurrentDays")])
        }
        return NoncurrentExpiration(days: days, newerVersions: try newerVersions(node))
    }

    func noncurrentTransition(_ node: XMLNode) throws(MagpieError) -> NoncurrentTransition {
        let allowed: Set<String> = ["NoncurrentDays", "NewerNoncurrentVersions", "StorageClass"]
        guard node.children.allSatisfy({ allowed.contains($0.name) }), node.all("NoncurrentDays").count == 1,
            node.all("StorageClass").count == 1, node.all("NewerNoncurrentVersions").count <= 1, let text = node.value("NoncurrentDays")
        else { throw LifecycleConfiguration.malformed }
        let storageClass = try Self.transitionClass(node)
        let days = try Self.integer(text)
        guard days >= 0 else {
            throw MagpieError(
                .invalidArgument, "'NoncurrentDays' in NoncurrentVersionTransition action must be a non-negative integer",
                details: [("ArgumentName", "NoncurrentDays")])
        }
        guard days >= storageClass.minimumTransitionDays else {
            throw MagpieError(
                .invalidArgument,
                "'NoncurrentDays' in NoncurrentVersionTransition action must be greater than or equal to 30 for storageClass '\(storageClass)'",
                details: [("ArgumentName", "NoncurrentDays")])
        }
        return NoncurrentTransition(days: days, newerVersions: try newerVersions(node), storageClass: storageClass)
    }
}
