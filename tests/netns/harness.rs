//! The lab: network namespaces and veth pairs built with `ip` (iproute2) for one
//! test, and removed when it ends, whether it passes, fails or panics.
//!
//! Names are `bsdsock-<pid>-<n>-<role>`: unique per process (the pid) and per
//! lab (a counter), so tests running in parallel, and test binaries running at
//! the same time, never touch each other's namespaces. Interfaces are created
//! directly inside their namespace (`ip link add NAME netns NS type veth peer
//! name PEER netns NS2`), so their names need only be unique within a namespace
//! and none ever appears in the host's own: deleting a namespace deletes them.
//! A process that died without cleaning up (SIGKILL, a harness timeout) leaves
//! namespaces whose pid no longer exists; the first lab of a run deletes those.
//!
//! Code runs inside a namespace on a thread of its own that `setns(2)`s into it
//! ([`Ns::run`]): a socket belongs to the namespace it was created in, so sockets
//! made there can then be used from any thread. The test's own thread never
//! changes namespace.

use std::fs::File;
use std::io::Write;
use std::os::fd::AsRawFd;
use std::process::{Command, Stdio};
use std::sync::Once;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::thread;
use std::time::{Duration, Instant};

use bsdsock::opt::TcpState;

/// The first part of every namespace name the tests (and examples/dead_peer.rs)
/// create.
pub const PREFIX: &str = "bsdsock-";

/// Where `ip netns add` keeps a namespace alive (a bind mount of its nsfs inode).
pub const NETNS_DIR: &str = "/run/netns";

/// Why this machine cannot build a lab, if it cannot: not root, no `ip`, or
/// `ip netns add` refused (a container without CAP_SYS_ADMIN).
fn missing_prerequisite() -> Option<String> {
    // SAFETY: geteuid has no preconditions and cannot fail.
    if unsafe { libc::geteuid() } != 0 {
        return Some("network-namespace tests need root (ip netns add, ip link add)".into());
    }
    match Command::new("ip").arg("-V").stdout(Stdio::null()).stderr(Stdio::null()).status() {
        Ok(s) if s.success() => None,
        Ok(s) => Some(format!("`ip -V` failed ({s}): iproute2 is broken here")),
        Err(e) => Some(format!("no `ip` command (iproute2): {e}")),
    }
}

/// Skips the calling test with `why` printed, or fails it under CI, where every
/// prerequisite must be present.
pub fn skip(why: &str) {
    assert!(std::env::var("CI").as_deref() != Ok("true"), "cannot skip under CI: {why}");
    eprintln!("skipped: {why}");
}

/// Runs `ip ARGS`; the error is its stderr.
pub fn ip_try(args: &[&str]) -> Result<(), String> {
    let out = Command::new("ip")
        .args(args)
        .stdin(Stdio::null())
        .output()
        .map_err(|e| format!("cannot run ip: {e}"))?;
    if out.status.success() {
        Ok(())
    } else {
        Err(format!("ip {}: {}", args.join(" "), String::from_utf8_lossy(&out.stderr).trim()))
    }
}

/// Runs `ip ARGS`, failing the test if it fails.
pub fn ip(args: &[&str]) {
    if let Err(e) = ip_try(args) {
        panic!("{e}");
    }
}

/// The names of the namespaces that exist now, from `ip netns list`'s directory.
pub fn namespaces() -> Vec<String> {
    let Ok(dir) = std::fs::read_dir(NETNS_DIR) else { return Vec::new() };
    dir.flatten().filter_map(|e| e.file_name().into_string().ok()).collect()
}

/// The pid in a name `bsdsock-<pid>-...`, if the name is one of ours.
fn pid_of(name: &str) -> Option<u32> {
    name.strip_prefix(PREFIX)?.split('-').next()?.parse().ok()
}

/// Deletes every `bsdsock-<pid>-...` namespace whose process is gone; returns
/// their names. Those of live processes (this one, a parallel run, a running
/// example) are left alone.
pub fn sweep_stale() -> Vec<String> {
    let mut swept = Vec::new();
    for name in namespaces() {
        let Some(pid) = pid_of(&name) else { continue };
        if std::path::Path::new(&format!("/proc/{pid}")).exists() {
            continue;
        }
        if ip_try(&["netns", "del", &name]).is_ok() {
            swept.push(name);
        }
    }
    swept
}

/// A namespace of a lab, named `bsdsock-<pid>-<n>-<role>`.
pub struct Ns {
    pub name: String,
}

impl Ns {
    /// `ip -n NAME ARGS`.
    pub fn ip(&self, args: &[&str]) {
        let mut all = vec!["-n", &self.name];
        all.extend_from_slice(args);
        ip(&all);
    }

    /// Runs `f` on a new thread that has entered this namespace, and returns
    /// what it returns (a panic in `f` is this call's panic). Sockets `f` creates
    /// stay in this namespace wherever they are used afterwards.
    pub fn run<R: Send>(&self, f: impl FnOnce() -> R + Send) -> R {
        thread::scope(|s| {
            let h = s.spawn(|| {
                enter(&self.name);
                f()
            });
            match h.join() {
                Ok(r) => r,
                Err(payload) => std::panic::resume_unwind(payload),
            }
        })
    }

