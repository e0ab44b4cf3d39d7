import Foundation
import MagpieCore

/// The signed policy of a browser upload (POST Object): when it expires and what the form may hold.
///
/// Decoding checks only the document's shape (`InvalidPolicyDocument`); `check` then judges a form
/// against it as S3 does (`AccessDenied`, "Invalid according to Policy: …"), and
/// `checkContentLength` the uploaded size (`EntityTooLarge` / `EntityTooSmall`).
public struct PostPolicy: Sendable {
    /// After this instant the policy authorizes nothing.
    public var expiration: Date
    /// The sizes every `content-length-range` condition allows; nil when the policy sets none.
    public var contentLengthRange: ClosedRange<Int64>?
    var conditions: [PostPolicyCondition]

    /// Fields the coverage rule exempts: S3's list (SigV4 and SigV2 pages) plus `bucket`, which the
    /// caller adds from the URL rather than the form.
    static let exemptFields: Set<String> = ["x-amz-signature", "signature", "awsaccesskeyid", "file", "policy", "bucket"]

    init(expiration: Date, conditions: [PostPolicyCondition]) {
        self.expiration = expiration
        var kept: [PostPolicyCondition] = []
        var range: ClosedRange<Int64>?
        for condition in conditions {
            guard case .contentLengthRange(let next) = condition.test else {
                kept.append(condition)
                continue
            }
            // Several ranges narrow one another; one that cannot overlap the rest fails as written.
            if let current = range, !current.overlaps(next) {
                kept.append(PostPolicyCondition(field: nil, test: .unsatisfiable, text: condition.text))
            } else {
                range = range.map { $0.clamped(to: next) } ?? next
                kept.append(condition)
            }
        }
        self.conditions = kept
        self.contentLengthRange = range
    }

    /// Decodes the base64 `policy` field (JSON: `expiration` ISO 8601, `conditions` an array of
    /// `{"field": "value"}` objects or `["eq" | "starts-with", "$field", "value"]` /
    /// `["content-length-range", min, max]` arrays). Throws `InvalidPolicyDocument` when malformed.
    ///
    /// Line breaks in the base64 are skipped: some encoders wrap at 76 columns, and the signature is
    /// checked over the field as sent, not over this decoding.
    public static func decode(base64: String) throws -> PostPolicy {
        let compact = base64.filter { !$0.isWhitespace }
        guard let bytes = Base64.decode(compact) else { throw PostError.invalidPolicy("invalid Base64 encoding.") }
        let document: PolicyJSON
        do { document = try PolicyJSON.parse(bytes) } catch { throw PostError.invalidPolicy("Invalid JSON.") }
        guard case .object(let members) = document else { throw PostError.invalidPolicy("Invalid JSON.") }
        var expiration: Date?
        var conditions: [PostPolicyCondition]?
        for member in members {
            switch member.key {
            case "expiration" where expiration == nil:
                guard case .string(let text) = member.value, let date = PolicyDate.parse(text) else {
                    let shown = if case .string(let text) = member.value { text } else { member.value.rendered() }
                    throw PostError.invalidPolicy("Invalid 'expiration' value: '\(shown)'")
                }
                expiration = date
            case "conditions" where conditions == nil:
                guard case .array(let list) = member.value else {
                    throw PostError.invalidPolicy("Invalid 'conditions' value: must be a List.")
                }
                conditions = try list.map(PostPolicyCondition.decode)
            case "expiration", "conditions":
                throw PostError.invalidPolicy("Invalid JSON.")
            default:
                // S3 names an unknown member lowercased, in single quotes; the two it knows are case-sensitive.
                throw PostError.invalidPolicy("Unexpected: '\(member.key.lowercased())'")
            }
        }
        guard let expiration else { throw PostError.invalidPolicy("Policy missing expiration.") }
        guard let conditions else { throw PostError.invalidPolicy("Policy missing conditions.") }
        return PostPolicy(expiration: expiration, conditions: conditions)
    }

    /// Checks the expiration, every condition against the form fields, and that every field (except
    /// `x-amz-signature`, `signature`, `awsaccesskeyid`, `file`, `policy`, `bucket` and `x-ignore-*`)
    /// is covered by a condition. Throws `AccessDenied` with S3's message.
    ///
    /// - Parameter fields: the form fields before the file, names lowercased (`PostFormFields.policyFields`):
    ///   `bucket` set by the caller to the URL's bucket, `${filename}` already expanded.
    public func check(fields: [String: String], now: Date) throws {
        if now > expiration { throw PostError.policyExpired }
        let fields = PostFormFields.lowercasingNames(fields)
        for condition in conditions where !condition.holds(in: fields) {
            throw PostError.conditionFailed(condition.text)
        }
        let covered = Set(conditions.compactMap(\.field))
        let extra = fields.keys.filter { name in
            !covered.contains(name) && !Self.exemptFields.contains(name) && !name.hasPrefix("x-ignore-")
        }
        if !extra.isEmpty { throw PostError.extraInputFields(extra.sorted()) }
    }

    /// Checks an upload size against `content-length-range` (bounds inclusive).
    ///
    /// Call it with `complete: false` as bytes arrive, to stop an upload as soon as it is too large,
    /// and with the final size once the file has ended.
    public func checkContentLength(_ size: Int64, complete: Bool = true) throws {
        guard let range = contentLengthRange else { return }
        if size > range.upperBound { throw PostError.tooLarge(size: size, max: range.upperBound) }
        if complete, size < range.lowerBound { throw PostError.tooSmall(size: size, min: range.lowerBound) }
    }
}
