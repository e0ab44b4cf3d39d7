import Foundation

/// What a client asks for: `{"source": "s3://b/k", "destination": "s3://b/prefix/", "outputs": […], "webhook": "https://…"}`.
public struct JobSpec: Sendable, Equatable, Codable {
    public var source: S3Location
    public var destination: S3Location
    public var outputs: [OutputSpec]
    public var webhook: String?

    public init(source: S3Location, destination: S3Location, outputs: [OutputSpec], webhook: String? = nil) {
        self.source = source
        self.destination = destination
        self.outputs = outputs
        self.webhook = webhook
    }

    /// Decodes and validates a request body; every failure is an `InvalidJobSpec` with a clear message.
    public static func decode(_ bytes: [UInt8]) throws(JobError) -> JobSpec {
        let spec: JobSpec
        do {
            spec = try JSONDecoder().decode(JobSpec.self, from: Data(bytes))
        } catch let error as JobError {
            throw error
        } catch {
            throw .invalidSpec(JobSpec.explain(error))
        }
        try spec.validate()
        return spec
    }

    public func validate() throws(JobError) {
        try check(!source.key.isEmpty && !source.key.hasSuffix("/"), "source must name an object: s3://bucket/key.")
        try check(!outputs.isEmpty, "outputs lists at least one output.")
        try check(outputs.count <= 20, "outputs lists at most 20 outputs.")
        for output in outputs { try output.validate() }
        var seen = Set<String>()
        for output in outputs {
            try check(seen.insert(output.name).inserted, "Two outputs are named \"\(output.name)\"; give one a different \"name\".")
        }
        if let webhook { _ = try WebhookURL.parse(webhook) }
    }

    /// Jobs that encode whole videos go to the video pool.
    public var workClass: WorkClass { outputs.contains { $0.isHeavy } ? .video : .light }

    /// Turns a DecodingError into a message naming the field, never echoing the body.
    static func explain(_ error: any Error) -> String {
        guard let error = error as? DecodingError else { return "The body is not valid JSON." }
        func path(_ context: DecodingError.Context) -> String {
            let names = context.codingPath.map { $0.intValue.map { "[\($0)]" } ?? "." + $0.stringValue }.joined()
            return names.isEmpty ? "the body" : String(names.drop { $0 == "." })
        }
        switch error {
        case .keyNotFound(let key, let context):
            let at = path(context)
            return "Missing \"\(key.stringValue)\"" + (at == "the body" ? "." : " in \(at).")
        case .typeMismatch(_, let context), .valueNotFound(_, let context): return "\(path(context)) has the wrong type."
        case .dataCorrupted(let context):
            return context.codingPath.isEmpty ? "The body is not valid JSON." : "\(path(context)) has an invalid value."
        @unknown default: return "The body is not valid JSON."
        }
    }
}

/// Which worker pool runs a job.
public enum WorkClass: String, Sendable, Codable, CaseIterable {
    /// Whole-video encodes (mp4, hls, preview): few at a time.
    case video
    /// Probes, stills, audio, waveforms: alongside.
    case light
}

/// A webhook target: http(s) only, no credentials in the URL.
public struct WebhookURL: Sendable, Equatable {
    public var scheme: String
    public var host: String
    public var port: Int
    public var url: String

    public static func parse(_ text: String) throws(JobError) -> WebhookURL {
        guard text.count <= 2048, let components = URLComponents(string: text), let scheme = components.scheme?.lowercased(),
            scheme == "http" || scheme == "https", let host = components.host, !host.isEmpty
        else { throw .invalidSpec("webhook must be an http:// or https:// URL.") }
        try check(components.user == nil && components.password == nil, "webhook must not carry credentials.")
        let port = components.port ?? (scheme == "https" ? 443 : 80)
        try check((1...65535).contains(port), "webhook has an invalid port.")
        return WebhookURL(scheme: scheme, host: host.trimmingCharacters(in: CharacterSet(charactersIn: "[]")), port: port, url: text)
    }
}
