import AccessControl
import S3Protocol
import MagpieCore
import Testing

@Suite struct CORSTests {
    static let document = """
        <CORSConfiguration xmlns="http://s3.amazonaws.com/doc/2006-03-01/">
          <CORSRule><ID>uploads</ID><AllowedOrigin>http://*.example.com</AllowedOrigin><AllowedMethod>PUT</AllowedMethod>
            <AllowedMethod>POST</AllowedMethod><AllowedHeader>content-*</AllowedHeader><AllowedHeader>x-amz-*</AllowedHeader>
            <ExposeHeader>ETag</ExposeHeader><MaxAgeSeconds>3000</MaxAgeSeconds></CORSRule>
          <CORSRule><AllowedOrigin>*</AllowedOrigin><AllowedMethod>GET</AllowedMethod><AllowedMethod>HEAD</AllowedMethod></CORSRule>
        </CORSConfiguration>
        """

    static func configuration() throws -> CORSConfiguration { try CORSConfiguration.parse(Array(document.utf8)) }

    @Test func parsesAWSRuleModel() throws {
        let config = try Self.configuration()
        #expect(config.rules.count == 2)
        #expect(config.rules[0] == CORSConfiguration.Rule(
            id: "uploads", allowedOrigins: ["http://*.example.com"], allowedMethods: ["PUT", "POST"], allowedHeaders: ["content-*", "x-amz-*"],
            exposeHeaders: ["ETag"], maxAgeSeconds: 3000))
        // What GetBucketCors writes parses back to the same configuration.
        #expect(try CORSConfiguration.parse(Array(config.xml.output.utf8)) == config)
    }

    struct Preflight: Sendable {
        let origin: String, method: String, headers: [String]
        let allowOrigin: String?
    }

    static let preflights: [Preflight] = [
        Preflight(origin: "http://app.example.com", method: "PUT", headers: ["Content-Type", "x-amz-date"], allowOrigin: "http://app.example.com"),
        Preflight(origin: "http://app.example.com", method: "PUT", headers: ["authorization"], allowOrigin: nil),
        Preflight(origin: "http://app.example.com", method: "DELETE", headers: [], allowOrigin: nil),
        Preflight(origin: "http://evil.org", method: "PUT", headers: [], allowOrigin: nil),
        Preflight(origin: "http://evil.org", method: "GET", headers: [], allowOrigin: "*"),
        Preflight(origin: "http://app.example.com", method: "GET", headers: ["range"], allowOrigin: nil),
        Preflight(origin: "http://app.example.com", method: "put", headers: [], allowOrigin: nil),
    ]

    @Test(arguments: preflights)
    func firstMatchingRuleAnswers(_ preflight: Preflight) throws {
        let match = try Self.configuration().preflight(origin: preflight.origin, method: preflight.method, requestHeaders: preflight.headers)
        #expect(match?.allowOrigin == preflight.allowOrigin)
        if let match, preflight.allowOrigin != "*" {
            #expect(match.allowCredentials)
            #expect(match.allowHeaders == preflight.headers.map { $0.lowercased() })
            #expect(match.exposeHeaders == ["ETag"])
            #expect(match.maxAgeSeconds == 3000)
        }
    }

    @Test func actualRequestsMatchOnOriginAndMethod() throws {
        let config = try Self.configuration()
        #expect(config.actual(origin: "http://a.example.com", method: "POST")?.allowMethods == ["PUT", "POST"])
        #expect(config.actual(origin: "http://a.example.com", method: "GET")?.allowOrigin == "*")
        #expect(config.actual(origin: "http://a.example.com", method: "DELETE") == nil)
    }

    static let invalid: [(String, MagpieError.Code)] = [
        ("<CORSConfiguration/>", .malformedXML),
        ("<CORSConfiguration><CORSRule><AllowedMethod>GET</AllowedMethod></CORSRule></CORSConfiguration>", .malformedXML),
        ("<CORSConfiguration><CORSRule><AllowedOrigin>*</AllowedOrigin></CORSRule></CORSConfiguration>", .malformedXML),
        ("<CORSConfiguration><CORSRule><AllowedOrigin>*</AllowedOrigin><AllowedMethod>PATCH</AllowedMethod></CORSRule></CORSConfiguration>", .invalidRequest),
        ("<CORSConfiguration><CORSRule><AllowedOrigin>*.*</AllowedOrigin><AllowedMethod>GET</AllowedMethod></CORSRule></CORSConfiguration>", .invalidRequest),
        ("<CORSConfiguration><CORSRule><AllowedOrigin>*</AllowedOrigin><AllowedMethod>GET</AllowedMethod><AllowedHeader>**</AllowedHeader></CORSRule></CORSConfiguration>", .invalidRequest),
        ("<CORSConfiguration><CORSRule><AllowedOrigin>*</AllowedOrigin><AllowedMethod>GET</AllowedMethod><ExposeHeader>*</ExposeHeader></CORSRule></CORSConfiguration>", .invalidRequest),
        ("<CORSConfiguration><CORSRule><AllowedOrigin>*</AllowedOrigin><AllowedMethod>GET</AllowedMethod><MaxAgeSeconds>soon</MaxAgeSeconds></CORSRule></CORSConfiguration>", .malformedXML),
        ("<CORSConfiguration><CORSRule><AllowedOrigin>*</AllowedOrigin><AllowedMethod>GET</AllowedMethod><Bogus/></CORSRule></CORSConfiguration>", .malformedXML),
        ("<Other/>", .malformedXML),
        ("<CORSConfiguration><CORSRule>", .malformedXML),
    ]

    @Test(arguments: invalid)
    func refusesInvalidConfigurations(_ text: String, _ code: MagpieError.Code) {
        do {
            _ = try CORSConfiguration.parse(Array(text.utf8))
            Issue.record("accepted \(text)")
        } catch {
            #expect(error.code == code)
        }
    }

    @Test func atMostHundredRules() {
        let rule = "<CORSRule><AllowedOrigin>*</AllowedOrigin><AllowedMethod>GET</AllowedMethod></CORSRule>"
        let text = "<CORSConfiguration>" + String(repeating: rule, count: 101) + "</CORSConfiguration>"
        #expect(throws: MagpieError.self) { try CORSConfiguration.parse(Array(text.utf8)) }
    }
}
