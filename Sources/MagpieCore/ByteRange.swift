/// A single HTTP byte range as S3 accepts it in `Range:` (`bytes=a-b`, `bytes=a-`, `bytes=-n`).
public enum ByteRange: Hashable, Sendable {
    case closed(first: Int64, last: Int64)
    case from(first: Int64)
    case suffix(length: Int64)

    /// Parses a `Range` header value. Returns nil for syntax S3 ignores (it then serves the whole object):
    /// other units, several ranges, garbage. Only syntactically valid single ranges produce a value.
    public static func parse(_ header: String) -> ByteRange? {
        let value = header.trimmingSpaces
        guard value.hasPrefix("bytes=") else { return nil }
        let spec = value.dropFirst("bytes=".count).trimmingSpaces
        guard !spec.contains(","), let dash = spec.firstIndex(of: "-") else { return nil }
        let startText = spec[..<dash].trimmingSpaces
        let endText = spec[spec.index(after: dash)...].trimmingSpaces
        switch (Int64(decimal: startText), Int64(decimal: endText)) {
        case (let first?, let last?): return first <= last ? .closed(first: first, last: last) : nil
        case (let first?, nil) where endText.isEmpty: return .from(first: first)
        case (nil, let length?) where startText.isEmpty: return .suffix(length: length)
        default: return nil
        }
    }

    /// The concrete inclusive byte positions inside an object of `size` bytes, or nil when unsatisfiable
    /// (→ 416 with `Content-Range: bytes */size`).
    public func resolve(size: Int64) -> ClosedRange<Int64>? {
        switch self {
        case .closed(let first, let last):
            guard first < size else { return nil }
            return first...min(last, size - 1)
        case .from(let first):
            guard first < size else { return nil }
            return first...(size - 1)
        case .suffix(let length):
            guard length > 0, size > 0 else { return nil }
            return max(0, size - length)...(size - 1)
        }
    }
}

extension Int64 {
    /// Plain non-negative decimal digits only (no sign, no spaces), as HTTP ranges require.
    init?(decimal text: Substring) {
        guard !text.isEmpty, text.utf8.count <= 19, text.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) else { return nil }
        self.init(text)
    }
}

extension StringProtocol {
    var trimmingSpaces: Substring {
        let text = Substring(self)
        guard let start = text.firstIndex(where: { $0 != " " && $0 != "\t" }) else { return text[text.endIndex...] }
        let end = text.lastIndex(where: { $0 != " " && $0 != "\t" })!
        return text[start...end]
    }
}
