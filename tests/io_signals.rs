//! EINTR: a signal handler installed without SA_RESTART, and another thread
//! sending that signal to a thread blocked in readn / writen / readline / poll /
//! select / connect_timeout.
//!
//! Each test first shows, with a raw libc call in the same setup, that the signal
//! really interrupts the blocked system call; then that the bsdsock call, hit by
//! many such signals while blocked, still moves every byte (or, for poll and
//! select, reports EINTR as documented). Own test binary: the handlers are
//! process-wide. Each test uses its own signal, so their counters do not mix.

mod common;

use std::cell::Cell;
use std::os::fd::{AsFd, AsRawFd};
use std::os::unix::thread::JoinHandleExt;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering::SeqCst};
use std::sync::mpsc;
use std::thread::{self, JoinHandle};
use std::time::{Duration, Instant};

use bsdsock::*;
use common::{full_listener, pattern, unix_pair};

const NSIG: usize = 65;
/// Handler runs per signal number.
static DELIVERED: [AtomicUsize; NSIG] = [const { AtomicUsize::new(0) }; NSIG];
/// Set by a test thread while it is inside the call under test.
static IN_CALL: [AtomicBool; NSIG] = [const { AtomicBool::new(false) }; NSIG];
/// Handler runs that landed while the target thread was inside the call.
static HITS_IN_CALL: [AtomicUsize; NSIG] = [const { AtomicUsize::new(0) }; NSIG];

extern "C" fn on_signal(sig: libc::c_int) {
    // Only atomics: async-signal-safe.
    let i = sig as usize;
    if i < NSIG {
        DELIVERED[i].fetch_add(1, SeqCst);
        if IN_CALL[i].load(SeqCst) {
            HITS_IN_CALL[i].fetch_add(1, SeqCst);
        }
    }
}

/// Installs `on_signal` for `sig` with `sa_flags = 0`: no SA_RESTART, so a blocked
/// "slow" system call in the receiving thread fails with EINTR.
fn install(sig: libc::c_int) {
    static LOCK: std::sync::Mutex<()> = std::sync::Mutex::new(());
    let _g = LOCK.lock().unwrap();
    // SAFETY: a zeroed sigaction is a valid "no flags, empty mask" value; we fill
    // in the handler, whose signature matches sa_handler (no SA_SIGINFO).
    let mut sa: libc::sigaction = unsafe { std::mem::zeroed() };
    sa.sa_sigaction = on_signal as *const () as libc::sighandler_t;
    sa.sa_flags = 0;
    // SAFETY: sa.sa_mask is a valid sigset_t to initialize.
    unsafe { libc::sigemptyset(&mut sa.sa_mask) };
    // SAFETY: sa is fully initialized; the old action is not needed (null).
    let rc = unsafe { libc::sigaction(sig, &sa, std::ptr::null_mut()) };
    assert_eq!(rc, 0, "sigaction");
}

/// The signal of test `n` (0 to 2), one per test so that their counters never
/// mix: Linux's real-time signals, which nothing else in the process uses.
#[cfg(any(target_os = "linux", target_os = "android"))]
fn sigrt(n: libc::c_int) -> libc::c_int {
    libc::SIGRTMIN() + n
}

/// The signal of test `n` (0 to 2): where libc exports no `SIGRTMIN` (the BSDs,
/// Apple, illumos), three POSIX timer signals that nothing in this test process
/// raises.
#[cfg(not(any(target_os = "linux", target_os = "android")))]
fn sigrt(n: libc::c_int) -> libc::c_int {
    [libc::SIGALRM, libc::SIGVTALRM, libc::SIGPROF][n as usize]
}

/// A worker thread that signals `done` when its job is finished and then waits for
/// permission to exit, so that `pthread_kill` never targets a finished thread.
struct Worker<T> {
    handle: JoinHandle<T>,
    done: mpsc::Receiver<()>,
    finished: Cell<bool>,
    release: mpsc::Sender<()>,
}

fn spawn_worker<T: Send + 'static>(job: impl FnOnce() -> T + Send + 'static) -> Worker<T> {
    let (done_tx, done) = mpsc::channel();
    let (release, release_rx) = mpsc::channel::<()>();
    let handle = thread::spawn(move || {
        let out = job();
        // Errors only if the test already failed and dropped the Worker.
        let _ = done_tx.send(());
        let _ = release_rx.recv();
        out
    });
    Worker { handle, done, finished: Cell::new(false), release }
}

impl<T> Worker<T> {
    /// The worker's `pthread_t`. std hands it out as an integer; libc's type is
    /// that integer on glibc but a pointer on musl (`struct __pthread *`), so it
    /// goes through `usize`, which holds either.
    fn pthread(&self) -> libc::pthread_t {
        self.handle.as_pthread_t() as usize as libc::pthread_t
    }

