import MagpieCore

import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif

/// A parsed XML element: enough of a tree for S3 request bodies (DeleteObjects, CreateBucketConfiguration, …).
public struct XMLNode: Sendable, Equatable {
    public var name: String
    public var text: String
    public var children: [XMLNode]

    public init(name: String, text: String = "", children: [XMLNode] = []) {
        self.name = name
        self.text = text
        self.children = children
    }

    /// First child with the local name `name`.
    public func child(_ name: String) -> XMLNode? { children.first { $0.name == name } }
    /// All children with the local name `name`.
    public func all(_ name: String) -> [XMLNode] { children.filter { $0.name == name } }
    /// Text of the first child named `name`.
    public func value(_ name: String) -> String? { child(name)?.text }

    /// Parses a request body. Any syntax error, a DTD, or an empty document is `MalformedXML`.
    public static func parse(_ bytes: [UInt8]) throws(MagpieError) -> XMLNode {
        // No DTDs at all: they are never valid in S3 requests and are the door to entity-expansion attacks.
        let malformed = MagpieError(.malformedXML)
        if bytes.isEmpty || containsDTD(bytes) { throw malformed }
        let builder = TreeBuilder()
        let parser = XMLParser(data: Data(bytes))
        parser.shouldProcessNamespaces = true
        parser.shouldResolveExternalEntities = false
        parser.delegate = builder
        guard parser.parse(), !builder.failed, let root = builder.root else { throw malformed }
        return root
    }

    static func containsDTD(_ bytes: [UInt8]) -> Bool {
        let marker = Array("<!DOCTYPE".utf8), entity = Array("<!ENTITY".utf8)
        func contains(_ needle: [UInt8]) -> Bool {
            guard bytes.count >= needle.count else { return false }
            for start in 0...(bytes.count - needle.count) where bytes[start] == needle[0] {
                if bytes[start..<start + needle.count].elementsEqual(needle) { return true }
            }
            return false
        }
        return contains(marker) || contains(entity)
    }
}

/// XMLParser delegate building `XMLNode`s; used only inside `XMLNode.parse`, on one thread.
private final class TreeBuilder: NSObject, XMLParserDelegate {
    var stack: [XMLNode] = []
    var root: XMLNode?
    var failed = false

    func parser(_ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?, attributes: [String: String] = [:]) {
        if root != nil { failed = true }
        stack.append(XMLNode(name: name))
    }

    func parser(_ parser: XMLParser, didEndElement name: String, namespaceURI: String?, qualifiedName: String?) {
        guard var node = stack.popLast() else { failed = true; return }
        if !node.children.isEmpty { node.text = node.text.trimmingCharacters(in: .whitespacesAndNewlines) }
        if stack.isEmpty { root = node } else { stack[stack.count - 1].children.append(node) }
    }

    func parser(_ parser: XMLParser, foundCharacters string: String) {
        guard !stack.isEmpty else { return }
        stack[stack.count - 1].text += string
    }

    func parser(_ parser: XMLParser, foundCDATA data: Data) {
        guard !stack.isEmpty else { return }
        stack[stack.count - 1].text += String(decoding: data, as: UTF8.self)
    }

    func parser(_ parser: XMLParser, parseErrorOccurred parseError: any Error) { failed = true }
}
