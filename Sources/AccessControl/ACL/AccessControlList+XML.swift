import MagpieCore
import S3Protocol

extension AccessControlList {
    /// The grants of an `<AccessControlPolicy>` document (PutBucketAcl/PutObjectAcl body). The grantee type
    /// is taken from `xsi:type` by clients and from the element present (`ID`, `URI`, `EmailAddress`) here.
    public static func parseGrants(_ bytes: [UInt8]) throws(MagpieError) -> [Grant] {
        let document: XMLNode
        do { document = try XMLNode.parse(bytes) } catch { throw MagpieError(.malformedACL) }
        guard document.name == "AccessControlPolicy", let list = document.child("AccessControlList") else { throw MagpieError(.malformedACL) }
        var grants: [Grant] = []
        for node in list.children {
            guard node.name == "Grant", let granteeNode = node.child("Grantee"), let permissionText = node.value("Permission"),
                let permission = Permission(rawValue: permissionText.trimmingWhitespace)
            else { throw MagpieError(.malformedACL) }
            let grantee: Grantee
            if let id = granteeNode.value("ID") {
                grantee = .user(id.trimmingWhitespace)
            } else if let uri = granteeNode.value("URI") {
                guard groups.contains(uri.trimmingWhitespace) else { throw MagpieError(.malformedACL) }
                grantee = .group(uri.trimmingWhitespace)
            } else if let email = granteeNode.value("EmailAddress") {
                grantee = .email(email.trimmingWhitespace)
            } else {
                throw MagpieError(.malformedACL)
            }
            grants.append(Grant(grantee, permission))
        }
        return grants
    }

    /// The `<AccessControlPolicy>` document Get*Acl answers with; `names` maps canonical ids to display names.
    public func xml(names: [String: String]) -> XMLWriter {
        var writer = XMLWriter()
        let xsi = ("xmlns:xsi", "http://www.w3.org/2001/XMLSchema-instance")
        writer.element("AccessControlPolicy", namespace: XMLWriter.s3Namespace) { body in
            body.element("Owner") { owner in
                owner.element("ID", ownerId)
                owner.optional("DisplayName", names[ownerId])
            }
            body.element("AccessControlList") { list in
                for grant in grants {
                    list.element("Grant") { entry in
                        switch grant.grantee {
                        case .user(let id):
                            entry.element("Grantee", attributes: [xsi, ("xsi:type", "CanonicalUser")]) { grantee in
                                grantee.element("ID", id)
                                grantee.optional("DisplayName", names[id])
                            }
                        case .group(let uri):
                            entry.element("Grantee", attributes: [xsi, ("xsi:type", "Group")]) { $0.element("URI", uri) }
                        case .email(let address):
                            entry.element("Grantee", attributes: [xsi, ("xsi:type", "AmazonCustomerByEmail")]) { $0.element("EmailAddress", address) }
                        }
                        entry.element("Permission", grant.permission.rawValue)
                    }
                }
            }
        }
        return writer
    }
}
