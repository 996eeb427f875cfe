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
# Environment: KEYROTATOR_RELEASE_SCRATCH (default .build-release), KEYROTATOR_OUT (default out/lambda).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
scratch="${KEYROTATOR_RELEASE_SCRATCH:-$root/.build-release}"
out="${KEYROTATOR_OUT:-$root/out/lambda}"

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