    /// Waits (at most 10 s) until `ifname`'s operational state is UP. The
    /// kernel's link watcher sets it when it activates the device's queueing
    /// discipline, asynchronously after `ip link set up`, and later still while
    /// other namespaces are being torn down (both take the RTNL lock); until
    /// then every packet sent on the device is dropped, so the first SYN or
    /// datagram of a test would be lost.
    pub fn wait_running(&self, ifname: &str) {
        let up = || {
            let out = Command::new("ip")
                .args(["-n", &self.name, "-o", "link", "show", "dev", ifname])
                .output()
                .expect("run ip");
            String::from_utf8_lossy(&out.stdout).contains(" state UP ")
        };
        assert!(wait_until(Duration::from_secs(10), up), "{ifname} in {} never came up", self.name);
    }

    /// The interface index of `ifname` in this namespace (`if_nametoindex`,
    /// which asks the kernel through a socket of the calling thread's namespace).
    pub fn ifindex(&self, ifname: &str) -> u32 {
        self.run(|| bsdsock::if_nametoindex(ifname).unwrap())
    }

    /// The IPv4 TCP connections of this namespace as netstat shows them (its
    /// `/proc/net/tcp`): local address, remote address, state.
    pub fn tcp_table(&self) -> Vec<(std::net::SocketAddrV4, std::net::SocketAddrV4, TcpState)> {
        // /proc/self/net is the namespace of the process's main thread; the
        // calling thread's is /proc/thread-self/net.
        let text = self.run(|| std::fs::read_to_string("/proc/thread-self/net/tcp").unwrap());
        text.lines().skip(1).filter_map(parse_proc_tcp).collect()
    }
}

/// One row of /proc/net/tcp: `sl local rem st ...`, addresses as
/// `HEXADDR:HEXPORT` (the address is the network-order u32 printed as a native
/// integer), the state in hex.
fn parse_proc_tcp(
    line: &str,
) -> Option<(std::net::SocketAddrV4, std::net::SocketAddrV4, TcpState)> {
    let mut f = line.split_whitespace().skip(1);
    let addr = |field: &str| {
        let (ip, port) = field.split_once(':')?;
        let ip = u32::from_str_radix(ip, 16).ok()?;
        let port = u16::from_str_radix(port, 16).ok()?;
        Some(std::net::SocketAddrV4::new(ip.to_ne_bytes().into(), port))
    };
    let local = addr(f.next()?)?;
    let remote = addr(f.next()?)?;
    let state = i32::from_str_radix(f.next()?, 16).ok()?;
    Some((local, remote, TcpState::from_raw(state)))
}

/// Moves the calling thread into the namespace `name`.
fn enter(name: &str) {
    let f = File::open(format!("{NETNS_DIR}/{name}"))
        .unwrap_or_else(|e| panic!("open {NETNS_DIR}/{name}: {e}"));
    // SAFETY: f is an open nsfs descriptor for the duration of the call; setns
    // changes only the calling thread's network namespace.
    let rc = unsafe { libc::setns(f.as_raw_fd(), libc::CLONE_NEWNET) };
    assert_eq!(rc, 0, "setns({name}): {}", std::io::Error::last_os_error());
}

/// Writes a sysctl of the calling thread's network namespace.
fn sysctl(path: &str, value: &str) {
    let full = format!("/proc/sys/net/{path}");
    let mut f = std::fs::OpenOptions::new()
        .write(true)
        .open(&full)
        .unwrap_or_else(|e| panic!("open {full}: {e}"));
    f.write_all(value.as_bytes()).unwrap_or_else(|e| panic!("write {full}: {e}"));
}

/// The namespaces of one test. Dropping it deletes them (and with them every
/// interface inside), also while the test unwinds from a failure.
pub struct Lab {
    spaces: Vec<Ns>,
}

impl Lab {
    /// A namespace per role, each with `lo` up and IPv6 duplicate address
    /// detection off (so that an address is usable the moment it is added), or
    /// `None` with the reason printed when this machine cannot build one (a
    /// failure under CI).
    pub fn new(roles: &[&str]) -> Option<Lab> {
        static SWEEP: Once = Once::new();
        static LABS: AtomicUsize = AtomicUsize::new(0);
        if let Some(why) = missing_prerequisite() {
            skip(&why);
            return None;
        }
        SWEEP.call_once(|| {
            for name in sweep_stale() {
                eprintln!("deleted the stale namespace {name} of a process that is gone");
            }
        });
        let n = LABS.fetch_add(1, Ordering::Relaxed);
        let pid = std::process::id();
        let mut lab = Lab { spaces: Vec::new() };
        for role in roles {
            let name = format!("{PREFIX}{pid}-{n}-{role}");
            if let Err(e) = ip_try(&["netns", "add", &name]) {
                if lab.spaces.is_empty() {
                    skip(&format!("cannot create a network namespace: {e}"));
                    return None;
                }
                panic!("{e}");
            }
            lab.spaces.push(Ns { name });
            let ns = lab.spaces.last().expect("just pushed");
            ns.ip(&["link", "set", "lo", "up"]);
            ns.run(|| {
                for conf in ["all", "default"] {
                    sysctl(&format!("ipv6/conf/{conf}/accept_dad"), "0");
                }
            });
        }
        Some(lab)
    }

