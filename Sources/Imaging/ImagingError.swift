/// Why an image could not be produced. `reason` is machine-readable (sent as `X-Magpie-Error`),
/// `status` the HTTP status it maps to.
public struct ImagingError: Error, Sendable, Equatable, CustomStringConvertible {
    public var reason: String
    public var message: String
    public var status: Int

    public init(reason: String, message: String, status: Int) {
        self.reason = reason
        self.message = message
        self.status = status
    }

    public var description: String { "\(reason): \(message)" }

    static func vips(_ operation: String) -> ImagingError {
        let detail = Vips.takeError()
        if detail.contains("killed") || detail.contains("cancelled") {
            return .timeout
        }
        return ImagingError(
            reason: "processing-error",
            message: "The image could not be processed (\(operation)): \(detail.isEmpty ? "libvips failed" : String(detail.prefix(300)))",
            status: 422)
    }

    static let timeout = ImagingError(
        reason: "processing-timeout", message: "Processing took longer than the configured limit.", status: 422)

    static func unsupportedSource(_ what: String) -> ImagingError {
        ImagingError(reason: "source-format-unsupported", message: "The source is not a supported image (\(what)).", status: 422)
    }

    static func sourceResolution(_ pixels: Int, limit: Int) -> ImagingError {
        ImagingError(
            reason: "source-resolution-limit",
            message: "The source has \(pixels) pixels (all frames); the limit is \(limit).", status: 422)
    }

    static func sourceFrames(_ frames: Int, limit: Int) -> ImagingError {
        ImagingError(reason: "source-frames-limit", message: "The source has \(frames) frames; the limit is \(limit).", status: 422)
    }

    public static func sourceBytes(_ bytes: Int, limit: Int) -> ImagingError {
        ImagingError(reason: "source-size-limit", message: "The source is \(bytes) bytes; the limit is \(limit).", status: 422)
    }

    static func resultDimension(_ width: Int, _ height: Int, limit: Int) -> ImagingError {
        ImagingError(
            reason: "result-dimension-limit",
            message: "The result would be \(width)×\(height); the largest side allowed is \(limit).", status: 422)
    }

    public static let queueFull = ImagingError(
        reason: "queue-full", message: "Too many images are being processed; retry shortly.", status: 429)
}
