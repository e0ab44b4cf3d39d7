import AccessControl
import Foundation
import HTTPTypes
import Hummingbird
import MagpieCore
import MetadataStore
import NIOCore
import ObjectService

/// The condition keys a request offers to bucket policies (`aws:SourceIp`, `aws:SecureTransport`, `s3:prefix`,
/// `s3:x-amz-acl`, …), keyed by lowercased name.
enum S3AccessContext {
    /// Request headers exposed as `s3:<header>` condition keys.
    static let headerKeys = [
        "x-amz-acl", "x-amz-grant-read", "x-amz-grant-write", "x-amz-grant-read-acp", "x-amz-grant-write-acp", "x-amz-grant-full-control",
        "x-amz-copy-source", "x-amz-metadata-directive", "x-amz-server-side-encryption", "x-amz-server-side-encryption-aws-kms-key-id",
        "x-amz-server-side-encryption-customer-algorithm", "x-amz-storage-class", "x-amz-website-redirect-location", "x-amz-content-sha256",
        "x-amz-object-ownership", "x-amz-checksum-algorithm", "if-match", "if-none-match",
    ]

    static func make(
        headers: (String) -> String?, address: S3Address, principal: Principal, authType: String?, signatureVersion: String?,
        remote: SocketAddress?, now: Date = Date()
    ) -> [String: [String]] {
        var context: [String: [String]] = [
            // Magpie serves plain HTTP on its listener; TLS, where used, ends in front of it.
            "aws:securetransport": ["false"],
            "aws:currenttime": [HTTPDate.iso8601(epochMillis: Int64(now.timeIntervalSince1970 * 1000))],
            "aws:epochtime": [String(Int64(now.timeIntervalSince1970))],
        ]
        if let ip = remote?.ipAddress { context["aws:sourceip"] = [ip] }
        if let agent = headers("user-agent") { context["aws:useragent"] = [agent] }
        if let referer = headers("referer") { context["aws:referer"] = [referer] }
        if let user = principal.user {
            context["aws:username"] = [user.name]
            context["aws:userid"] = [user.canonicalId]
            context["aws:principaltype"] = [user.isRoot ? "Account" : "User"]
            if let arn = principal.identity.arn { context["aws:principalarn"] = [arn] }
        } else {
            context["aws:principaltype"] = ["Anonymous"]
        }
        if let authType { context["s3:authtype"] = [authType] }
        if let signatureVersion { context["s3:signatureversion"] = [signatureVersion] }
        for name in headerKeys {
            if let value = headers(name) { context["s3:" + name] = [value] }
        }
        if let mode = headers("x-amz-object-lock-mode") { context["s3:object-lock-mode"] = [mode] }
        if let until = headers("x-amz-object-lock-retain-until-date") { context["s3:object-lock-retain-until-date"] = [until] }
        if let hold = headers("x-amz-object-lock-legal-hold") { context["s3:object-lock-legal-hold"] = [hold] }
        if let tagging = headers("x-amz-tagging") {
            var keys: [String] = []
            for item in tagging.split(separator: "&") {
                let pair = item.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
                guard let key = try? PercentDecoding.decode(pair[0], plusAsSpace: true) else { continue }
                let value = pair.count > 1 ? (try? PercentDecoding.decode(pair[1], plusAsSpace: true)) ?? "" : ""
                keys.append(key)
                context["s3:requestobjecttag/" + key.lowercased()] = [value]
            }
            context["s3:requestobjecttagkeys"] = keys
        }
        if let versionId = address.value("versionId") { context["s3:versionid"] = [versionId] }
        if address.keyName == nil {
            // ListObjects and friends: S3 offers an absent prefix as the empty string.
            context["s3:prefix"] = [address.value("prefix") ?? ""]
            if let delimiter = address.value("delimiter") { context["s3:delimiter"] = [delimiter] }
            if let maxKeys = address.value("max-keys") { context["s3:max-keys"] = [maxKeys] }
        }
        return context
    }
}
