/// Why an image URL was refused: a stable, machine-readable `reason` (kebab-case) and a message
/// safe to show the client.
///
/// The server layer maps reasons to HTTP statuses (400 for grammar errors, 403 for signatures,
/// 404/410 for `expired`); the domain does not know about HTTP. Messages name the offending option
/// and echo at most a short prefix of the argument the client sent; they never carry a key, a
/// salt or an expected signature.
public struct ImageURLError: Error, Sendable, Equatable, CustomStringConvertible {
    /// One of the `Reason` constants, e.g. `invalid-option`.
    public var reason: String
    public var message: String

    public init(reason: String, message: String) {
        self.reason = reason
        self.message = message
    }

    public var description: String { "\(reason): \(message)" }

    /// The reasons this target produces. An open set: callers may add their own.
    public enum Reason {
        public static let invalidOption = "invalid-option"
        public static let unknownOption = "unknown-option"
        public static let invalidSignature = "invalid-signature"
        public static let missingSignature = "missing-signature"
        public static let expired = "expired"
        public static let invalidSource = "invalid-source"
        public static let unknownPreset = "unknown-preset"
        public static let presetsOnly = "presets-only"
    }

    /// A known option with an argument it cannot take (or the wrong number of arguments).
    public static func invalidOption(_ option: String, _ detail: String) -> ImageURLError {
        ImageURLError(reason: Reason.invalidOption, message: "Invalid \(clip(option)): \(detail)")
    }

    /// An option (imgproxy) or query parameter (imgix) the grammar does not have.
    public static func unknownOption(_ name: String) -> ImageURLError {
        ImageURLError(reason: Reason.unknownOption, message: "Unknown option: \(clip(name))")
    }

    public static let invalidSignature = ImageURLError(reason: Reason.invalidSignature, message: "Invalid signature")

    public static let missingSignature = ImageURLError(reason: Reason.missingSignature, message: "The URL must be signed")

    public static let expired = ImageURLError(reason: Reason.expired, message: "The URL has expired")

    public static func invalidSource(_ detail: String) -> ImageURLError {
        ImageURLError(reason: Reason.invalidSource, message: "Invalid source: \(detail)")
    }

    public static func unknownPreset(_ name: String) -> ImageURLError {
        ImageURLError(reason: Reason.unknownPreset, message: "Unknown preset: \(clip(name))")
    }

    /// The server only accepts URLs made of presets, and this one has free options.
    public static let presetsOnly = ImageURLError(reason: Reason.presetsOnly, message: "Only presets are allowed in image URLs")

    /// Client text echoed in a message is cut short: enough to find the mistake, never a payload.
    static func clip(_ text: some StringProtocol, limit: Int = 64) -> String {
        text.count <= limit ? String(text) : String(text.prefix(limit)) + "…"
    }
}
