//! Passing open descriptors to another process with SCM_RIGHTS (unix(7)): a
//! parent opens a file and a listening TCP socket on 127.0.0.1:0, starts a child
//! (this same program, re-run with a hidden `--child` flag and one end of a Unix
//! socketpair as its standard input), and hands it both descriptors in one
//! `sendmsg` with a `ControlMessage::ScmRights`. The child receives them with
//! `recvmsg` as `OwnedFd`s (close-on-exec, closed if not taken), accepts on the
//! listener it never opened and serves the file it never opened. The parent,
//! which closed its own copies right after sending, connects as a client and
//! checks the bytes. Not from the notes (no seed program): issue 13's example.
//!
//! ```text
//! cargo run --example fd_pass            # (--demo does the same) all on 127.0.0.1
//! ```
//!
//! Descriptors travel only with data on a stream socket: the message carries one
//! byte, and the descriptors ride on it.

use std::error::Error;
use std::fs::File;
use std::io::{IoSlice, IoSliceMut, Write};
use std::os::fd::{AsFd, OwnedFd};
use std::process::{Command, ExitCode, Stdio};

use bsdsock::{
    CmsgBuffer, ControlMessage, ControlMessageOwned, Domain, MsgFlags, Protocol, SockAddr,
    SockAddrIn, Type, accept, bind, connect, getsockname, is_cloexec, listen, readn, recvmsg,
    sendmsg, socket, socketpair, writen,
};

type Res<T = ()> = Result<T, Box<dyn Error>>;

/// What the file holds: a few lines, long enough to need more than one read.
fn content() -> Vec<u8> {
    (0..200)
        .flat_map(|i| format!("line {i:03} of the file the parent opened\n").into_bytes())
        .collect()
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args.iter().map(String::as_str).collect::<Vec<_>>().as_slice() {
        [] | ["--demo"] => parent(),
        // Hidden: how the parent starts the child (stdin is the Unix socket).
        ["--child"] => child(),
        _ => {
            let arg = args.iter().find(|a| *a != "--demo").unwrap_or(&args[0]);
            eprintln!("usage: fd_pass [--demo]   (unexpected argument {arg:?})");
            return ExitCode::FAILURE;
        }
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("fd_pass: {e}");
            ExitCode::FAILURE
        }
    }
}

fn parent() -> Res {
    // The file, in a directory of its own under the temporary directory.
    let dir = std::env::temp_dir().join(format!("bsdsock-fd_pass-{}", std::process::id()));
    std::fs::create_dir_all(&dir)?;
    let path = dir.join("served.txt");
    let want = content();
    std::fs::write(&path, &want)?;
    let file = File::open(&path);
    std::fs::remove_dir_all(&dir)?; // the open descriptor keeps the file alive
    let file = file?;
    println!("parent: opened {} ({} bytes) and removed it", path.display(), want.len());

    let listener = socket(Domain::INET, Type::STREAM, Protocol::DEFAULT)?;
    bind(&listener, &SockAddrIn::new(bsdsock::INADDR_LOOPBACK, 0).into())?;
    listen(&listener, 5)?;
    let addr: SockAddr = getsockname(&listener)?;
    println!("parent: listening on {addr}");

    let (ours, theirs) = socketpair(Domain::UNIX, Type::STREAM, Protocol::DEFAULT)?;
    let mut child = Command::new(std::env::current_exe()?)
        .arg("--child")
        .stdin(Stdio::from(OwnedFd::from(theirs)))
        .spawn()?;
    println!("parent: pid {} started child pid {}", std::process::id(), child.id());

    let fds = [file.as_fd(), listener.as_fd()];
    let n = sendmsg(
        &ours,
        &[IoSlice::new(b"F")],
        &[ControlMessage::ScmRights(&fds)],
        MsgFlags::empty(),
        None,
    )?;
    println!("parent: sendmsg: {n} byte + SCM_RIGHTS [file, listener]");
    // The child holds its own copies now; ours are not needed to serve.
    drop((file, listener, ours));
    println!("parent: closed its file and listener");

    let conn = socket(Domain::INET, Type::STREAM, Protocol::DEFAULT)?;
    connect(&conn, &addr)?;
    let mut got = vec![0u8; want.len() + 1];
    let n = readn(&conn, &mut got)?;
    got.truncate(n);
    let status = child.wait()?;
    println!("parent: read {n} bytes from {addr}; child exited with {status}");
    if got != want || !status.success() {
        return Err("the bytes served differ from the file".into());
    }
    println!("parent: the bytes match the file");
    Ok(())
}

fn child() -> Res {
    let pid = std::process::id();
    let stdin = std::io::stdin();
    let mut byte = [0u8; 1];
    let mut cbuf = CmsgBuffer::for_fds(2);
    let mut msg =
        recvmsg(&stdin, &mut [IoSliceMut::new(&mut byte)], Some(&mut cbuf), MsgFlags::empty())?;
    if msg.truncated() {
        return Err("control data cut short (MSG_CTRUNC)".into());
    }
    let mut fds: Vec<OwnedFd> = Vec::new();
    for c in msg.cmsgs() {
        if let ControlMessageOwned::ScmRights(got) = c {
            fds.extend(got);
        }
    }
    let [file, listener]: [OwnedFd; 2] = fds
        .try_into()
        .map_err(|v: Vec<OwnedFd>| format!("expected 2 descriptors, got {}", v.len()))?;
    println!(
        "[child {pid}] recvmsg: {} byte + 2 descriptors (close-on-exec: {})",
        msg.bytes,
        is_cloexec(&file)? && is_cloexec(&listener)?
    );
    let (conn, from) = accept(&listener)?;
    println!("[child {pid}] accepted {from} on the listener it was given");
    let mut file = File::from(file);
    let mut data = Vec::new();
    std::io::Read::read_to_end(&mut file, &mut data)?;
    writen(&conn, &data)?;
    println!("[child {pid}] served {} bytes from the file it was given", data.len());
    std::io::stdout().flush()?;
    Ok(())
}