    /// The namespace of `role`.
    pub fn ns(&self, role: &str) -> &Ns {
        let suffix = format!("-{role}");
        self.spaces
            .iter()
            .find(|n| n.name.ends_with(&suffix))
            .unwrap_or_else(|| panic!("no namespace for role {role}"))
    }

    /// A veth pair: `a_if` in `a`, `b_if` in `b`, both up, with `mtu` if given.
    pub fn veth(&self, a: &Ns, a_if: &str, b: &Ns, b_if: &str, mtu: Option<u32>) {
        let mtu = mtu.map(|m| m.to_string());
        let mut args = vec!["link", "add", a_if, "netns", &a.name];
        if let Some(m) = &mtu {
            args.extend(["mtu", m]);
        }
        args.extend(["type", "veth", "peer", "name", b_if, "netns", &b.name]);
        if let Some(m) = &mtu {
            args.extend(["mtu", m]);
        }
        ip(&args);
        a.ip(&["link", "set", a_if, "up"]);
        b.ip(&["link", "set", b_if, "up"]);
        a.wait_running(a_if);
        b.wait_running(b_if);
    }

    /// The names of this lab's namespaces.
    pub fn names(&self) -> Vec<String> {
        self.spaces.iter().map(|n| n.name.clone()).collect()
    }
}

impl Drop for Lab {
    fn drop(&mut self) {
        for ns in &self.spaces {
            // A failure here must not turn an unwinding test into an abort.
            if let Err(e) = ip_try(&["netns", "del", &ns.name]) {
                eprintln!("cleanup: {e}");
            }
        }
    }
}

/// `addr/len` on `ifname` in `ns`. An IPv6 address gets `nodad` (no duplicate
/// address detection), and the call waits (at most 10 s) until the host has
/// joined the address's solicited-node multicast group: the kernel does that
/// later, from a work queue that waits for the RTNL lock, and until then it
/// ignores the neighbour solicitations for the address, so that nobody on the
/// link can reach it (for seconds, while other namespaces are being deleted).
pub fn addr(ns: &Ns, ifname: &str, cidr: &str) {
    if !cidr.contains(':') {
        ns.ip(&["addr", "add", cidr, "dev", ifname]);
        return;
    }
    ns.ip(&["-6", "addr", "add", cidr, "dev", ifname, "nodad"]);
    let ip: std::net::Ipv6Addr = cidr.split('/').next().unwrap().parse().unwrap();
    let s = ip.segments();
    // ff02::1:ffXX:XXXX, XX:XXXX the address's low 24 bits (RFC 4291 2.7.1).
    let group = std::net::Ipv6Addr::new(0xff02, 0, 0, 0, 0, 1, 0xff00 | (s[6] & 0xff), s[7]);
    let needle = format!("inet6 {group}");
    let joined = || {
        let out = Command::new("ip")
            .args(["-n", &ns.name, "-6", "maddr", "show", "dev", ifname])
            .output()
            .expect("run ip");
        String::from_utf8_lossy(&out.stdout).contains(&needle)
    };
    assert!(wait_until(Duration::from_secs(10), joined), "{ifname} never joined {group}");
}

/// The MAC address of `ifname` in `ns`, as `ip link` shows it (/sys/class/net
/// would show the namespace /sys was mounted in, not the caller's).
pub fn mac(ns: &Ns, ifname: &str) -> String {
    let out = Command::new("ip")
        .args(["-n", &ns.name, "-o", "link", "show", ifname])
        .output()
        .expect("run ip");
    let text = String::from_utf8_lossy(&out.stdout);
    text.split_whitespace()
        .skip_while(|w| *w != "link/ether")
        .nth(1)
        .unwrap_or_else(|| panic!("no MAC for {ifname} in {}: {text}", ns.name))
        .to_string()
}

/// Waits (at most `limit`) for `done` to hold, checking every 5 ms.
pub fn wait_until(limit: Duration, mut done: impl FnMut() -> bool) -> bool {
    let deadline = Instant::now() + limit;
    loop {
        if done() {
            return true;
        }
        if Instant::now() >= deadline {
            return false;
        }
        thread::sleep(Duration::from_millis(5));
    }
}

/// `call` again while it fails with EINTR (at most 100 times). A blocking call
/// on a socket with SO_RCVTIMEO is not restarted after an interruption, even
/// one the program never sees, such as being stopped and continued: the kernel
/// returns EINTR instead of restarting a call with a timeout.
pub fn retry_eintr<T>(mut call: impl FnMut() -> bsdsock::Result<T>) -> bsdsock::Result<T> {
    let mut left = 100;
    loop {
        match call() {
            Err(e) if e.errno() == Some(bsdsock::Errno::EINTR) && left > 0 => left -= 1,
            other => return other,
        }
    }
}
