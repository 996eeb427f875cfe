// Keeps the `bootstrap` binary loadable on Lambda's provided.al2023 (glibc 2.34) when it is built
// against a newer glibc.
//
// glibc 2.35 added new `hypot` and `hypotf` implementations under the symbol version GLIBC_2.35 and
// kept the old ones under the base version. The Swift Glibc overlay and Foundation (linked statically
// with --static-swift-stdlib) reference plain `hypot`/`hypotf`, which the linker binds to the newest
// version of the build host's libm: the binary then refuses to load on glibc 2.34 ("version
// `GLIBC_2.35' not found").
//
// A definition in an object file linked into the executable wins over a shared library's, so every
// unversioned reference in the static archives resolves to the definitions below. They call libm's
// base-version symbols through `.symver` aliases, which exist in every glibc from 2.2.5 (x86_64) /
// 2.17 (aarch64) on: the result is the same libm implementation AL2023 itself exports as default.
// On a host with glibc < 2.35 nothing is needed and nothing is defined.
//
// The other glibc 2.35 symbol such a build can pick up, `_dl_find_object`, comes from linking libgcc's
// unwinder statically (libgcc_eh.a built for glibc >= 2.35); the release build links libgcc_s.so.1
// dynamically instead (provided.al2023 ships it), see scripts/package-lambda.sh.
#if defined(__linux__)
#include <features.h>
#if defined(__GLIBC__) && (__GLIBC__ > 2 || (__GLIBC__ == 2 && __GLIBC_MINOR__ >= 35))

#if defined(__x86_64__)
#define KEYROTATOR_GLIBC_BASE_VERSION "GLIBC_2.2.5"
#elif defined(__aarch64__)
#define KEYROTATOR_GLIBC_BASE_VERSION "GLIBC_2.17"
#endif

#ifdef KEYROTATOR_GLIBC_BASE_VERSION
double keyrotator_hypot_base(double x, double y);
float keyrotator_hypotf_base(float x, float y);
__asm__(".symver keyrotator_hypot_base,hypot@" KEYROTATOR_GLIBC_BASE_VERSION);
__asm__(".symver keyrotator_hypotf_base,hypotf@" KEYROTATOR_GLIBC_BASE_VERSION);

double hypot(double x, double y) { return keyrotator_hypot_base(x, y); }
float hypotf(float x, float y) { return keyrotator_hypotf_base(x, y); }
#endif

#endif
#endif
