import Foundation
import HTTPTypes
import Hummingbird
import MagpieCore
import MediaJobs
import MediaWorkers
import NIOCore
import ObjectService
import S3Protocol

/// `/-/api/v1/jobs…` and `/-/api/v1/buckets/{bucket}/rules`: JSON in and out, SigV4-authenticated
/// with Magpie access keys exactly like the admin API.
struct JobsAPI: Sendable {
    let jobs: JobsService

    func handle(_ request: Request, path: String, address: S3Address, auth: RequestAuthenticator.Outcome, body: [UInt8], requestId: String)
        async throws -> Response
    {
        let parts = try path.split(separator: "/", omittingEmptySubsequences: true).map { try PercentDecoding.decode($0, plusAsSpace: false) }
        // ["-", "api", "v1", …]
        guard parts.count >= 4, parts[2] == "v1" else { throw MagpieError(.invalidURI, "No such endpoint.") }
        let principal = auth.principal
        do {
            let route = Array(parts.dropFirst(3))
            let id = route.count > 1 ? route[1] : ""
            switch (request.method, route.count, route.first ?? "", route.count > 2 ? route[2] : "") {
            case (.post, 1, "jobs", _):
                let spec = try JobSpec.decode(body)
                return try AdminAPI.json(try await jobs.submit(spec, by: principal), status: .accepted)
            case (.get, 1, "jobs", _):
                let status = try address.value("status").map { text -> JobStatus in
                    guard let status = JobStatus(rawValue: text) else {
                        throw JobError.invalidSpec("status is one of \(JobStatus.allCases.map(\.rawValue).joined(separator: ", ")).")
                    }
                    return status
                }
                let limit = try address.value("limit").map { text -> Int in
                    guard let value = Int(text), (1...1000).contains(value) else { throw JobError.invalidSpec("limit is 1…1000.") }
                    return value
                }
                struct Listing: Encodable { let jobs: [JobView] }
                return try AdminAPI.json(Listing(jobs: try await jobs.list(for: principal, status: status, limit: limit ?? 100)))
            case (.get, 2, "jobs", _):
                return try AdminAPI.json(try await jobs.job(id, for: principal))
            case (.post, 3, "jobs", "cancel"):
                return try AdminAPI.json(try await jobs.cancel(id, for: principal))
            case (.get, 3, "jobs", "events"):
                _ = try await jobs.job(id, for: principal)
                return JobEvents(store: jobs.store).response(jobId: id)
            case (.put, 3, "buckets", "rules"):
                let bucket = id
                let rules = try RuleSet.decode(body, bucket: bucket)
                try await jobs.setRules(rules, bucket: bucket, for: principal)
                return try AdminAPI.json(rules)
            case (.get, 3, "buckets", "rules"):
                let bucket = id
                guard let rules = try await jobs.rules(bucket: bucket, for: principal) else {
                    throw JobError(.noSuchRules, "The bucket has no processing rules.")
                }
                return try AdminAPI.json(rules)
            case (.delete, 3, "buckets", "rules"):
                let bucket = id
                guard try await jobs.deleteRules(bucket: bucket, for: principal) else {
                    throw JobError(.noSuchRules, "The bucket has no processing rules.")
                }
                return Response(status: .noContent)
            default:
                throw MagpieError(.invalidURI, "No such endpoint.")
            }
        } catch let error as JobError {
            return Self.errorResponse(error, requestId: requestId)
        }
    }

    /// The body, at most 256 KiB.
    static func bytes(_ body: CountingBody<RequestBody>) async throws -> [UInt8] {
        var bytes: [UInt8] = []
        for try await chunk in body {
            bytes += chunk.readableBytesView
            if bytes.count > 256 * 1024 { throw MagpieError(.entityTooLarge, "A job API request body is at most 256 KiB.") }
        }
        return bytes
    }

    /// The job error table: code → HTTP status.
    static func status(for code: JobError.Code) -> HTTPResponse.Status {
        switch code {
        case .invalidSpec: .badRequest
        case .sourceNotFound, .noSuchJob, .noSuchRules: .notFound
        default: .internalServerError
        }
    }

    static func errorResponse(_ error: JobError, requestId: String) -> Response {
        let body = AdminAPI.ErrorJSON(code: error.code.rawValue, message: error.message, requestId: requestId)
        return (try? AdminAPI.json(body, status: status(for: error.code))) ?? Response(status: .internalServerError)
    }
}

extension JobError.Code {
    static let noSuchRules = Self("NoSuchProcessingRules")
}
