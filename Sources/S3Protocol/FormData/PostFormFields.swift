import Foundation

/// The fields of a POST Object form before its file part, in order, as S3 reads them.
///
/// Names are case-insensitive ("The post parameters are case insensitive"); a name sent twice
/// has its values joined with commas, which is how S3 asks a policy to match them.
public struct PostFormFields: Sendable {
    /// Every field as received: original name and value, in form order.
    public private(set) var entries: [(name: String, value: String)] = []

    public init() {}

    /// Adds a field, as reported by `FormDataParser.Event.field`.
    public mutating func append(name: String, value: String) {
        entries.append((name, value))
    }

    /// The value of a field by case-insensitive name; several values are comma-joined.
    public subscript(_ name: String) -> String? {
        let lower = name.lowercased()
        let values = entries.filter { $0.name.lowercased() == lower }.map(\.value)
        return values.isEmpty ? nil : values.joined(separator: ",")
    }

    /// All fields under lowercased names, values as sent: what `PostSignature` reads.
    public var lowercased: [String: String] {
        var result: [String: String] = [:]
        for entry in entries {
            let name = entry.name.lowercased()
            result[name] = result[name].map { $0 + "," + entry.value } ?? entry.value
        }
        return result
    }

    /// The fields a policy is checked against: lowercased names, `${filename}` expanded in every
    /// value, and `bucket` set to the bucket of the URL (which a form cannot change).
    ///
    /// - Parameter filename: the file part's `filename` parameter, nil if it had none.
    public func policyFields(bucket: String, filename: String?) -> [String: String] {
        var result = lowercased.mapValues { Self.expandingFilename(in: $0, filename: filename) }
        result["bucket"] = bucket
        return result
    }

    /// Replaces `${filename}` with the client's file name after its last `/` or `\`
    /// (`C:\dir\photo.jpg` gives `photo.jpg`).
    ///
    /// With no `filename` parameter at all S3 leaves the text as it is (observed 2026, though its
    /// documentation says it becomes empty); an empty `filename=""` expands to the empty string.
    public static func expandingFilename(in value: String, filename: String?) -> String {
        guard let filename, value.contains("${filename}") else { return value }
        let base = filename.split(separator: "/", omittingEmptySubsequences: false).last.map(String.init) ?? filename
        let name = base.split(separator: "\\", omittingEmptySubsequences: false).last.map(String.init) ?? base
        return value.replacingOccurrences(of: "${filename}", with: name)
    }

    /// `fields` with every name lowercased (values of names that then collide are comma-joined).
    static func lowercasingNames(_ fields: [String: String]) -> [String: String] {
        guard fields.keys.contains(where: { $0 != $0.lowercased() }) else { return fields }
        var result: [String: String] = [:]
        for (name, value) in fields.sorted(by: { $0.key < $1.key }) {
            let lower = name.lowercased()
            result[lower] = result[lower].map { $0 + "," + value } ?? value
        }
        return result
    }
}
