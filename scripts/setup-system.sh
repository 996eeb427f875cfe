#!/usr/bin/env bash
# Installs the Debian packages the build and the artifact check need, when missing:
# zlib's static library (linked into the Lambda binary), unzip and binutils (readelf, objdump),
# openssl (the tests make a throw-away CA for an HTTPS origin).
set -euo pipefail
missing=()
dpkg -s zlib1g-dev >/dev/null 2>&1 || missing+=(zlib1g-dev)
command -v unzip >/dev/null 2>&1 || missing+=(unzip)
command -v readelf >/dev/null 2>&1 || missing+=(binutils)
command -v openssl >/dev/null 2>&1 || missing+=(openssl)
[ ${#missing[@]} -eq 0 ] && exit 0
if [ "$(id -u)" -ne 0 ]; then
  echo "setup-system: please install: ${missing[*]} (e.g. sudo apt-get install ${missing[*]})" >&2
  exit 1
fi
echo "setup-system: installing ${missing[*]}" >&2
apt-get update -qq
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
