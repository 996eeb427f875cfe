@_exported import AWSCore
