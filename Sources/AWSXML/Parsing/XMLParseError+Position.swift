extension XMLParseError {
    static func at(_ reason: Reason, offset: Int, in bytes: [UInt8]) -> XMLParseError {
        let (line, column) = position(of: offset, in: bytes)
        return XMLParseError(reason: reason, line: line, column: column, offset: offset)
    }

    /// The 1-based line and column (in scalars) of a byte offset; CR LF, CR and LF end lines.
    static func position(of offset: Int, in bytes: [UInt8]) -> (line: Int, column: Int) {
        var line = 1
        var column = 1
        var position = 0
        let end = min(offset, bytes.count)
        while position < end {
            let byte = bytes[position]
            if byte == 0x0A || (byte == 0x0D && (position + 1 >= bytes.count || bytes[position + 1] != 0x0A)) {
                line += 1
                column = 1
            } else if byte & 0xC0 != 0x80, byte != 0x0D {
                column += 1
            }
            position += 1
        }
        return (line, column)
    }
}
