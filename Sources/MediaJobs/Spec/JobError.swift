/// The one error of the job pipeline: a stable code, a message safe to show, whether a retry may help,
/// and a private detail for the log (FFmpeg's stderr tail, an errno) that never reaches a client.
public struct JobError: Error, Sendable, Equatable, CustomStringConvertible {
    /// An open set of codes (struct + static members).
    public struct Code: Hashable, Sendable, Codable, CustomStringConvertible {
        public let rawValue: String
        public init(_ rawValue: String) { self.rawValue = rawValue }
        public init(from decoder: any Decoder) throws { rawValue = try decoder.singleValueContainer().decode(String.self) }
        public func encode(to encoder: any Encoder) throws {
            var container = encoder.singleValueContainer()
            try container.encode(rawValue)
        }
        public var description: String { rawValue }
    }

    public let code: Code
    public let message: String
    /// True for failures a retry may cure (I/O, a killed process); false for invalid input.
    public let transient: Bool
    /// Log-only detail.
    public let detail: String?

    public init(_ code: Code, _ message: String, transient: Bool = false, detail: String? = nil) {
        self.code = code
        self.message = message
        self.transient = transient
        self.detail = detail
    }

    public var description: String { "\(code): \(message)" + (detail.map { " (\($0))" } ?? "") }

    public static func invalidSpec(_ message: String) -> JobError { JobError(.invalidSpec, message) }
}

extension JobError.Code {
    /// The request body or a rule is not a valid job description.
    public static let invalidSpec = Self("InvalidJobSpec")
    /// The source object does not exist (or the submitter may not read it).
    public static let sourceNotFound = Self("SourceNotFound")
    /// The source is not media FFmpeg can decode (checked by content, not by name).
    public static let invalidMedia = Self("InvalidMedia")
    /// The source exceeds a configured limit (duration, resolution, size).
    public static let sourceTooLarge = Self("SourceTooLarge")
    /// An output needs a stream the source does not have (video outputs of an audio file).
    public static let missingStream = Self("MissingStream")
    /// FFmpeg failed on a source that probed fine.
    public static let processingFailed = Self("ProcessingFailed")
    /// The job ran longer than its wall-clock limit.
    public static let timeout = Self("Timeout")
    /// Reading the source or storing an output failed.
    public static let storage = Self("StorageError")
    /// The process was killed from outside (not by a cancellation).
    public static let killed = Self("ProcessKilled")
    /// The worker holding the job's lease disappeared too many times.
    public static let attemptsExhausted = Self("AttemptsExhausted")
    public static let canceled = Self("Canceled")
    public static let internalError = Self("InternalError")
}
