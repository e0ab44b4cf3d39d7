import HTTPTypes
import Hummingbird
import MagpieCore
import MetadataStore
import ObjectService
import S3Protocol

extension S3Handlers {
    func putObjectLockConfiguration(_ call: S3Call) async throws -> Response {
        let document = try XMLNode.parse(try await call.collectBody(limit: configuration.maxXMLBodyBytes))
        guard document.name == "ObjectLockConfiguration", document.value("ObjectLockEnabled") == "Enabled" else { throw MagpieError(.malformedXML) }
        var lock = ObjectLock.Configuration()
        if let retention = document.child("Rule")?.child("DefaultRetention") {
            guard let mode = retention.value("Mode"), ObjectLock.modes.contains(mode) else { throw MagpieError(.malformedXML) }
            let days = retention.value("Days").flatMap { Int($0) }, years = retention.value("Years").flatMap { Int($0) }
            guard (days == nil) != (years == nil), (days ?? years ?? 0) > 0 else {
                throw MagpieError(.invalidArgument, "Default retention period must be a positive integer value in Days or in Years.")
            }
            lock = ObjectLock.Configuration(defaultMode: mode, defaultDays: days, defaultYears: years)
        }
        try await service.setObjectLockConfiguration(try call.address.bucket(), lock, for: call.principal)
        return S3Response.empty()
    }

    func getObjectLockConfiguration(_ call: S3Call) async throws -> Response {
        let lock = try await service.objectLockConfiguration(try call.address.bucket(), for: call.principal)
        var xml = XMLWriter()
        xml.element("ObjectLockConfiguration", namespace: XMLWriter.s3Namespace) { body in
            body.element("ObjectLockEnabled", "Enabled")
            if let mode = lock.defaultMode {
                body.element("Rule") { rule in
                    rule.element("DefaultRetention") { retention in
                        retention.element("Mode", mode)
                        retention.optional("Days", lock.defaultDays.map(String.init))
                        retention.optional("Years", lock.defaultYears.map(String.init))
                    }
                }
            }
        }
        return S3Response.xml(xml)
    }

    func putObjectRetention(_ call: S3Call) async throws -> Response {
        let document = try XMLNode.parse(try await call.collectBody(limit: configuration.maxXMLBodyBytes))
        guard document.name == "Retention" else { throw MagpieError(.malformedXML) }
        var retention: ObjectLock.Retention?
        if let mode = document.value("Mode") {
            guard ObjectLock.modes.contains(mode), let text = document.value("RetainUntilDate"), let until = ISO8601Millis.parse(text) else {
                throw MagpieError(.malformedXML)
            }
            retention = ObjectLock.Retention(mode: mode, until: until)
        }
        let record = try await service.setRetention(
            try call.address.bucket(), try call.address.key(), versionId: call.address.value("versionId"), retention: retention,
            bypassGovernance: Self.bypassGovernance(call), for: call.principal
        )
        return S3Response.empty(headers: Self.versionHeader(record))
    }

    func getObjectRetention(_ call: S3Call) async throws -> Response {
        let record = try await service.headObject(try call.address.bucket(), try call.address.key(), versionId: call.address.value("versionId"), for: call.principal)
        guard let retention = record.retention else { throw MagpieError(.noSuchObjectLockConfiguration) }
        var xml = XMLWriter()
        xml.element("Retention", namespace: XMLWriter.s3Namespace) { body in
            body.element("Mode", retention.mode)
            body.element("RetainUntilDate", HTTPDate.iso8601(epochMillis: retention.until))
        }
        return S3Response.xml(xml, headers: Self.versionHeader(record))
    }

    func putObjectLegalHold(_ call: S3Call) async throws -> Response {
        let document = try XMLNode.parse(try await call.collectBody(limit: configuration.maxXMLBodyBytes))
        guard document.name == "LegalHold", let status = document.value("Status"), status == "ON" || status == "OFF" else {
            throw MagpieError(.malformedXML)
        }
        let record = try await service.setLegalHold(
            try call.address.bucket(), try call.address.key(), versionId: call.address.value("versionId"), on: status == "ON", for: call.principal
        )
        return S3Response.empty(headers: Self.versionHeader(record))
    }

    func getObjectLegalHold(_ call: S3Call) async throws -> Response {
        let record = try await service.headObject(try call.address.bucket(), try call.address.key(), versionId: call.address.value("versionId"), for: call.principal)
        var xml = XMLWriter()
        xml.element("LegalHold", namespace: XMLWriter.s3Namespace) { $0.element("Status", record.legalHold ? "ON" : "OFF") }
        return S3Response.xml(xml, headers: Self.versionHeader(record))
    }

    static func bypassGovernance(_ call: S3Call) -> Bool {
        call.header("x-amz-bypass-governance-retention")?.lowercased() == "true"
    }

    /// `x-amz-object-lock-mode` + `x-amz-object-lock-retain-until-date` and `x-amz-object-lock-legal-hold` on writes.
    static func lockHeaders(_ call: S3Call) throws -> (ObjectLock.Retention?, Bool) {
        var retention: ObjectLock.Retention?
        switch (call.header("x-amz-object-lock-mode"), call.header("x-amz-object-lock-retain-until-date")) {
        case (nil, nil): break
        case (let mode?, let date?):
            guard ObjectLock.modes.contains(mode), let until = ISO8601Millis.parse(date) else {
                throw MagpieError(.invalidArgument, "Unknown wormMode directive or invalid retain until date.")
            }
            retention = ObjectLock.Retention(mode: mode, until: until)
        default:
            throw MagpieError(.invalidArgument, "x-amz-object-lock-retain-until-date and x-amz-object-lock-mode must both be supplied")
        }
        let hold = call.header("x-amz-object-lock-legal-hold")
        guard hold == nil || hold == "ON" || hold == "OFF" else { throw MagpieError(.invalidArgument, "Legal Hold must be either of 'ON' or 'OFF'") }
        return (retention, hold == "ON")
    }
}

/// ISO 8601 timestamps as S3 clients send them (`2030-01-01T00:00:00Z`, with optional fraction).
enum ISO8601Millis {
    /// Object lock dates: `T` or a space between date and time, a fraction of any length (kept to
    /// milliseconds), and the zone `Z` or `+00:00` — nothing else.
    static func parse(_ text: String) -> Int64? {
        guard let stamp = ISO8601Timestamp(text), stamp.second != nil, stamp.separator == "T" || stamp.separator == " ",
            stamp.fraction.map({ !$0.isEmpty }) ?? true
        else { return nil }
        switch stamp.zone {
        case .utc("Z"), .offset(_, "+00:00"): return stamp.epochSeconds * 1000 + stamp.fractionMillis
        default: return nil
        }
    }
}
