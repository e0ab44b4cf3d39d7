import AccessControl
import MagpieCore
import ObjectService
import S3Protocol

/// The ACL a request's headers ask for: `x-amz-acl` (canned) or `x-amz-grant-*` (never both).
enum ACLHeaders {
    static func hasGrantHeaders(_ header: (String) -> String?) -> Bool {
        AccessControlList.grantHeaders.contains { header($0.header) != nil }
    }

    static func input(_ header: (String) -> String?) throws -> ACLInput? {
        let grants = AccessControlList.grantHeaders.compactMap { entry in header(entry.header).map { (entry.permission, $0) } }
        if let canned = header("x-amz-acl") {
            guard grants.isEmpty else { throw MagpieError(.invalidRequest, "Specifying both Canned ACLs and Header Grants is not allowed") }
            guard AccessControlList.cannedNames.contains(canned) else {
                throw MagpieError(.invalidArgument, details: [("ArgumentName", "x-amz-acl"), ("ArgumentValue", canned)])
            }
            return .canned(canned)
        }
        return grants.isEmpty ? nil : .grants(try AccessControlList.headerGrants(grants))
    }
}
