import ImageProtocol

/// What the source really is, judged by its first bytes — never by its name or Content-Type.
/// Only these formats reach libvips; SVG, PDF, TIFF and the rest are refused before decoding
/// (and libvips' untrusted loaders are blocked as well).
public enum SourceFormat: String, Sendable, CaseIterable {
    case jpeg, png, gif, webp, avif, heic

    public static func sniff(_ bytes: UnsafeRawBufferPointer) -> SourceFormat? {
        func at(_ offset: Int, _ signature: [UInt8]) -> Bool {
            guard bytes.count >= offset + signature.count else { return false }
            for (index, byte) in signature.enumerated() where bytes[offset + index] != byte { return false }
            return true
        }
        if at(0, [0xFF, 0xD8, 0xFF]) { return .jpeg }
        if at(0, [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]) { return .png }
        if at(0, Array("GIF87a".utf8)) || at(0, Array("GIF89a".utf8)) { return .gif }
        if at(0, Array("RIFF".utf8)) && at(8, Array("WEBP".utf8)) { return .webp }
        if at(4, Array("ftyp".utf8)), bytes.count >= 12 {
            let brand = String(decoding: UnsafeRawBufferPointer(rebasing: bytes[8..<12]), as: UTF8.self)
            switch brand {
            case "avif", "avis": return .avif
            case "heic", "heix", "heim", "heis", "hevc", "hevx", "mif1", "msf1": return .heic
            default: return nil
            }
        }
        return nil
    }

    public static func sniff(_ bytes: [UInt8]) -> SourceFormat? {
        bytes.withUnsafeBytes { sniff($0) }
    }

    /// Formats libvips loads as a stack of frames.
    var canAnimate: Bool { self == .gif || self == .webp }

    /// The output format that keeps this source's look when the client takes nothing newer.
    public func fallbackOutput(hasAlpha: Bool, animated: Bool) -> ImageFormat {
        switch self {
        case .jpeg: .jpeg
        case .png: .png
        case .gif: .gif
        case .webp, .avif, .heic: animated ? .gif : hasAlpha ? .png : .jpeg
        }
    }
}

extension ImageFormat {
    var supportsAnimation: Bool { self == .gif || self == .webp }
    var supportsAlpha: Bool { self != .jpeg }
}
