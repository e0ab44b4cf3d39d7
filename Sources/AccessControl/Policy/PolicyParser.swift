import S3Protocol

/// The statement-level grammar of bucket policies.
enum PolicyParser {
    static func statement(_ json: PolicyJSON, bucket: String) throws(PolicyError) -> PolicyStatement {
        guard case .object(let members) = json else { throw .invalid("This policy contains invalid Json") }
        var fields: [String: PolicyJSON] = [:]
        let known: Set<String> = ["Sid", "Effect", "Principal", "NotPrincipal", "Action", "NotAction", "Resource", "NotResource", "Condition"]
        for (name, value) in members {
            guard known.contains(name) else { throw .invalid("Unknown field \(name)") }
            guard fields[name] == nil else { throw .invalid("Duplicate field \(name)") }
            fields[name] = value
        }
        var sid: String?
        if let value = fields["Sid"] {
            guard case .string(let text) = value else { throw .invalid("Sid must be a string") }
            sid = text.isEmpty ? nil : text
        }
        guard let effectJSON = fields["Effect"] else { throw .invalid("Missing required field Effect") }
        guard case .string(let effectText) = effectJSON, let effect = PolicyStatement.Effect(rawValue: effectText) else {
            throw .invalid("Invalid effect: \(effectJSON.textValue ?? "")")
        }
        let (principals, principalNegated) = try pair(fields, "Principal", "NotPrincipal", parse: principalList)
        let (actionTexts, actionNegated) = try pair(fields, "Action", "NotAction") { json throws(PolicyError) in try strings(json, field: "Action") }
        let (resourceTexts, resourceNegated) = try pair(fields, "Resource", "NotResource") { json throws(PolicyError) in
            try strings(json, field: "Resource")
        }
        var expanded: [String] = []
        for action in actionTexts {
            if action == "*" || action.lowercased() == "s3:*" {
                expanded += S3ActionCatalog.actions.keys
                continue
            }
            let matches = S3ActionCatalog.expand(action)
            guard action.lowercased().hasPrefix("s3:"), !matches.isEmpty else { throw .invalid("Policy has invalid action") }
            expanded += matches
        }
        var resources: [PolicyResource] = []
        for text in resourceTexts {
            guard let resource = PolicyResource(text, bucket: bucket) else { throw .invalid("Policy has invalid resource") }
            resources.append(resource)
        }
        if !actionNegated && !resourceNegated {
            // Each statement must be able to apply: some action must fit some resource.
            let fits = expanded.contains { name in
                switch S3ActionCatalog.actions[name] {
                case .object: return resources.contains { $0.appliesToObjects }
                case .bucket: return resources.contains { $0.appliesToBucket(bucket) }
                default: return false
                }
            }
            guard fits else { throw .invalid("Action does not apply to any resource(s) in statement") }
        }
        var conditions: [PolicyCondition] = []
        if let conditionJSON = fields["Condition"] {
            guard case .object(let operators) = conditionJSON else { throw .invalid("Condition must be an object") }
            for (operatorName, block) in operators {
                guard case .object(let keys) = block else { throw .invalid("Invalid Condition type : \(operatorName)") }
                for (key, values) in keys {
                    conditions.append(try PolicyCondition(operatorName: operatorName, key: key, values: try scalars(values)))
                }
            }
        }
        return PolicyStatement(
            sid: sid, effect: effect, principals: principals, principalNegated: principalNegated,
            actions: actionTexts.map { $0.lowercased() }, actionNegated: actionNegated, resources: resources, resourceNegated: resourceNegated,
            conditions: conditions
        )
    }

    /// Exactly one of `name` and `negatedName` must be present.
    static func pair<T>(_ fields: [String: PolicyJSON], _ name: String, _ negatedName: String, parse: (PolicyJSON) throws(PolicyError) -> T)
        throws(PolicyError) -> (T, Bool)
    {
        switch (fields[name], fields[negatedName]) {
        case (let value?, nil): return (try parse(value), false)
        case (nil, let value?): return (try parse(value), true)
        case (nil, nil): throw .invalid("Missing required field \(name)")
        case (_?, _?): throw .invalid("Statement cannot have both \(name) and \(negatedName)")
        }
    }

    static func principalList(_ json: PolicyJSON) throws(PolicyError) -> [PolicyPrincipal] {
        let invalid = PolicyError.invalid("Invalid principal in policy")
        switch json {
        case .string("*"): return [.anyone]
        case .object(let members):
            guard !members.isEmpty else { throw invalid }
            var result: [PolicyPrincipal] = []
            for (kind, value) in members {
                let texts = try strings(value, field: "Principal")
                for text in texts {
                    let principal: PolicyPrincipal?
                    switch kind {
                    case "AWS": principal = PolicyPrincipal.parseAWS(text)
                    case "CanonicalUser": principal = PolicyPrincipal.parseCanonical(text)
                    default: principal = nil
                    }
                    guard let principal else { throw invalid }
                    result.append(principal)
                }
            }
            return result
        default: throw invalid
        }
    }

    /// A string or a non-empty array of strings.
    static func strings(_ json: PolicyJSON, field: String) throws(PolicyError) -> [String] {
        switch json {
        case .string(let text): return [text]
        case .array(let items) where !items.isEmpty:
            var result: [String] = []
            for item in items {
                guard case .string(let text) = item else { throw .invalid("\(field) must be a string or an array of strings") }
                result.append(text)
            }
            return result
        default: throw .invalid("\(field) must be a string or an array of strings")
        }
    }

    /// Condition values: strings, numbers or booleans, alone or in an array.
    static func scalars(_ json: PolicyJSON) throws(PolicyError) -> [String] {
        let items: [PolicyJSON]
        if case .array(let list) = json { items = list } else { items = [json] }
        var result: [String] = []
        for item in items {
            guard let text = item.textValue else { throw .invalid("Condition values must be strings, numbers or booleans") }
            result.append(text)
        }
        return result
    }
}

extension PolicyJSON {
    var textValue: String? {
        switch self {
        case .string(let text), .number(let text): return text
        case .bool(let value): return value ? "true" : "false"
        default: return nil
        }
    }
}
