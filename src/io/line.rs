//! `readline`: the buffered line reader of Stevens' *UNIX Network Programming*,
//! Vol. 1 (3rd ed., §3.9), with a buffer per reader instead of C's static one (so
//! it is thread-safe and works on many descriptors at once).

use std::fmt;
use std::io;
use std::os::fd::AsFd;

use super::{read_once, readn_fd, stopped};
use crate::{Error, Reason, Result};

/// `MAXLINE`: the default bound on a line's length, newline included (the value
/// of `unp.h` in Stevens' *UNIX Network Programming*).
pub const MAXLINE: usize = 4096;

/// A buffered line reader over any descriptor: `readline` from Stevens' *UNIX
/// Network Programming*, Vol. 1 (3rd ed., §3.9), with a buffer of its own.
///
/// Reads in large chunks into its own buffer and hands out one line at a time,
/// newline included, retrying `EINTR`. A line longer than the buffer
/// ([`MAXLINE`] by default, see [`with_max_line`](LineReader::with_max_line)) is an
/// error, never a silent truncation or an unbounded allocation.
///
/// Bytes read past the current line stay in the buffer: [`buffer`](LineReader::buffer)
/// shows them, and [`readn`](LineReader::readn), [`io::Read`] and [`io::BufRead`]
/// on the reader consume them before reading the descriptor, so mixing line and
/// binary reads loses nothing. Do not read the descriptor directly while a
/// `LineReader` holds buffered data; take the data back with
/// [`into_parts`](LineReader::into_parts) first.
///
/// ```
/// use bsdsock::{socketpair, writen, Domain, LineReader, Protocol, Type};
/// let (a, b) = socketpair(Domain::UNIX, Type::STREAM, Protocol::DEFAULT)?;
/// writen(&a, b"HELO there\r\nSIZE 4\nDATA")?;
/// drop(a);
/// let mut r = LineReader::new(&b);
/// assert_eq!(r.readline()?, Some(&b"HELO there\r\n"[..]));
/// assert_eq!(r.readline()?, Some(&b"SIZE 4\n"[..]));
/// let mut body = [0u8; 4];
/// assert_eq!(r.readn(&mut body)?, 4);              // from the reader's buffer
/// assert_eq!(&body, b"DATA");
/// assert_eq!(r.readline()?, None);                   // EOF
/// # Ok::<(), bsdsock::Error>(())
/// ```
#[doc(alias = "readline")]
pub struct LineReader<F> {
    fd: F,
    buf: Box<[u8]>,
    /// First byte not yet handed out.
    start: usize,
    /// One past the last byte read from the descriptor.
    end: usize,
    /// `start..scanned` is known to hold no newline, so a line that arrives in
    /// many small reads is searched once, not once per read.
    scanned: usize,
}

impl<F: AsFd> LineReader<F> {
    /// A reader with a [`MAXLINE`]-byte buffer, so lines up to 4096 bytes.
    ///
    /// ```
    /// let (a, _b) = bsdsock::Socket::pair(bsdsock::Domain::UNIX, bsdsock::Type::STREAM, Default::default())?;
    /// let r = bsdsock::LineReader::new(a);
    /// assert_eq!(r.max_line(), bsdsock::MAXLINE);
    /// # Ok::<(), bsdsock::Error>(())
    /// ```
    pub fn new(fd: F) -> LineReader<F> {
        LineReader::with_buffer(fd, vec![0; MAXLINE].into_boxed_slice())
    }

    /// A reader whose lines may be up to `max_line` bytes, newline included (the
    /// buffer size). `Err` for 0, or if the buffer cannot be allocated.
    ///
    /// ```
    /// let (a, _b) = bsdsock::Socket::pair(bsdsock::Domain::UNIX, bsdsock::Type::STREAM, Default::default())?;
    /// let r = bsdsock::LineReader::with_max_line(&a, 64 * 1024)?;
    /// assert_eq!(r.max_line(), 65536);
    /// assert!(bsdsock::LineReader::with_max_line(&a, 0).is_err());
    /// # Ok::<(), bsdsock::Error>(())
    /// ```
    pub fn with_max_line(fd: F, max_line: usize) -> Result<LineReader<F>> {
        if max_line == 0 {
            return Err(Error::invalid("LineReader", "max_line must be at least 1"));
        }
        let mut buf = Vec::new();
        buf.try_reserve_exact(max_line)
            .map_err(|_| Error::invalid("LineReader", Reason::Alloc { bytes: max_line }))?;
        buf.resize(max_line, 0);
        Ok(LineReader::with_buffer(fd, buf.into_boxed_slice()))
    }

