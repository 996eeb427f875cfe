// CGlibcCompat has no API: linking it pins glibc symbol versions (see glibc_compat.c).
#ifndef KEYROTATOR_CGLIBCCOMPAT_H
#define KEYROTATOR_CGLIBCCOMPAT_H
#endif
