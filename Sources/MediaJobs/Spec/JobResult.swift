/// What one output produced: its object keys and facts about it.
public struct OutputResult: Sendable, Equatable, Codable {
    public var type: String
    public var name: String
    /// The main object (a master playlist, the MP4, the VTT …).
    public var key: String?
    /// Every object written, in write order.
    public var keys: [String]
    public var metadata: [String: JSONValue]

    public init(type: String, name: String, key: String? = nil, keys: [String] = [], metadata: [String: JSONValue] = [:]) {
        self.type = type
        self.name = name
        self.key = key
        self.keys = keys
        self.metadata = metadata
    }
}

/// What a finished job produced.
public struct JobResult: Sendable, Equatable, Codable {
    public var probe: MediaInfo?
    public var outputs: [OutputResult]

    public init(probe: MediaInfo? = nil, outputs: [OutputResult] = []) {
        self.probe = probe
        self.outputs = outputs
    }
}

/// A small JSON value for free-form metadata.
public enum JSONValue: Sendable, Equatable, Codable {
    case string(String)
    case number(Double)
    case bool(Bool)
    case array([JSONValue])
    case object([String: JSONValue])
    case null

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if container.decodeNil() {
            self = .null
        } else if let value = try? container.decode(Bool.self) {
            self = .bool(value)
        } else if let value = try? container.decode(Double.self) {
            self = .number(value)
        } else if let value = try? container.decode(String.self) {
            self = .string(value)
        } else if let value = try? container.decode([JSONValue].self) {
            self = .array(value)
        } else {
            self = .object(try container.decode([String: JSONValue].self))
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .string(let value): try container.encode(value)
        case .number(let value):
            if value.rounded() == value && abs(value) < 1e15 { try container.encode(Int64(value)) } else { try container.encode(value) }
        case .bool(let value): try container.encode(value)
        case .array(let value): try container.encode(value)
        case .object(let value): try container.encode(value)
        case .null: try container.encodeNil()
        }
    }

    public static func int(_ value: Int) -> JSONValue { .number(Double(value)) }
}

/// One webhook call as the API shows it.
public struct WebhookDeliveryView: Sendable, Equatable, Codable {
    public var status: String
    public var attempts: Int
    public var lastError: String?
    public init(status: String, attempts: Int, lastError: String?) {
        self.status = status
        self.attempts = attempts
        self.lastError = lastError
    }
}

/// A job as the API shows it.
public struct JobView: Sendable, Equatable, Codable {
    public struct ErrorView: Sendable, Equatable, Codable {
        public var code: String
        public var message: String
        public init(code: String, message: String) {
            self.code = code
            self.message = message
        }
    }

    public var id: String
    public var status: JobStatus
    public var progress: Int
    public var attempts: Int
    public var source: String
    public var destination: String
    public var outputs: [OutputSpec]
    public var webhook: String?
    /// Shown once, in the answer to the submission: the secret the webhook is signed with.
    public var webhookSecret: String?
    public var rule: String?
    public var createdAt: String
    public var startedAt: String?
    public var finishedAt: String?
    public var error: ErrorView?
    public var result: JobResult?
    /// Webhook calls made for this job: `delivered`, `pending` (retrying) or `failed` (gave up).
    public var webhookDeliveries: [WebhookDeliveryView]?

    public init(
        id: String, status: JobStatus, progress: Int, attempts: Int, spec: JobSpec, rule: String?, createdAt: String, startedAt: String?,
        finishedAt: String?, error: ErrorView?, result: JobResult?
    ) {
        self.id = id
        self.status = status
        self.progress = progress
        self.attempts = attempts
        self.source = spec.source.description
        self.destination = spec.destination.description
        self.outputs = spec.outputs
        self.webhook = spec.webhook
        self.rule = rule
        self.createdAt = createdAt
        self.startedAt = startedAt
        self.finishedAt = finishedAt
        self.error = error
        self.result = result
    }
}
