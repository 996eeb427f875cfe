/// Why a `FaultProxy` could not start.
public enum FaultProxyError: Error, CustomStringConvertible {
    case unsupportedUpstream(String)
    case cannotBind(reason: String)

    public var description: String {
        switch self {
        case .unsupportedUpstream(let upstream):
            "FaultProxy upstream \(upstream) is not a plain http:// URL such as http://127.0.0.1:5000"
        case .cannotBind(let reason):
            "FaultProxy cannot listen on 127.0.0.1: \(reason)"
        }
    }
}
