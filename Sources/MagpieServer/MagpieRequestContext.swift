import Hummingbird
import NIOCore

/// The request context of Magpie's listener: Hummingbird's core storage plus the peer address, which
/// bucket policies see as `aws:SourceIp`.
struct MagpieRequestContext: RequestContext, RemoteAddressRequestContext {
    var coreContext: CoreRequestContextStorage
    let remoteAddress: SocketAddress?

    init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        remoteAddress = source.channel.remoteAddress
    }
}
