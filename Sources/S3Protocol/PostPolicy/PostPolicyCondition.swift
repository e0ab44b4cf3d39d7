/// One decoded condition of a POST policy.
///
/// Field names match case-insensitively (`$Content-Type` covers a `content-type` field); values
/// match byte for byte, case-sensitively, as S3 does.
struct PostPolicyCondition: Sendable, Equatable {
    enum Test: Sendable, Equatable {
        case equals(String)
        case startsWith(String)
        case contentLengthRange(ClosedRange<Int64>)
        /// A condition S3 accepts in the document but that no form can meet (e.g. `["eq", "key", "x"]`
        /// without `$`, or a `content-length-range` of words).
        case unsatisfiable
    }

    /// The lowercased form field the condition is about, without `$`; nil if it names none.
    let field: String?
    let test: Test
    /// The condition as S3 prints it after "Policy Condition failed: ".
    let text: String

    /// Whether the condition holds for `fields` (lowercased names). A condition on an absent field
    /// fails, even `starts-with ""` (S3 answers so). The content length is checked elsewhere.
    func holds(in fields: [String: String]) -> Bool {
        switch test {
        case .contentLengthRange: return true
        case .unsatisfiable: return false
        case .equals(let expected):
            guard let field, let value = fields[field] else { return false }
            return value.utf8.elementsEqual(expected.utf8)
        case .startsWith(let prefix):
            guard let field, let value = fields[field] else { return false }
            // S3 reads a Content-Type as a comma-separated list of which every entry must match.
            guard field == "content-type" else { return value.utf8.starts(with: prefix.utf8) }
            return value.split(separator: ",", omittingEmptySubsequences: false).allSatisfy {
                AuthText.trim($0).utf8.starts(with: prefix.utf8)
            }
        }
    }

    /// Decodes one element of `conditions`: `{"name": "value"}` or `[operation, …]`.
    static func decode(_ json: PolicyJSON) throws -> PostPolicyCondition {
        switch json {
        case .object(let members):
            guard members.count == 1, let member = members.first else {
                throw PostError.invalidPolicy("Invalid Simple-Condition: Simple-Conditions must have exactly one property specified.")
            }
            switch member.value {
            case .string(let value):
                let text = PolicyJSON.array([.string("eq"), .string("$" + member.key), .string(value)]).rendered()
                return PostPolicyCondition(field: member.key.lowercased(), test: .equals(value), text: text)
            case .null: throw PostError.invalidPolicy("Invalid JSON.")
            default: throw PostError.invalidPolicy("Invalid Simple-Condition: value must be a string.")
            }
        case .array(let elements):
            guard case .string(let operation)? = elements.first else {
                throw PostError.invalidPolicy("Invalid Condition: missing operation identifier.")
            }
            return try decode(operation: operation.lowercased(), elements, text: json.rendered())
        default:
            throw PostError.invalidPolicy("Invalid condition test: must be a List or Object.")
        }
    }

    private static func decode(operation: String, _ elements: [PolicyJSON], text: String) throws -> PostPolicyCondition {
        guard ["eq", "starts-with", "content-length-range"].contains(operation) else {
            throw PostError.invalidPolicy("Invalid Condition: unknown operation '\(operation)'.")
        }
        guard elements.count == 3 else { throw PostError.invalidPolicy("Invalid \(operation): wrong number of arguments.") }
        if operation == "content-length-range" {
            guard let min = try bound(elements[1]), let max = try bound(elements[2]), min <= max else {
                return PostPolicyCondition(field: nil, test: .unsatisfiable, text: text)
            }
            return PostPolicyCondition(field: nil, test: .contentLengthRange(min...max), text: text)
        }
        guard case .string(let name) = elements[1], case .string(let value) = elements[2] else {
            throw PostError.invalidPolicy("Invalid JSON.")
        }
        guard name.hasPrefix("$"), name.count > 1 else { return PostPolicyCondition(field: nil, test: .unsatisfiable, text: text) }
        let field = String(name.dropFirst()).lowercased()
        return PostPolicyCondition(field: field, test: operation == "eq" ? .equals(value) : .startsWith(value), text: text)
    }

    /// A size bound: an integer, or a string of digits (S3 takes `"10"`); nil for other strings, which
    /// S3 accepts in the document but never satisfies. Fractions are "Invalid JSON." to S3.
    private static func bound(_ json: PolicyJSON) throws -> Int64? {
        switch json {
        case .number(let literal):
            guard !literal.contains(where: { $0 == "." || $0 == "e" || $0 == "E" }) else { throw PostError.invalidPolicy("Invalid JSON.") }
            guard let value = Int64(literal), value >= 0 else {
                throw PostError.invalidPolicy("Invalid content-length-range: bounds must be integers from 0 to \(Int64.max).")
            }
            return value
        case .string(let text):
            return Int64(text).flatMap { $0 >= 0 ? $0 : nil }
        default:
            throw PostError.invalidPolicy("Invalid JSON.")
        }
    }
}
