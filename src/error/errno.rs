//! `Errno`: the value of C's `errno`, with a named constant for each code.
//!
//! The table below is Linux's (`asm-generic/errno.h`); [`Errno::name`] gives the symbol
//! and `Display` gives `strerror(3)`'s text, so an error reads the way `perror` would
//! print it and can still be matched by name.

use std::fmt;

use crate::newtype::c_newtype;

pub use crate::sys::Errno;

macro_rules! errno_table {
    ($($(#[cfg($cfg:meta)])? $name:ident = $doc:literal;)*) => {
        impl Errno {
            $(
                #[doc = concat!("`", stringify!($name), "`: ", $doc, ".")]
                $(#[cfg($cfg)] #[cfg_attr(docsrs, doc(cfg($cfg)))])?
                pub const $name: Errno = Errno(libc::$name);
            )*

            /// The C symbol of this code (`"EADDRINUSE"`), or `"E?"` for a value the
            /// table does not know. Aliases (`EWOULDBLOCK`, `EDEADLOCK`, `ENOTSUP`)
            /// report the name they alias.
            ///
            /// ```
            /// use bsdsock::Errno;
            /// assert_eq!(Errno::ECONNREFUSED.name(), "ECONNREFUSED");
            /// assert_eq!(Errno::EWOULDBLOCK.name(), "EAGAIN");
            /// assert_eq!(Errno::from_raw(9999).name(), "E?");
            /// ```
            pub const fn name(self) -> &'static str {
                match self.c_name() {
                    Some(name) => name,
                    None => "E?",
                }
            }

            /// The C symbol, if the table knows this code.
            const fn c_name(self) -> Option<&'static str> {
                Some(match self.0 {
                    $($(#[cfg($cfg)])? libc::$name => stringify!($name),)*
                    _ => return None,
                })
            }
        }
    };
}

// Linux's table (`asm-generic/errno.h`), with the kernel's texts. A code that
// the libc crate does not define for some target (checked for Apple, FreeBSD,
// NetBSD, OpenBSD and illumos) carries the cfg of the systems that have it, and
// is absent elsewhere.
errno_table! {
    EPERM = "Operation not permitted";
    ENOENT = "No such file or directory";
    ESRCH = "No such process";
    EINTR = "Interrupted system call";
    EIO = "I/O error";
    ENXIO = "No such device or address";
    E2BIG = "Argument list too long";
    ENOEXEC = "Exec format error";
    EBADF = "Bad file number";
    ECHILD = "No child processes";
    EAGAIN = "Try again";
    ENOMEM = "Out of memory";
    EACCES = "Permission denied";
    EFAULT = "Bad address";
    ENOTBLK = "Block device required";
    EBUSY = "Device or resource busy";
    EEXIST = "File exists";
    EXDEV = "Cross-device link";
    ENODEV = "No such device";
    ENOTDIR = "Not a directory";
    EISDIR = "Is a directory";
    EINVAL = "Invalid argument";
    ENFILE = "File table overflow";
    EMFILE = "Too many open files";
    ENOTTY = "Not a typewriter";
    ETXTBSY = "Text file busy";
    EFBIG = "File too large";
    ENOSPC = "No space left on device";
    ESPIPE = "Illegal seek";
    EROFS = "Read-only file system";
    EMLINK = "Too many links";
    EPIPE = "Broken pipe";
    EDOM = "Math argument out of domain of func";
    ERANGE = "Math result not representable";
    EDEADLK = "Resource deadlock would occur";
    ENAMETOOLONG = "File name too long";
    ENOLCK = "No record locks available";
    ENOSYS = "Invalid system call number";
    ENOTEMPTY = "Directory not empty";
    ELOOP = "Too many symbolic links encountered";
    ENOMSG = "No message of desired type";
    EIDRM = "Identifier removed";
    #[cfg(any(target_os = "linux", target_os = "android", target_os = "illumos", target_os = "solaris"))]
    ECHRNG = "Channel number out of range";
    #[cfg(any(target_os = "linux", target_os = "android", target_os = "illumos", target_os = "solaris"))]
    EL2NSYNC = "Level 2 not synchronized";
    #[cfg(any(target_os = "linux", target_os = "android", target_os = "illumos", target_os = "solaris"))]
    EL3HLT = "Level 3 halted";
    #[cfg(any(target_os = "linux", target_os = "android", target_os = "illumos", target_os = "solaris"))]
    EL3RST = "Level 3 reset";
    #[cfg(any(target_os = "linux", target_os = "android", target_os = "illumos", target_os = "solaris"))]
    ELNRNG = "Link number out of range";
    #[cfg(any(target_os = "linux", target_os = "android", target_os = "illumos", target_os = "solaris"))]
    EUNATCH = "Protocol driver not attached";
    #[cfg(any(target_os = "linux", target_os = "android", target_os = "illumos", target_os = "solaris"))]
    ENOCSI = "No CSI structure available";
    #[cfg(any(target_os = "linux", target_os = "android", target_os = "illumos", target_os = "solaris"))]
    EL2HLT = "Level 2 halted";
    #[cfg(any(target_os = "linux", target_os = "android", target_os = "illumos", target_os = "solaris"))]
    EBADE = "Invalid exchange";
    #[cfg(any(target_os = "linux", target_os = "android", target_os = "illumos", target_os = "solaris"))]
    EBADR = "Invalid request descriptor";
    #[cfg(any(target_os = "linux", target_os = "android", target_os = "illumos", target_os = "solaris"))]
    EXFULL = "Exchange full";
    #[cfg(any(target_os = "linux", target_os = "android", target_os = "illumos", target_os = "solaris"))]
    ENOANO = "No anode";
    #[cfg(any(target_os = "linux", target_os = "android", target_os = "illumos", target_os = "solaris"))]
    EBADRQC = "Invalid request code";
    #[cfg(any(target_os = "linux", target_os = "android", target_os = "illumos", target_os = "solaris"))]
    EBADSLT = "Invalid slot";
    #[cfg(any(target_os = "linux", target_os = "android", target_os = "illumos", target_os = "solaris"))]
    EBFONT = "Bad font file format";
    #[cfg(any(target_os = "linux", target_os = "android", target_vendor = "apple", target_os = "netbsd", target_os = "illumos", target_os = "solaris"))]
    ENOSTR = "Device not a stream";
    #[cfg(any(target_os = "linux", target_os = "android", target_vendor = "apple", target_os = "netbsd", target_os = "illumos", target_os = "solaris"))]
    ENODATA = "No data available";
    #[cfg(any(target_os = "linux", target_os = "android", target_vendor = "apple", target_os = "netbsd", target_os = "illumos", target_os = "solaris"))]
    ETIME = "Timer expired";
    #[cfg(any(target_os = "linux", target_os = "android", target_vendor = "apple", target_os = "netbsd", target_os = "illumos", target_os = "solaris"))]
    ENOSR = "Out of streams resources";
    #[cfg(any(target_os = "linux", target_os = "android", target_os = "illumos", target_os = "solaris"))]
    ENONET = "Machine is not on the network";
    #[cfg(any(target_os = "linux", target_os = "android", target_os = "illumos", target_os = "solaris"))]
    ENOPKG = "Package not installed";
    EREMOTE = "Object is remote";
    #[cfg(any(target_os = "linux", target_os = "android", target_vendor = "apple", target_os = "freebsd", target_os = "netbsd", target_os = "illumos", target_os = "solaris"))]
    ENOLINK = "Link has been severed";
    #[cfg(any(target_os = "linux", target_os = "android", target_os = "illumos", target_os = "solaris"))]
    EADV = "Advertise error";
    #[cfg(any(target_os = "linux", target_os = "android", target_os = "illumos", target_os = "solaris"))]
    ESRMNT = "Srmount error";
    #[cfg(any(target_os = "linux", target_os = "android", target_os = "illumos", target_os = "solaris"))]
    ECOMM = "Communication error on send";
    EPROTO = "Protocol error";
    #[cfg(any(target_os = "linux", target_os = "android", target_vendor = "apple", target_os = "freebsd", target_os = "netbsd", target_os = "illumos", target_os = "solaris"))]
    EMULTIHOP = "Multihop attempted";
    #[cfg(any(target_os = "linux", target_os = "android"))]
    EDOTDOT = "RFS specific error";
    EBADMSG = "Not a data message";
    EOVERFLOW = "Value too large for defined data type";
    #[cfg(any(target_os = "linux", target_os = "android", target_os = "illumos", target_os = "solaris"))]
    ENOTUNIQ = "Name not unique on network";
    #[cfg(any(target_os = "linux", target_os = "android", target_os = "illumos", target_os = "solaris"))]
    EBADFD = "File descriptor in bad state";
    #[cfg(any(target_os = "linux", target_os = "android", target_os = "illumos", target_os = "solaris"))]
    EREMCHG = "Remote address changed";
    #[cfg(any(target_os = "linux", target_os = "android", target_os = "illumos", target_os = "solaris"))]
    ELIBACC = "Can not access a needed shared library";
    #[cfg(any(target_os = "linux", target_os = "android", target_os = "illumos", target_os = "solaris"))]
    ELIBBAD = "Accessing a corrupted shared library";
    #[cfg(any(target_os = "linux", target_os = "android", target_os = "illumos", target_os = "solaris"))]
    ELIBSCN = ".lib section in a.out corrupted";
    #[cfg(any(target_os = "linux", target_os = "android", target_os = "illumos", target_os = "solaris"))]
    ELIBMAX = "Attempting to link in too many shared libraries";
    #[cfg(any(target_os = "linux", target_os = "android", target_os = "illumos", target_os = "solaris"))]
    ELIBEXEC = "Cannot exec a shared library directly";
    EILSEQ = "Illegal byte sequence";
    #[cfg(any(target_os = "linux", target_os = "android", target_os = "illumos", target_os = "solaris"))]
    ERESTART = "Interrupted system call should be restarted";
    #[cfg(any(target_os = "linux", target_os = "android", target_os = "illumos", target_os = "solaris"))]
    ESTRPIPE = "Streams pipe error";
    EUSERS = "Too many users";
    ENOTSOCK = "Socket operation on non-socket";
    EDESTADDRREQ = "Destination address required";
    EMSGSIZE = "Message too long";
    EPROTOTYPE = "Protocol wrong type for socket";
    ENOPROTOOPT = "Protocol not available";
    EPROTONOSUPPORT = "Protocol not supported";
    ESOCKTNOSUPPORT = "Socket type not supported";
    EOPNOTSUPP = "Operation not supported on transport endpoint";
    EPFNOSUPPORT = "Protocol family not supported";
    EAFNOSUPPORT = "Address family not supported by protocol";
    EADDRINUSE = "Address already in use";
    EADDRNOTAVAIL = "Cannot assign requested address";
    ENETDOWN = "Network is down";
    ENETUNREACH = "Network is unreachable";
    ENETRESET = "Network dropped connection because of reset";
    ECONNABORTED = "Software caused connection abort";
    ECONNRESET = "Connection reset by peer";
    ENOBUFS = "No buffer space available";
    EISCONN = "Transport endpoint is already connected";
    ENOTCONN = "Transport endpoint is not connected";
    ESHUTDOWN = "Cannot send after transport endpoint shutdown";
    ETOOMANYREFS = "Too many references: cannot splice";
    ETIMEDOUT = "Connection timed out";
    ECONNREFUSED = "Connection refused";
    EHOSTDOWN = "Host is down";
    EHOSTUNREACH = "No route to host";
    EALREADY = "Operation already in progress";
    EINPROGRESS = "Operation now in progress";
    ESTALE = "Stale file handle";
    #[cfg(any(target_os = "linux", target_os = "android"))]
    EUCLEAN = "Structure needs cleaning";
    #[cfg(any(target_os = "linux", target_os = "android"))]
    ENOTNAM = "Not a XENIX named type file";
    #[cfg(any(target_os = "linux", target_os = "android"))]
    ENAVAIL = "No XENIX semaphores available";
    #[cfg(any(target_os = "linux", target_os = "android"))]
    EISNAM = "Is a named type file";
    #[cfg(any(target_os = "linux", target_os = "android"))]
    EREMOTEIO = "Remote I/O error";
    EDQUOT = "Quota exceeded";
    #[cfg(any(target_os = "linux", target_os = "android", target_os = "openbsd"))]
    ENOMEDIUM = "No medium found";
    #[cfg(any(target_os = "linux", target_os = "android", target_os = "openbsd"))]
    EMEDIUMTYPE = "Wrong medium type";
    ECANCELED = "Operation Canceled";
    #[cfg(any(target_os = "linux", target_os = "android"))]
    ENOKEY = "Required key not available";
    #[cfg(any(target_os = "linux", target_os = "android"))]
    EKEYEXPIRED = "Key has expired";
    #[cfg(any(target_os = "linux", target_os = "android"))]
    EKEYREVOKED = "Key has been revoked";
    #[cfg(any(target_os = "linux", target_os = "android"))]
    EKEYREJECTED = "Key was rejected by service";
    EOWNERDEAD = "Owner died";
    ENOTRECOVERABLE = "State not recoverable";
    #[cfg(any(target_os = "linux", target_os = "android"))]
    ERFKILL = "Operation not possible due to RF-kill";
    #[cfg(any(target_os = "linux", target_os = "android"))]
    EHWPOISON = "Memory page has hardware error";
}

impl Errno {
    /// `EWOULDBLOCK`: the same code as [`Errno::EAGAIN`] on Linux.
    pub const EWOULDBLOCK: Errno = Errno(libc::EWOULDBLOCK);
    /// `ENOTSUP`: the same code as [`Errno::EOPNOTSUPP`] on Linux.
    pub const ENOTSUP: Errno = Errno(libc::ENOTSUP);

    /// The calling thread's current `errno` (what C reads right after a failed call).
    ///
    /// ```
    /// use bsdsock::Errno;
    /// // open(2) of a missing file fails with ENOENT and leaves it in errno.
    /// assert!(std::fs::File::open("/nonexistent/x").is_err());
    /// assert_eq!(Errno::last(), Errno::ENOENT);
    /// ```
    #[doc(alias = "errno")]
    pub fn last() -> Errno {
        Errno(std::io::Error::last_os_error().raw_os_error().unwrap_or(0))
    }

    /// The `std::io::ErrorKind` that std gives this code.
    ///
    /// ```
    /// use std::io::ErrorKind;
    /// assert_eq!(bsdsock::Errno::ECONNREFUSED.kind(), ErrorKind::ConnectionRefused);
    /// ```
    pub fn kind(self) -> std::io::ErrorKind {
        std::io::Error::from_raw_os_error(self.0).kind()
    }
}

impl fmt::Display for Errno {
    /// `strerror(3)`'s text for the code.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut buf = [0u8; 128];
        f.write_str(crate::sys::strerror(self.0, &mut buf))
    }
}

c_newtype! {
    Errno, name: Errno::c_name,
    /// Wraps a raw `errno` value.
    ///
    /// ```
    /// assert_eq!(bsdsock::Errno::from_raw(libc::EPIPE), bsdsock::Errno::EPIPE);
    /// ```
    from_raw;
    /// The raw `errno` value.
    ///
    /// ```
    /// assert_eq!(bsdsock::Errno::EINTR.as_raw(), libc::EINTR);
    /// ```
    as_raw;
}

impl From<Errno> for std::io::Error {
    fn from(e: Errno) -> Self {
        std::io::Error::from_raw_os_error(e.0)
    }
}
