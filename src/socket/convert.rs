//! `Socket` as a descriptor: the fd traits, std socket conversions, and
//! `io::Read` / `io::Write`. None of these makes a system call except I/O.

use std::io;
use std::net::{TcpListener, TcpStream, UdpSocket};
use std::os::fd::{AsFd, AsRawFd, BorrowedFd, FromRawFd, IntoRawFd, OwnedFd, RawFd};
use std::os::unix::net::{UnixDatagram, UnixListener, UnixStream};

use super::{MsgFlags, Socket, recv, send};

impl AsFd for Socket {
    #[inline]
    fn as_fd(&self) -> BorrowedFd<'_> {
        self.fd.as_fd()
    }
}

impl AsRawFd for Socket {
    #[inline]
    fn as_raw_fd(&self) -> RawFd {
        self.fd.as_raw_fd()
    }
}

impl IntoRawFd for Socket {
    fn into_raw_fd(self) -> RawFd {
        self.fd.into_raw_fd()
    }
}

// The trait forces this `unsafe fn` outside src/sys; it is the one place the crate
// allows `unsafe` there.
#[allow(unsafe_code)]
impl FromRawFd for Socket {
    unsafe fn from_raw_fd(fd: RawFd) -> Socket {
        // SAFETY: OwnedFd::from_raw_fd needs an open descriptor that the caller owns,
        // which is exactly what our own caller promised by calling this unsafe fn.
        Socket { fd: unsafe { OwnedFd::from_raw_fd(fd) } }
    }
}

impl From<OwnedFd> for Socket {
    #[inline]
    fn from(fd: OwnedFd) -> Socket {
        Socket { fd }
    }
}

impl From<Socket> for OwnedFd {
    #[inline]
    fn from(s: Socket) -> OwnedFd {
        s.fd
    }
}

macro_rules! std_conversions {
    ($($t:ty),*) => {$(
        impl From<$t> for Socket {
            #[doc = concat!("Takes ownership of a `", stringify!($t), "`'s descriptor.")]
            fn from(s: $t) -> Socket {
                Socket { fd: OwnedFd::from(s) }
            }
        }

        impl From<Socket> for $t {
            #[doc = concat!("Hands the descriptor to a `", stringify!($t), "`; the socket must be of that kind.")]
            fn from(s: Socket) -> $t {
                <$t>::from(s.fd)
            }
        }
    )*};
}

std_conversions!(TcpStream, TcpListener, UdpSocket, UnixStream, UnixListener, UnixDatagram);

/// Reads with `recv(2)`, flags 0.
impl io::Read for &Socket {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        recv(*self, buf, MsgFlags::empty()).map_err(io::Error::from)
    }
}

/// Writes with `send(2)` and MSG_NOSIGNAL: a closed peer is `EPIPE`, never SIGPIPE.
impl io::Write for &Socket {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        send(*self, buf, MsgFlags::empty()).map_err(io::Error::from)
    }

    /// Sockets have no user-space buffer: nothing to flush.
    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

/// Reads with `recv(2)`, flags 0.
impl io::Read for Socket {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        (&*self).read(buf)
    }
}

/// Writes with `send(2)` and MSG_NOSIGNAL.
impl io::Write for Socket {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        (&*self).write(buf)
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}
