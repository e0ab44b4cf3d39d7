import Foundation
import Logging
import MediaJobs
import MetadataStore
import NIOPosix
import Outbound

/// Delivers queued webhook calls: resolves the host, refuses addresses the outbound policy
/// forbids, signs the body and POSTs it; retries failures with exponential backoff.
struct WebhookDeliverer: Sendable {
    let store: any MetadataStore
    let transport: any WebhookTransport
    let configuration: JobsConfiguration
    let logger: Logger
    let bell = Doorbell()

    func enqueue(jobId: String, url: String) async {
        guard let job = try? await store.job(id: jobId), let view = try? JobViews.make(job) else { return }
        let event = ["succeeded": "job.succeeded", "failed": "job.failed", "canceled": "job.canceled"][view.status.rawValue] ?? "job.updated"
        struct Payload: Encodable {
            let type: String
            let job: JobView
        }
        let body = String(decoding: JobExecutor.json(Payload(type: event, job: view)), as: UTF8.self)
        let record = WebhookRecord(id: JobIdentifiers.make(prefix: "wh"), jobId: jobId, url: url, body: body, nextAt: JobWorkerService.nowMillis())
        do {
            try await store.insertWebhook(record)
            bell.ring()
        } catch {
            logger.error("queueing a webhook failed", metadata: ["job": "\(jobId)", "error": "\(error)"])
        }
    }

    func run() async {
        while !Task.isCancelled {
            guard let hook = try? await store.claimWebhook(now: JobWorkerService.nowMillis(), leaseMillis: 120_000) else {
                await bell.wait(upTo: .seconds(1))
                continue
            }
            await deliver(hook)
        }
        await transport.shutdown()
    }

    func deliver(_ hook: WebhookRecord) async {
        let attempts = hook.attempts + 1
        do {
            let url = try WebhookURL.parse(hook.url)
            let address = try await AddressCheck.resolveAllowed(host: url.host, allowPrivate: configuration.webhookAllowPrivate)
            let body = Array(hook.body.utf8)
            let timestamp = Int64(Date().timeIntervalSince1970)
            let signature = WebhookSignature.sign(
                body: body, secret: WebhookSignature.secret(serverKey: configuration.signingKey, url: hook.url), timestamp: timestamp)
            let headers = [
                ("Content-Type", "application/json"), (WebhookSignature.header, signature), ("User-Agent", "Magpie-Webhook/1"),
                ("Magpie-Delivery", hook.id),
            ]
            let status = try await transport.post(
                url: url, connectTo: address, body: body, headers: headers, timeout: .seconds(Int64(configuration.webhookTimeoutSeconds)))
            guard (200..<300).contains(status) else { throw WebhookFailure(message: "HTTP \(status)", permanent: false) }
            try? await store.finishWebhook(id: hook.id, status: "delivered", attempts: attempts, nextAt: JobWorkerService.nowMillis(), lastError: nil)
            logger.info("webhook delivered", metadata: ["job": "\(hook.jobId)", "attempts": "\(attempts)"])
        } catch {
            let failure =
                error as? WebhookFailure
                ?? WebhookFailure(message: error is JobError ? "\(error)" : "connection failed", permanent: error is JobError)
            let giveUp = failure.permanent || attempts >= configuration.webhookMaxAttempts
            let delay = RetryPolicy(maxAttempts: configuration.webhookMaxAttempts, baseDelaySeconds: 2, maxDelaySeconds: 600).delay(
                afterAttempt: attempts)
            try? await store.finishWebhook(
                id: hook.id, status: giveUp ? "failed" : "pending", attempts: attempts,
                nextAt: JobWorkerService.nowMillis() + Int64(delay * 1000), lastError: failure.message)
            logger.warning(
                "webhook delivery failed",
                metadata: ["job": "\(hook.jobId)", "attempts": "\(attempts)", "error": "\(failure.message)", "gave_up": "\(giveUp)"])
        }
    }
}

struct WebhookFailure: Error {
    let message: String
    let permanent: Bool
}

/// Name resolution plus the outbound address policy (`Outbound.AddressPolicy`, shared with image sources).
enum AddressCheck {
    /// The first resolved address, when every resolved address is allowed.
    static func resolveAllowed(host: String, allowPrivate: Bool) async throws -> String {
        let addresses = try await resolve(host)
        guard !addresses.isEmpty else { throw WebhookFailure(message: "the webhook host does not resolve", permanent: false) }
        let policy = AddressPolicy(allowPrivate: allowPrivate)
        for (bytes, _) in addresses where !(IPAddress(bytes: bytes).map(policy.allows) ?? false) {
            throw WebhookFailure(message: "the webhook host resolves to a private or reserved address, which is not allowed", permanent: true)
        }
        return addresses[0].1
    }

    /// getaddrinfo blocks: it runs on the NIO thread pool, never on the cooperative executor.
    static func resolve(_ host: String) async throws -> [([UInt8], String)] {
        try await NIOThreadPool.singleton.runIfActive { resolveBlocking(host) }
    }

    static func resolveBlocking(_ host: String) -> [([UInt8], String)] {
        var hints = addrinfo()
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        var result: UnsafeMutablePointer<addrinfo>?
        guard getaddrinfo(host, nil, &hints, &result) == 0, let first = result else { return [] }
        defer { freeaddrinfo(first) }
        var out: [([UInt8], String)] = []
        var cursor: UnsafeMutablePointer<addrinfo>? = first
        while let entry = cursor {
            if let address = entry.pointee.ai_addr {
                var text = [CChar](repeating: 0, count: Int(INET6_ADDRSTRLEN))
                if entry.pointee.ai_family == AF_INET {
                    var v4 = address.withMemoryRebound(to: sockaddr_in.self, capacity: 1) { $0.pointee.sin_addr }
                    let bytes = withUnsafeBytes(of: &v4) { Array($0) }
                    inet_ntop(AF_INET, &v4, &text, socklen_t(text.count))
                    out.append((bytes, String(decoding: text.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)))
                } else if entry.pointee.ai_family == AF_INET6 {
                    var v6 = address.withMemoryRebound(to: sockaddr_in6.self, capacity: 1) { $0.pointee.sin6_addr }
                    let bytes = withUnsafeBytes(of: &v6) { Array($0) }
                    inet_ntop(AF_INET6, &v6, &text, socklen_t(text.count))
                    out.append((bytes, String(decoding: text.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)))
                }
            }
            cursor = entry.pointee.ai_next
        }
        return out
    }
}
