/* Linked into the x86_64-unknown-linux-musl test binaries by .ci/cross.
 *
 * Rust's std for musl unwinds with LLVM's libunwind (`-lunwind`, static). The
 * Rust toolchain ships a musl build of it; Debian's packages do not, so .ci/cross
 * links Debian's libunwind-14-dev copy, which was built against glibc with
 * _FORTIFY_SOURCE and so calls glibc's checked `__fprintf_chk` on its
 * error-report paths. musl has no `_chk` functions: this is that one, without
 * the check (the format strings are libunwind's own constants). */
#include <stdarg.h>
#include <stdio.h>

int __fprintf_chk(FILE *stream, int flag, const char *format, ...)
{
    va_list ap;
    int n;
    (void)flag;
    va_start(ap, format);
    n = vfprintf(stream, format, ap);
    va_end(ap);
    return n;
}