    fn is_done(&self) -> bool {
        if !self.finished.get() && self.done.try_recv().is_ok() {
            self.finished.set(true);
        }
        self.finished.get()
    }

    /// Sends `sig` to the worker every `every` until its job is done (at most
    /// `max` signals); returns how many were sent.
    fn bombard(&self, sig: libc::c_int, every: Duration, max: usize) -> usize {
        let tid = self.pthread();
        let mut sent = 0;
        while sent < max && !self.is_done() {
            // SAFETY: tid names a live thread: the worker cannot exit before we
            // send `release` (see spawn_worker).
            assert_eq!(unsafe { libc::pthread_kill(tid, sig) }, 0);
            sent += 1;
            thread::sleep(every);
        }
        sent
    }

    /// Sends `sig` until the handler has run `n` times inside the call under test
    /// (or the job ended, e.g. with an error the caller then checks).
    fn bombard_until_hits(&self, sig: libc::c_int, n: usize) {
        let tid = self.pthread();
        for _ in 0..5000 {
            if HITS_IN_CALL[sig as usize].load(SeqCst) >= n || self.is_done() {
                return;
            }
            // SAFETY: as in bombard: the worker is alive until released.
            assert_eq!(unsafe { libc::pthread_kill(tid, sig) }, 0);
            thread::sleep(Duration::from_millis(1));
        }
        panic!("signal {sig} never reached the blocked call");
    }

    fn finish(self) -> T {
        self.release.send(()).unwrap();
        self.handle.join().unwrap()
    }
}

#[test]
fn readn_survives_signals_that_interrupt_read() {
    let sig = libc::SIGUSR1;
    install(sig);

    // Control: a raw read(2) blocked on an empty socket fails with EINTR.
    let (_a, b) = unix_pair();
    let w = spawn_worker(move || {
        let mut buf = [0u8; 16];
        // SAFETY: buf is valid for writes of 16 bytes.
        let rc = unsafe { libc::read(b.as_raw_fd(), buf.as_mut_ptr().cast(), buf.len()) };
        (rc, Errno::last())
    });
    w.bombard(sig, Duration::from_millis(2), 2000);
    let (rc, errno) = w.finish();
    assert_eq!((rc, errno), (-1, Errno::EINTR), "the signal interrupts a blocked read");

    // readn: nothing is written until the handler has run 20 times while the thread
    // sat in readn. With no data, readn can only be blocked in read(2) then, so
    // each of those runs made read return EINTR (as the control shows), and readn
    // must retry; afterwards the data trickles in under continued signals.
    let (a, b) = unix_pair();
    let len = 64 * 1024;
    let w = spawn_worker(move || {
        let mut buf = vec![0u8; len];
        IN_CALL[sig as usize].store(true, SeqCst);
        let r = readn(&b, &mut buf);
        IN_CALL[sig as usize].store(false, SeqCst);
        r.map(|n| (n, buf))
    });
    w.bombard_until_hits(sig, 20);
    let data = pattern(len, 1);
    let sent = data.clone();
    let writer = thread::spawn(move || {
        for chunk in sent.chunks(1024) {
            writen(&a, chunk).unwrap();
            thread::sleep(Duration::from_millis(1));
        }
    });
    let before = DELIVERED[sig as usize].load(SeqCst);
    let during = w.bombard(sig, Duration::from_micros(300), 20_000);
    writer.join().unwrap();
    let (n, got) = w.finish().expect("readn never fails with EINTR");
    assert_eq!(n, len);
    assert!(got == data, "the data arrived intact");
    assert!(during > 0 && DELIVERED[sig as usize].load(SeqCst) > before);
    assert!(HITS_IN_CALL[sig as usize].load(SeqCst) >= 20);
}

#[test]
fn writen_survives_signals_that_interrupt_send() {
    let sig = libc::SIGUSR2;
    install(sig);

    // Control: a raw blocking send(2) larger than the socket buffer, with nobody
    // reading, is cut short by the signal (a short count, or EINTR if nothing
    // had been copied yet).
    let (a, _b) = unix_pair();
    let big = pattern(8 * 1024 * 1024, 2);
    let w = spawn_worker(move || {
        // SAFETY: big is valid for reads of big.len() bytes.
        let rc = unsafe {
            libc::send(a.as_raw_fd(), big.as_ptr().cast(), big.len(), libc::MSG_NOSIGNAL)
        };
        (rc, Errno::last(), big.len())
    });
    w.bombard(sig, Duration::from_millis(2), 2000);
    let (rc, errno, len) = w.finish();
    assert!(
        (rc >= 0 && (rc as usize) < len) || (rc == -1 && errno == Errno::EINTR),
        "the signal interrupts a blocked send: rc={rc} errno={errno:?}"
    );

    // writen: nobody reads until the handler has run 20 times inside writen, which
    // is then necessarily blocked in send(2) on a full buffer; then a reader drains
    // the data while the signals go on.
    let (a, b) = unix_pair();
    let len = 8 * 1024 * 1024;
    let data = pattern(len, 3);
    let sent = data.clone();
    let w = spawn_worker(move || {
        IN_CALL[sig as usize].store(true, SeqCst);
        let r = writen(&a, &sent);
        IN_CALL[sig as usize].store(false, SeqCst);
        r
    });
    w.bombard_until_hits(sig, 20);
    let reader = thread::spawn(move || {
        let mut got = vec![0u8; len];
        let n = readn(&b, &mut got).unwrap();
        (n, got)
    });
    w.bombard(sig, Duration::from_micros(300), 50_000);
    assert_eq!(w.finish().expect("writen never fails with EINTR"), len);
    let (n, got) = reader.join().unwrap();
    assert_eq!(n, len);
    assert!(got == data, "the data arrived intact");
    assert!(HITS_IN_CALL[sig as usize].load(SeqCst) >= 20);
}

