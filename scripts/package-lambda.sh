#!/usr/bin/env bash
# Builds the release `bootstrap` for Lambda's provided.al2023 runtime and zips it:
#   out/lambda/bootstrap      the stripped executable
#   out/lambda/bootstrap.zip  `bootstrap` at the root of the zip, mode 0755 (what Lambda runs)
# then verifies the artifact with scripts/check-artifact.sh.
#
# Portability to provided.al2023 (glibc 2.34, gcc 11's libstdc++/libgcc_s):
# - --static-swift-stdlib links the Swift runtime, Foundation(Essentials), Dispatch and every package
#   statically; what stays dynamic is glibc, libstdc++.so.6 and libgcc_s.so.1, which AL2023 has.
# - hypot/hypotf: glibc 2.35 gave them a new default symbol version; the CGlibcCompat target pins them
#   to the base version (see Sources/CGlibcCompat/glibc_compat.c).
# - libgcc stays dynamic (no -static-libgcc): the static unwinder of a gcc built for glibc >= 2.35
#   calls _dl_find_object@GLIBC_2.35; libgcc_s.so.1 from the runtime's own gcc resolves it instead.
# - zlib: AsyncHTTPClient's response decompression (swift-nio-extras) links `-lz`; provided.al2023
#   promises no libz.so.1. A search directory holding only libz.a, given to the linker first, makes
#   that `-lz` resolve to the static archive (needs Debian's zlib1g-dev).
# When the zip checks out, prints the `sam deploy` command that deploys it with deploy/template.yaml.
#
# Usage: package-lambda.sh [--arch x86_64|arm64] [--print-deploy-command] [--help]
#   --arch (or ARCH=...)     the Lambda architecture; only this machine's own (x86_64 here) can be
#                            built: there is no Swift SDK for cross-compiling to another one.
#   --print-deploy-command   print the deploy command for an existing zip, build nothing.
# Environment: KEYROTATOR_RELEASE_SCRATCH (default .build-release), KEYROTATOR_OUT (default out/lambda).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
scratch="${KEYROTATOR_RELEASE_SCRATCH:-$root/.build-release}"
out="${KEYROTATOR_OUT:-$root/out/lambda}"
arch="${ARCH:-}"
print_only=false

usage() { sed -n '2,/^set -euo/p' "${BASH_SOURCE[0]}" | sed '$d; s/^# \{0,1\}//'; }
while [ $# -gt 0 ]; do
  case "$1" in
    --arch) [ $# -ge 2 ] || { echo "package-lambda: --arch needs a value: x86_64 or arm64" >&2; exit 2; }; arch="$2"; shift 2 ;;
    --arch=*) arch="${1#--arch=}"; shift ;;
    --print-deploy-command) print_only=true; shift ;;
    -h|--help) usage; exit 0 ;;
    *) echo "package-lambda: unknown argument '$1' (see --help)" >&2; exit 2 ;;
  esac
done

host="$(uname -m)"
case "$host" in x86_64|amd64) host=x86_64 ;; aarch64|arm64) host=arm64 ;; esac
case "${arch:-$host}" in
  x86_64|amd64) arch=x86_64 ;;
  arm64|aarch64) arch=arm64 ;;
  *) echo "package-lambda: unknown architecture '$arch': Lambda runs x86_64 or arm64" >&2; exit 2 ;;
esac
if [ "$arch" != "$host" ]; then
  # No Swift SDK (swift sdk list) for another architecture is installed here: swift build would
  # fail deep in the toolchain, or link a binary for the wrong machine.
  cat >&2 <<EOF
package-lambda: cannot build $arch on this machine: it is $host and has no Swift SDK for $arch Linux
('swift sdk list' shows none), so there is no $arch cross-compiler here. Nothing was built.
Either build for $host (deploy/template.yaml deploys Architectures: [x86_64]), or run this script
on an $arch Linux host with Swift 6.3 and set the functions' Architectures to [$arch] in the template.
EOF
  exit 3
fi

# The command that deploys the zip, and how the template finds it.
deploy_command() {
  local expected="$root/out/lambda/bootstrap.zip"
  echo "package-lambda: deploy it with the AWS SAM CLI, from $root:"
  echo "  sam deploy --guided --template-file deploy/template.yaml --capabilities CAPABILITY_IAM"
  echo "  (later runs: sam deploy, with the answers --guided saved in samconfig.toml; or give --resolve-s3"
  echo "   or --s3-bucket BUCKET, --stack-name NAME and --parameter-overrides yourself)"
  echo "The template's CodeUri (Globals > Function > CodeUri: ../out/lambda/bootstrap.zip) is relative to"
  echo "deploy/, so it names $expected; sam deploy uploads that zip to S3 as it is and points"
  echo "every function at the copy."
  if [ "$(realpath -m "$out/bootstrap.zip")" != "$(realpath -m "$expected")" ]; then
    echo "package-lambda: note: this zip is $out/bootstrap.zip (KEYROTATOR_OUT), not the one CodeUri names:" \
         "copy it to $expected before deploying." >&2
  fi
}

if $print_only; then
  deploy_command
  exit 0
fi

cd "$root"
static_libs="$scratch/static-libs"
libz_a="$(cc -print-file-name=libz.a 2>/dev/null || true)"
if [ ! -f "$libz_a" ]; then
  echo "package-lambda: no libz.a: install zlib's static library (Debian: apt-get install zlib1g-dev)" >&2
  exit 1
fi
mkdir -p "$static_libs"
ln -sf "$libz_a" "$static_libs/libz.a"
flags=(-c release --static-swift-stdlib --scratch-path "$scratch" -Xlinker "-L$static_libs")
swift build "${flags[@]}" --product bootstrap
bin="$(swift build "${flags[@]}" --show-bin-path)/bootstrap"

mkdir -p "$out"
rm -f "$out/bootstrap" "$out/bootstrap.zip"
# Symbols are dropped: they are most of the file and Lambda's logs do not symbolicate.
strip --strip-all -o "$out/bootstrap" "$bin"
chmod 0755 "$out/bootstrap"
# Python's zipfile: fixed timestamps (a reproducible zip) and the Unix mode Lambda needs.
python3 - "$out/bootstrap" "$out/bootstrap.zip" <<'PY'
import sys, zipfile
source, target = sys.argv[1], sys.argv[2]
info = zipfile.ZipInfo("bootstrap", date_time=(1980, 1, 1, 0, 0, 0))
info.create_system = 3
info.external_attr = (0o100755 & 0xFFFF) << 16
info.compress_type = zipfile.ZIP_DEFLATED
with open(source, "rb") as f, zipfile.ZipFile(target, "w") as z:
    z.writestr(info, f.read(), compresslevel=9)
PY
echo "package-lambda: wrote $out/bootstrap.zip ($(stat -c %s "$out/bootstrap.zip") bytes)"
"$root/scripts/check-artifact.sh" "$out/bootstrap.zip"
deploy_command
