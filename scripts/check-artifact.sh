#!/usr/bin/env bash
# Verifies a Lambda zip (default out/lambda/bootstrap.zip) for provided.al2023 and fails loudly,
# saying what is wrong:
# - `bootstrap` at the root of the zip, executable, an ELF for the build's architecture;
# - dynamic dependencies only glibc's libraries, libstdc++.so.6 and libgcc_s.so.1;
# - no symbol version above GLIBC_2.34, GLIBCXX_3.4.29 or CXXABI_1.3.13 (AL2023's glibc and gcc 11);
# - the zip under KEYROTATOR_MAX_ZIP_BYTES (default 15 MB).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
zip="${1:-$root/out/lambda/bootstrap.zip}"
max_bytes="${KEYROTATOR_MAX_ZIP_BYTES:-15000000}"
max_glibc="2.34"; max_glibcxx="3.4.29"; max_cxxabi="1.3.13"
allowed_libs="libc.so.6 libm.so.6 libdl.so.2 libpthread.so.0 librt.so.1 libutil.so.1 libresolv.so.2
ld-linux-x86-64.so.2 ld-linux-aarch64.so.1 libstdc++.so.6 libgcc_s.so.1"

failures=()
fail() { failures+=("$1"); }

[ -f "$zip" ] || { echo "check-artifact: FAIL: no artifact at $zip (run scripts/package-lambda.sh)" >&2; exit 1; }
work="$(mktemp -d)"; trap 'rm -rf "$work"' EXIT

listing="$(unzip -Z1 "$zip")"
[ "$listing" = "bootstrap" ] || fail "the zip must hold exactly 'bootstrap' at its root; it holds: $(echo "$listing" | tr '\n' ' ')"
unzip -q "$zip" bootstrap -d "$work" 2>/dev/null || true
bin="$work/bootstrap"
if [ ! -f "$bin" ]; then
  printf 'check-artifact: FAIL: %s\n' "${failures[@]}" "no bootstrap in $zip" >&2; exit 1
fi
mode="$(unzip -Z "$zip" bootstrap | awk '{print $1}')"
[[ "$mode" == -rwx* ]] || fail "bootstrap is not executable in the zip (mode $mode): Lambda cannot start it"

arch="$(uname -m)"
case "$arch" in x86_64) elf_machine="X86-64" ;; aarch64) elf_machine="AArch64" ;; *) elf_machine="" ;; esac
header="$(readelf -h "$bin" 2>&1)" || fail "bootstrap is not an ELF file: $header"
[ -z "$elf_machine" ] || grep -q "Machine:.*$elf_machine" <<<"$header" || fail "bootstrap is not a $arch ELF"

# Version comparison: is $1 <= $2 (dotted numbers)?
version_le() { [ "$(printf '%s\n%s\n' "$1" "$2" | sort -V | head -n1)" = "$1" ]; }

needed="$(readelf -d "$bin" | sed -n 's/.*(NEEDED).*\[\(.*\)\]/\1/p')"
for lib in $needed; do
  grep -qxF "$lib" <<<"$(tr ' ' '\n' <<<"$allowed_libs")" \
    || fail "bootstrap needs $lib, which provided.al2023 does not have: link it statically or drop the dependency"
done

# Every symbol version the binary requires (.gnu.version_r), e.g. GLIBC_2.34, GLIBCXX_3.4.29.
versions="$(readelf -V "$bin" | sed -n 's/.*Name: \([A-Z_]*_[0-9.]*\).*/\1/p' | sort -u)"
highest() { grep "^$1_" <<<"$versions" | sed "s/^$1_//" | sort -V | tail -n1; }
check_family() {
  local family="$1" limit="$2" top
  top="$(highest "$family")"
  [ -z "$top" ] && return 0
  if ! version_le "$top" "$limit"; then
    local symbols
    symbols="$(objdump -T "$bin" | awk -v fam="$family" '{for (i=1;i<=NF;i++) if ($i ~ "^\\(?"fam"_") print $i, $NF}' \
      | tr -d '()' | while read -r version symbol; do
          version_le "${version#"${family}_"}" "$limit" || echo "$symbol@$version"
        done | sort -u | tr '\n' ' ')"
    fail "bootstrap requires ${family}_$top, above provided.al2023's ${family}_$limit; symbols: $symbols"
  fi
}
check_family GLIBC "$max_glibc"
check_family GLIBCXX "$max_glibcxx"
check_family CXXABI "$max_cxxabi"

zip_bytes="$(stat -c %s "$zip")"
bin_bytes="$(stat -c %s "$bin")"
[ "$zip_bytes" -le "$max_bytes" ] || fail "the zip is $zip_bytes bytes, above the $max_bytes-byte budget"

echo "check-artifact: $zip"
echo "  zip size:        $zip_bytes bytes ($(awk -v b="$zip_bytes" 'BEGIN{printf "%.1f MB", b/1e6}'))"
echo "  bootstrap size:  $bin_bytes bytes ($(awk -v b="$bin_bytes" 'BEGIN{printf "%.1f MB", b/1e6}'))"
echo "  needed:          $(echo $needed)"
echo "  highest GLIBC:   $(highest GLIBC) (max $max_glibc)"
echo "  highest GLIBCXX: $(highest GLIBCXX) (max $max_glibcxx)"
echo "  highest CXXABI:  $(highest CXXABI) (max $max_cxxabi)"
if [ "${#failures[@]}" -gt 0 ]; then
  printf 'check-artifact: FAIL: %s\n' "${failures[@]}" >&2
  exit 1
fi
echo "check-artifact: OK"