#[test]
fn readline_survives_signals() {
    let sig = sigrt(0);
    install(sig);
    let (a, b) = unix_pair();
    let w = spawn_worker(move || {
        let mut r = LineReader::new(&b);
        let mut lines = Vec::new();
        IN_CALL[sig as usize].store(true, SeqCst);
        loop {
            match r.readline() {
                Ok(Some(l)) => lines.push(l.to_vec()),
                Ok(None) => break,
                Err(e) => {
                    IN_CALL[sig as usize].store(false, SeqCst);
                    return Err(e);
                }
            }
        }
        IN_CALL[sig as usize].store(false, SeqCst);
        Ok(lines)
    });
    w.bombard_until_hits(sig, 10);
    let writer = thread::spawn(move || {
        for i in 0..50 {
            writen(&a, format!("line {i}\n").as_bytes()).unwrap();
            thread::sleep(Duration::from_millis(1));
        }
    });
    w.bombard(sig, Duration::from_micros(300), 20_000);
    writer.join().unwrap();
    let lines = w.finish().expect("readline never fails with EINTR");
    let want: Vec<Vec<u8>> = (0..50).map(|i| format!("line {i}\n").into_bytes()).collect();
    assert_eq!(lines, want);
}

#[test]
fn poll_and_select_return_eintr() {
    let sig = sigrt(1);
    install(sig);
    let (_a, b) = unix_pair();
    let w = spawn_worker(move || {
        let mut fds = [PollFd::new(b.as_fd(), PollFlags::IN)];
        // 10 s rather than forever keeps the test bounded should poll ever
        // swallow the EINTR; the signals come every 2 ms.
        let p = poll(&mut fds, Some(Duration::from_secs(10))).map_err(|e| e.errno());
        (p, b)
    });
    // Nothing will ever be readable: only a signal ends the wait early.
    w.bombard(sig, Duration::from_millis(2), 2000);
    let (p, b) = w.finish();
    assert_eq!(p, Err(Some(Errno::EINTR)));

    let w = spawn_worker(move || {
        let mut set = FdSet::new();
        set.insert(&b).unwrap();
        select(Some(&mut set), None, None, Some(Duration::from_secs(10))).map_err(|e| e.errno())
    });
    w.bombard(sig, Duration::from_millis(2), 2000);
    assert_eq!(w.finish(), Err(Some(Errno::EINTR)));
}

#[test]
fn connect_timeout_retries_eintr_with_the_remaining_time() {
    let sig = sigrt(2);
    install(sig);
    // A listener whose accept queue is full drops new SYNs.
    let (_l, addr, fillers) = full_listener();
    let timeout = Duration::from_millis(400);
    let w = spawn_worker(move || {
        let s = socket(Domain::INET, Type::STREAM, Protocol::DEFAULT).unwrap();
        let t0 = Instant::now();
        IN_CALL[sig as usize].store(true, SeqCst);
        let r = connect_timeout(&s, &addr, timeout);
        IN_CALL[sig as usize].store(false, SeqCst);
        (r.map_err(|e| e.errno()), t0.elapsed(), is_nonblocking(&s).unwrap())
    });
    // Signals every 2 ms for as long as it runs (at most 10 s): restarting the full
    // timeout after each EINTR would never finish before the signals stop.
    w.bombard(sig, Duration::from_millis(2), 5000);
    let (r, elapsed, nonblocking) = w.finish();
    assert_eq!(r, Err(Some(Errno::ETIMEDOUT)));
    assert!(elapsed >= timeout, "{elapsed:?}");
    assert!(elapsed < timeout + Duration::from_secs(3), "{elapsed:?}");
    assert!(!nonblocking, "flags restored");
    assert!(HITS_IN_CALL[sig as usize].load(SeqCst) >= 10, "the wait was interrupted");
    drop(fillers);
}