    fn with_buffer(fd: F, buf: Box<[u8]>) -> LineReader<F> {
        LineReader { fd, buf, start: 0, end: 0, scanned: 0 }
    }

    /// The next line, newline included; `None` at end-of-file. A last line without
    /// a newline is returned as is before `None`.
    ///
    /// Retries `EINTR`. Reads the descriptor only when no complete line is
    /// buffered, and as much as fits at a time.
    ///
    /// # Errors
    /// `read`'s errno (buffered bytes are kept, so a retry after `EAGAIN` on a
    /// non-blocking socket loses nothing); [`Error::InvalidInput`] if no newline
    /// appears within [`max_line`](LineReader::max_line) bytes. In that case the
    /// bytes stay buffered: [`buffer`](LineReader::buffer) and
    /// [`consume`](LineReader::consume) let the caller skip or keep them.
    ///
    /// ```
    /// use bsdsock::{socketpair, writen, Domain, LineReader, Type};
    /// let (a, b) = socketpair(Domain::UNIX, Type::STREAM, Default::default())?;
    /// writen(&a, b"short\nthis line is far too long\n")?;
    /// let mut r = LineReader::with_max_line(&b, 16)?;
    /// assert_eq!(r.readline()?, Some(&b"short\n"[..]));
    /// let err = r.readline().unwrap_err();
    /// assert_eq!(err.to_string(), "readline: no newline within 16 bytes (the line limit)");
    /// assert_eq!(r.buffer(), b"this line is far"); // nothing was lost
    /// # Ok::<(), bsdsock::Error>(())
    /// ```
    pub fn readline(&mut self) -> Result<Option<&[u8]>> {
        loop {
            let unseen = &self.buf[self.scanned..self.end];
            if let Some(i) = unseen.iter().position(|&b| b == b'\n') {
                let line = self.start..self.scanned + i + 1;
                self.start = line.end;
                self.scanned = line.end;
                return Ok(Some(&self.buf[line]));
            }
            self.scanned = self.end;
            if self.end - self.start == self.buf.len() {
                return Err(Error::invalid(
                    "readline",
                    Reason::LineTooLong { max: self.buf.len() },
                ));
            }
            if self.end == self.buf.len() {
                // The partial line sits at the end of the buffer: slide it to the
                // front to make room (once per buffer's worth of input at most).
                self.buf.copy_within(self.start..self.end, 0);
                self.end -= self.start;
                self.scanned = self.end;
                self.start = 0;
            }
            let n = read_once(self.fd.as_fd(), &mut self.buf[self.end..])?;
            if n == 0 {
                if self.start == self.end {
                    return Ok(None);
                }
                let line = self.start..self.end;
                self.start = self.end;
                return Ok(Some(&self.buf[line]));
            }
            self.end += n;
        }
    }

    /// [`readn`](crate::readn) through the reader: the buffered bytes first, then
    /// the descriptor, until `buf` is full or EOF. A [`Error::Partial`] count
    /// includes the bytes taken from the buffer.
    ///
    /// ```
    /// use bsdsock::{socketpair, writen, Domain, LineReader, Type};
    /// let (a, b) = socketpair(Domain::UNIX, Type::STREAM, Default::default())?;
    /// writen(&a, b"LEN 6\nabcdef")?;
    /// let mut r = LineReader::new(&b);
    /// assert_eq!(r.readline()?, Some(&b"LEN 6\n"[..]));
    /// let mut payload = [0u8; 6];
    /// r.readn(&mut payload)?;
    /// assert_eq!(&payload, b"abcdef");
    /// # Ok::<(), bsdsock::Error>(())
    /// ```
    pub fn readn(&mut self, buf: &mut [u8]) -> Result<usize> {
        let from_buf = self.copy_out(buf);
        if from_buf == buf.len() {
            return Ok(from_buf);
        }
        match readn_fd(self.fd.as_fd(), &mut buf[from_buf..]) {
            Ok(n) => Ok(from_buf + n),
            Err(e) => Err(with_prefix(e, from_buf)),
        }
    }

    /// Copies buffered bytes into `out` and consumes them; returns how many.
    fn copy_out(&mut self, out: &mut [u8]) -> usize {
        let n = out.len().min(self.end - self.start);
        out[..n].copy_from_slice(&self.buf[self.start..self.start + n]);
        self.consume(n);
        n
    }

    /// Reads once into the empty buffer if it is empty; the buffered bytes.
    fn fill(&mut self) -> Result<&[u8]> {
        if self.start == self.end {
            let n = read_once(self.fd.as_fd(), &mut self.buf)?;
            self.start = 0;
            self.scanned = 0;
            self.end = n;
        }
        Ok(self.buffer())
    }
}

