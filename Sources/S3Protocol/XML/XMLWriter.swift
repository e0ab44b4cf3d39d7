/// Builds S3 response XML by appending elements; text is escaped. No Foundation, no DOM.
public struct XMLWriter: Sendable {
    public static let s3Namespace = "http://s3.amazonaws.com/doc/2006-03-01/"
    public private(set) var output: String

    public init() { output = #"<?xml version="1.0" encoding="UTF-8"?>"# + "\n" }

    /// `<name xmlns="…">` … `</name>` around the body.
    public mutating func element(_ name: String, namespace: String? = nil, _ body: (inout XMLWriter) -> Void) {
        output += "<\(name)"
        if let namespace { output += " xmlns=\"\(namespace)\"" }
        output += ">"
        body(&self)
        output += "</\(name)>"
    }

    /// `<name a="v" …>` … `</name>`: an element with attributes (values escaped).
    public mutating func element(_ name: String, attributes: [(String, String)], _ body: (inout XMLWriter) -> Void) {
        output += "<\(name)"
        for (attribute, value) in attributes { output += " \(attribute)=\"\(Self.escape(value))\"" }
        output += ">"
        body(&self)
        output += "</\(name)>"
    }

    /// `<name>text</name>`, escaped.
    public mutating func element(_ name: String, _ text: String) {
        output += "<\(name)>\(Self.escape(text))</\(name)>"
    }

    /// Escaped character data inside the current element.
    public mutating func text(_ text: String) {
        output += Self.escape(text)
    }

    /// Emits the element only when `text` is non-nil.
    public mutating func optional(_ name: String, _ text: String?) {
        if let text { element(name, text) }
    }

    public static func escape(_ text: String) -> String {
        guard text.utf8.contains(where: { $0 == 0x26 || $0 == 0x3C || $0 == 0x3E || $0 == 0x22 || $0 == 0x27 || $0 < 0x20 })
        else { return text }
        var out = ""
        out.reserveCapacity(text.utf8.count + 16)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&apos;"
            case "\t", "\n", "\r": out += "&#\(scalar.value);"
            default:
                // XML 1.0 cannot carry other control characters even as references; S3 clients that need
                // them use encoding-type=url.
                if scalar.value < 0x20 { out += "&#\(scalar.value);" } else { out.unicodeScalars.append(scalar) }
            }
        }
        return out
    }
}
