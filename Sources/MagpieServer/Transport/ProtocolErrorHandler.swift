import HTTPTypes
import MagpieCore
import NIOCore
import NIOHTTP1
import NIOHTTPTypes
import S3Protocol

/// Turns HTTP parse failures (oversized header sections, garbage request lines) into S3 error XML
/// with `Connection: close`, instead of the bare 400 the framework would send. The connection cannot
/// be reused after a parse error, so it is closed once the answer is written.
final class ProtocolErrorHandler: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPRequestPart
    typealias OutboundOut = HTTPResponsePart

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        guard let parseError = error as? HTTPParserError else {
            context.fireErrorCaught(error)
            return
        }
        let code: MagpieError.Code = parseError == .headerOverflow ? .requestHeaderSectionTooLarge : .invalidRequest
        let requestId = String(UInt64.random(in: 0...UInt64.max), radix: 16, uppercase: true)
        var xml = XMLWriter()
        xml.element("Error") { body in
            body.element("Code", code.rawValue)
            body.element("Message", S3ErrorTable.entry(for: code).message)
            body.element("RequestId", requestId)
        }
        let bytes = ByteBuffer(string: xml.output)
        var head = HTTPResponse(status: .badRequest)
        head.headerFields[.contentType] = "application/xml"
        head.headerFields[.contentLength] = String(bytes.readableBytes)
        head.headerFields[.connection] = "close"
        head.headerFields[HTTPField.Name("x-amz-request-id")!] = requestId
        context.write(wrapOutboundOut(.head(head)), promise: nil)
        context.write(wrapOutboundOut(.body(bytes)), promise: nil)
        context.writeAndFlush(wrapOutboundOut(.end(nil))).whenComplete { _ in context.close(promise: nil) }
    }
}