impl<F> LineReader<F> {
    /// The bytes read from the descriptor but not yet returned: what follows the
    /// last line handed out.
    ///
    /// ```
    /// use bsdsock::{socketpair, writen, Domain, LineReader, Type};
    /// let (a, b) = socketpair(Domain::UNIX, Type::STREAM, Default::default())?;
    /// writen(&a, b"one\ntwo")?;
    /// let mut r = LineReader::new(&b);
    /// r.readline()?;
    /// assert_eq!(r.buffer(), b"two");
    /// # Ok::<(), bsdsock::Error>(())
    /// ```
    pub fn buffer(&self) -> &[u8] {
        &self.buf[self.start..self.end]
    }

    /// Drops the first `n` buffered bytes (at most all of them).
    ///
    /// ```
    /// use bsdsock::{socketpair, writen, Domain, LineReader, Type};
    /// let (a, b) = socketpair(Domain::UNIX, Type::STREAM, Default::default())?;
    /// writen(&a, b"one\n##two\n")?;
    /// let mut r = LineReader::new(&b);
    /// r.readline()?;
    /// r.consume(2);
    /// assert_eq!(r.readline()?, Some(&b"two\n"[..]));
    /// # Ok::<(), bsdsock::Error>(())
    /// ```
    pub fn consume(&mut self, n: usize) {
        self.start += n.min(self.end - self.start);
        self.scanned = self.scanned.max(self.start);
    }

    /// The longest line this reader accepts, newline included (its buffer size).
    ///
    /// ```
    /// let r = bsdsock::LineReader::new(std::io::stdin());
    /// assert_eq!(r.max_line(), 4096);
    /// ```
    pub fn max_line(&self) -> usize {
        self.buf.len()
    }

    /// The descriptor being read.
    ///
    /// ```
    /// let (a, _b) = bsdsock::Socket::pair(bsdsock::Domain::UNIX, bsdsock::Type::STREAM, Default::default())?;
    /// let r = bsdsock::LineReader::new(a);
    /// assert!(r.get_ref().getpeername().is_ok());
    /// # Ok::<(), bsdsock::Error>(())
    /// ```
    pub fn get_ref(&self) -> &F {
        &self.fd
    }

    /// Gives back the descriptor and the bytes read past the last line, so that
    /// nothing is lost when switching to another way of reading.
    ///
    /// ```
    /// use bsdsock::{socketpair, writen, Domain, LineReader, Type};
    /// let (a, b) = socketpair(Domain::UNIX, Type::STREAM, Default::default())?;
    /// writen(&a, b"GET\nrest")?;
    /// let mut r = LineReader::new(b);
    /// r.readline()?;
    /// let (_b, rest) = r.into_parts();
    /// assert_eq!(rest, b"rest");
    /// # Ok::<(), bsdsock::Error>(())
    /// ```
    pub fn into_parts(self) -> (F, Vec<u8>) {
        let rest = self.buf[self.start..self.end].to_vec();
        (self.fd, rest)
    }
}

/// Adds `before` bytes (taken from the buffer) to the count of a failed `readn`.
fn with_prefix(e: Error, before: usize) -> Error {
    match e {
        _ if before == 0 => e,
        Error::Partial { call, done, errno } => Error::Partial { call, done: before + done, errno },
        Error::Os { call, errno } => stopped(call, before, errno),
        other => other,
    }
}

/// Reads through the buffer; a read at least as large as the buffer, with nothing
/// buffered, goes straight to the descriptor. Retries `EINTR`.
impl<F: AsFd> io::Read for LineReader<F> {
    fn read(&mut self, out: &mut [u8]) -> io::Result<usize> {
        if self.start == self.end && out.len() >= self.buf.len() {
            return read_once(self.fd.as_fd(), out).map_err(io::Error::from);
        }
        self.fill()?;
        Ok(self.copy_out(out))
    }
}

/// `fill_buf` reads once (retrying `EINTR`) when the buffer is empty; `lines()` and
/// `read_until` work as with `std::io::BufReader`, without the line-length bound.
impl<F: AsFd> io::BufRead for LineReader<F> {
    fn fill_buf(&mut self) -> io::Result<&[u8]> {
        self.fill().map_err(io::Error::from)
    }

    fn consume(&mut self, n: usize) {
        LineReader::consume(self, n);
    }
}

impl<F: fmt::Debug> fmt::Debug for LineReader<F> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("LineReader")
            .field("fd", &self.fd)
            .field("buffered", &(self.end - self.start))
            .field("max_line", &self.buf.len())
            .finish()
    }
}
