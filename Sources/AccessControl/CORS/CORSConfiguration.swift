import MagpieCore
import S3Protocol

/// A bucket's CORS configuration (AWS's rule model) and the matching S3 does for preflight and actual requests.
public struct CORSConfiguration: Sendable, Equatable, Codable {
    public struct Rule: Sendable, Equatable, Codable {
        public var id: String?
        public var allowedOrigins: [String]
        public var allowedMethods: [String]
        public var allowedHeaders: [String]
        public var exposeHeaders: [String]
        public var maxAgeSeconds: Int?

        public init(
            id: String? = nil, allowedOrigins: [String], allowedMethods: [String], allowedHeaders: [String] = [], exposeHeaders: [String] = [],
            maxAgeSeconds: Int? = nil
        ) {
            self.id = id
            self.allowedOrigins = allowedOrigins
            self.allowedMethods = allowedMethods
            self.allowedHeaders = allowedHeaders
            self.exposeHeaders = exposeHeaders
            self.maxAgeSeconds = maxAgeSeconds
        }

        func allowsOrigin(_ origin: String) -> Bool { allowedOrigins.contains { Wildcard.matches($0, origin) } }

        func allowsHeader(_ header: String) -> Bool {
            allowedHeaders.contains { Wildcard.matches($0, header, caseInsensitive: true) }
        }
    }

    public var rules: [Rule]

    public init(rules: [Rule]) { self.rules = rules }

    /// AWS's limits: at most 100 rules, one `*` per origin or header pattern, methods GET PUT HEAD POST DELETE.
    public static let maxRules = 100
    static let methods: Set<String> = ["GET", "PUT", "HEAD", "POST", "DELETE"]

    /// What a matching rule lets the browser see.
    public struct Match: Sendable, Equatable {
        public var allowOrigin: String
        public var allowMethods: [String]
        public var allowHeaders: [String]
        public var exposeHeaders: [String]
        public var maxAgeSeconds: Int?
        /// Credentials are allowed unless the rule's origin is the bare `*` wildcard.
        public var allowCredentials: Bool
    }

    /// The first rule allowing a preflight for `origin`, `method` and every header in `requestHeaders`.
    public func preflight(origin: String, method: String, requestHeaders: [String]) -> Match? {
        for rule in rules where rule.allowsOrigin(origin) && rule.allowedMethods.contains(method) {
            guard requestHeaders.allSatisfy(rule.allowsHeader) else { continue }
            return match(rule, origin: origin, headers: requestHeaders.map { $0.lowercased() })
        }
        return nil
    }

    /// The first rule allowing an actual request with `origin` and `method`.
    public func actual(origin: String, method: String) -> Match? {
        rules.first { $0.allowsOrigin(origin) && $0.allowedMethods.contains(method) }.map { match($0, origin: origin, headers: []) }
    }

    func match(_ rule: Rule, origin: String, headers: [String]) -> Match {
        let wildcard = rule.allowedOrigins.contains("*") && !rule.allowedOrigins.contains(origin)
        return Match(
            allowOrigin: wildcard ? "*" : origin, allowMethods: rule.allowedMethods, allowHeaders: headers, exposeHeaders: rule.exposeHeaders,
            maxAgeSeconds: rule.maxAgeSeconds, allowCredentials: !wildcard
        )
    }

    /// Parses and validates a `<CORSConfiguration>` document.
    public static func parse(_ bytes: [UInt8]) throws(MagpieError) -> CORSConfiguration {
        let document = try XMLNode.parse(bytes)
        guard document.name == "CORSConfiguration" else { throw MagpieError(.malformedXML) }
        let ruleNodes = document.all("CORSRule")
        guard !ruleNodes.isEmpty, ruleNodes.count <= maxRules, document.children.allSatisfy({ $0.name == "CORSRule" }) else {
            throw MagpieError(.malformedXML)
        }
        var rules: [Rule] = []
        for node in ruleNodes {
            let known: Set<String> = ["ID", "AllowedOrigin", "AllowedMethod", "AllowedHeader", "ExposeHeader", "MaxAgeSeconds"]
            guard node.children.allSatisfy({ known.contains($0.name) }) else { throw MagpieError(.malformedXML) }
            var rule = Rule(
                id: node.value("ID"), allowedOrigins: node.all("AllowedOrigin").map(\.text), allowedMethods: node.all("AllowedMethod").map(\.text),
                allowedHeaders: node.all("AllowedHeader").map(\.text), exposeHeaders: node.all("ExposeHeader").map(\.text)
            )
            guard !rule.allowedOrigins.isEmpty, !rule.allowedMethods.isEmpty, node.all("ID").count <= 1, node.all("MaxAgeSeconds").count <= 1
            else { throw MagpieError(.malformedXML) }
            if let id = rule.id, id.count > 255 { throw MagpieError(.invalidArgument, "The ID of a CORS rule must be at most 255 characters.") }
            if let text = node.value("MaxAgeSeconds") {
                guard let seconds = Int(text.trimmingWhitespace), seconds >= 0 else { throw MagpieError(.malformedXML) }
                rule.maxAgeSeconds = seconds
            }
            for method in rule.allowedMethods where !methods.contains(method) {
                throw MagpieError(.invalidRequest, "Found unsupported HTTP method in CORS config. Unsupported method is \(method)")
            }
            for origin in rule.allowedOrigins where origin.filter({ $0 == "*" }).count > 1 {
                throw MagpieError(.invalidRequest, "AllowedOrigin \"\(origin)\" can not have more than one wildcard.")
            }
            for header in rule.allowedHeaders where header.filter({ $0 == "*" }).count > 1 {
                throw MagpieError(.invalidRequest, "AllowedHeader \"\(header)\" can not have more than one wildcard.")
            }
            for header in rule.exposeHeaders where header.contains("*") {
                throw MagpieError(
                    .invalidRequest, "ExposeHeader \"\(header)\" contains wildcard. We currently do not support wildcard for ExposeHeader.")
            }
            rules.append(rule)
        }
        return CORSConfiguration(rules: rules)
    }

    /// The `<CORSConfiguration>` document GetBucketCors answers with.
    public var xml: XMLWriter {
        var writer = XMLWriter()
        writer.element("CORSConfiguration", namespace: XMLWriter.s3Namespace) { body in
            for rule in rules {
                body.element("CORSRule") { entry in
                    entry.optional("ID", rule.id)
                    for value in rule.allowedHeaders { entry.element("AllowedHeader", value) }
                    for value in rule.allowedMethods { entry.element("AllowedMethod", value) }
                    for value in rule.allowedOrigins { entry.element("AllowedOrigin", value) }
                    for value in rule.exposeHeaders { entry.element("ExposeHeader", value) }
                    entry.optional("MaxAgeSeconds", rule.maxAgeSeconds.map(String.init))
                }
            }
        }
        return writer
    }
}

extension String {
    var trimmingWhitespace: String {
        String(self.drop { $0.isWhitespace }.reversed().drop { $0.isWhitespace }.reversed())
    }
}
