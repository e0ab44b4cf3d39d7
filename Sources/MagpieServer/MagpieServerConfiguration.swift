import MetadataStore
import MediaWorkers
import ObjectService

/// Everything `magpie serve` is configured with; flags and `MAGPIE_*` environment feed the same keys.
public struct MagpieServerConfiguration: Sendable {
    /// Listen address (loopback by default: exposing the server is a deliberate act).
    public var address = "127.0.0.1"
    public var port = 9000
    public var dataDirectory = "./data"
    /// Enables virtual-hosted style for `bucket.<domain>` Host headers.
    public var domain: String?
    /// When set, `/-/metrics` requires `Authorization: Bearer <token>`.
    public var metricsToken: String?
    public var rootAccessKey: String
    public var rootSecretKey: String
    /// Largest request header section accepted (bytes); larger requests get 400.
    public var maxHeaderBytes = 64 * 1024
    /// Largest XML request body (DeleteObjects, configuration documents).
    public var maxXMLBodyBytes = 2 << 20
    public var objects = ObjectServiceConfiguration()
    public var images = ImageServiceConfiguration()
    public var jobs = JobsConfiguration()
    /// Storage tiers (directories) and which class writes to which; nil: every class in its own
    /// tier under the data directory (`TierLayout.defaults`).
    public var tierLayout: TierLayout?
    /// How often the lifecycle scanner starts a pass (nil: every quarter lifecycle day, at most every
    /// second when days are shortened, hourly with real days).
    public var lifecycleScanInterval: Duration?

    public init(rootAccessKey: String, rootSecretKey: String) {
        self.rootAccessKey = rootAccessKey
        self.rootSecretKey = rootSecretKey
    }

    public func validate() throws {
        guard (0...65535).contains(port) else { throw ConfigurationError("port must be 0…65535") }
        guard !dataDirectory.isEmpty else { throw ConfigurationError("data directory must not be empty") }
        guard !rootAccessKey.isEmpty, !rootSecretKey.isEmpty else { throw ConfigurationError("root credentials must not be empty") }
        try objects.validate()
        try jobs.validate()
        try tierLayout?.validate()
    }

    /// The tier layout in force.
    public var effectiveTierLayout: TierLayout { tierLayout ?? TierLayout.defaults(dataDirectory: dataDirectory) }

    /// How often the restore worker looks for restores to complete or expire.
    public var restoreWorkerInterval: Duration {
        objects.restoreSeconds > 0 || objects.lifecycleDaySeconds < 86_400 ? .milliseconds(250) : .seconds(10)
    }

    /// The lifecycle scanner's pause between passes.
    public var effectiveLifecycleScanInterval: Duration {
        if let lifecycleScanInterval { return lifecycleScanInterval }
        let day = objects.lifecycleDaySeconds
        guard day < 86_400 else { return .seconds(3600) }
        return .milliseconds(min(1000, max(100, day * 1000 / 4)))
    }
}

public struct ConfigurationError: Error, CustomStringConvertible {
    public let description: String
    public init(_ description: String) { self.description = description }
}
