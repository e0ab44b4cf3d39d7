import CMagpieVips

/// One libvips image reference, released when the wrapper goes away. libvips images are lazy:
/// pixels are computed when a saver pulls them, so every image an output depends on (and the
/// source bytes behind them) must stay alive until the save returns.
final class VImage: @unchecked Sendable {
    let pointer: OpaquePointer

    init(_ pointer: OpaquePointer) {
        self.pointer = pointer
    }

    deinit {
        mv_unref(pointer)
    }

    var width: Int { Int(mv_width(pointer)) }
    var height: Int { Int(mv_height(pointer)) }
    var bands: Int { Int(mv_bands(pointer)) }
    var hasAlpha: Bool { mv_has_alpha(pointer) != 0 }
    var hasICCProfile: Bool { mv_has_icc(pointer) != 0 }
    var pages: Int { max(1, Int(mv_n_pages(pointer))) }
    var pageHeight: Int { Int(mv_page_height(pointer)) }
    var orientation: Int { Int(mv_orientation(pointer)) }
    var interpretation: String { mv_interpretation(pointer).map { String(cString: $0) } ?? "unknown" }

    /// Frames stacked in this image (the loader's n-pages may count frames not loaded).
    var loadedFrames: Int {
        let page = pageHeight
        return page > 0 && height % page == 0 ? height / page : 1
    }

    /// Runs a libvips operation that produces a new image.
    static func make(_ operation: String, _ body: (UnsafeMutablePointer<OpaquePointer?>) -> Int32) throws -> VImage {
        var out: OpaquePointer?
        let status = body(&out)
        guard status == 0, let out else {
            if let out { mv_unref(out) }
            throw ImagingError.vips(operation)
        }
        return VImage(out)
    }

    func apply(_ operation: String, _ body: (OpaquePointer, UnsafeMutablePointer<OpaquePointer?>) -> Int32) throws -> VImage {
        try VImage.make(operation) { body(pointer, $0) }
    }

    /// Encodes with a saver and copies the bytes out of libvips' buffer.
    func save(_ operation: String, _ body: (OpaquePointer, UnsafeMutablePointer<UnsafeMutableRawPointer?>, UnsafeMutablePointer<Int>) -> Int32) throws -> [UInt8] {
        var buffer: UnsafeMutableRawPointer?
        var length = 0
        let status = body(pointer, &buffer, &length)
        defer { mv_free(buffer) }
        guard status == 0, let buffer else { throw ImagingError.vips(operation) }
        return Array(UnsafeRawBufferPointer(start: buffer, count: length))
    }

    /// Uncompressed pixel bytes.
    func pixels() throws -> [UInt8] {
        var length = 0
        guard let memory = mv_pixels(pointer, &length) else { throw ImagingError.vips("write_to_memory") }
        defer { mv_free(memory) }
        return Array(UnsafeRawBufferPointer(start: memory, count: length))
    }
}

enum Vips {
    /// The libvips error text, cleared.
    static func takeError() -> String {
        guard let text = mv_error() else { return "" }
        defer { mv_free(text) }
        return String(cString: text).trimmingWhitespace()
    }
}

extension String {
    func trimmingWhitespace() -> String {
        var scalars = Substring(self)
        while let last = scalars.last, last.isWhitespace { scalars.removeLast() }
        while let first = scalars.first, first.isWhitespace { scalars.removeFirst() }
        return String(scalars)
    }
}
