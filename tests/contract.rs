//! The public contract of shared/DESIGN.md, name by name and signature by
//! signature. Tests outside this repository are written against it, so this file
//! fails to compile if a listed name, path, signature or derive goes missing.

mod common;

use std::hash::Hash;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, Shutdown, SocketAddr, TcpListener};
use std::time::Duration;

use bsdsock::netdb::{self, AddrInfo, AddrInfoHints, AiFlags, NiFlags};
// The `_r` resolver calls the crate wraps are glibc's (see README, Platforms).
#[cfg(all(target_os = "linux", target_env = "gnu"))]
use bsdsock::netdb::{HostEnt, ProtoEnt, ServEnt};
use bsdsock::opt::{self, IpMreq, Ipv6Mreq};
#[cfg(target_os = "linux")]
use bsdsock::opt::{IpMreqSource, IpMreqn};
use bsdsock::*;

fn copy_eq_hash_debug<T: Copy + Eq + Hash + std::fmt::Debug>() {}
fn clone_eq_debug<T: Clone + Eq + std::fmt::Debug>() {}
fn error_traits<T: std::fmt::Debug + std::fmt::Display + std::error::Error + Send + Sync>() {}

#[test]
fn derives_and_error_traits() {
    copy_eq_hash_debug::<Domain>();
    copy_eq_hash_debug::<Type>();
    copy_eq_hash_debug::<Protocol>();
    copy_eq_hash_debug::<Errno>();
    copy_eq_hash_debug::<SockAddrIn>();
    copy_eq_hash_debug::<SockAddrIn6>();
    clone_eq_debug::<SockAddr>();
    clone_eq_debug::<SockAddrUn>();
    clone_eq_debug::<SockAddrStorage>();
    #[cfg(any(target_os = "linux", target_os = "android"))]
    {
        copy_eq_hash_debug::<SockAddrNl>();
        copy_eq_hash_debug::<SockAddrLl>();
    }
    #[cfg(any(target_os = "linux", target_os = "android", target_vendor = "apple"))]
    copy_eq_hash_debug::<SockAddrVm>();
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    {
        clone_eq_debug::<HostEnt>();
        clone_eq_debug::<ServEnt>();
        clone_eq_debug::<ProtoEnt>();
    }
    clone_eq_debug::<AddrInfo>();
    error_traits::<Error>();
    let _: fn(Error) -> std::io::Error = std::io::Error::from;
    let e = Error::os("bind", Errno::EADDRINUSE);
    let _: Option<Errno> = e.errno();
    let _: std::io::ErrorKind = e.kind();
    assert_eq!(
        e.to_string(),
        format!("bind: {} (EADDRINUSE)", crate::common::strerror(libc::EADDRINUSE))
    );
    let _: Result<(), Error> = Ok(());
    let _: &'static str = Errno::EINPROGRESS.name();
    let _: Errno = Errno::last();
}

#[test]
fn socket_calls_have_the_listed_signatures() -> Result<()> {
    let _: Domain = Domain::LOCAL;
    let _ = (Domain::INET, Domain::INET6, Domain::UNIX, Domain::UNSPEC);
    let _ = (Domain::from_raw(2).as_raw(), Type::RAW, Type::SEQPACKET);
    #[cfg(not(target_vendor = "apple"))]
    let _ = Type::STREAM.nonblocking();
    let _ = (Protocol::DEFAULT, Protocol::TCP, Protocol::UDP, Protocol::ICMPV4, Protocol::ICMPV6);
    let _ = MsgFlags::OOB | MsgFlags::PEEK | MsgFlags::DONTROUTE | MsgFlags::WAITALL;
    let _ = MsgFlags::DONTWAIT | MsgFlags::TRUNC | MsgFlags::CTRUNC | MsgFlags::EOR;
    let _: i32 = SOMAXCONN;

    let l: Socket = socket(Domain::INET, Type::STREAM, Protocol::DEFAULT)?;
    let a: SockAddr = "127.0.0.1:0".parse()?;
    let r: Result<()> = bind(&l, &a);
    r?;
    listen(&l, SOMAXCONN)?;
    let c = socket(Domain::INET, Type::STREAM, Protocol::DEFAULT)?;
    let r: Result<()> = connect(&c, &getsockname(&l)?);
    r?;
    let (conn, peer): (Socket, SockAddr) = accept(&l)?;
    let c4 = socket(Domain::INET, Type::STREAM, Protocol::DEFAULT)?;
    connect(&c4, &getsockname(&l)?)?;
    let _ = AcceptFlags::NONBLOCK | AcceptFlags::CLOEXEC;
    let (_, _): (Socket, SockAddr) = accept4(&l, AcceptFlags::NONBLOCK)?;
    let _: Socket = conn.try_clone()?;
    let _: bsdsock::Shutdown = Shutdown::Read;
    let _: SockAddr = getpeername(&c)?;
    assert_eq!(peer, getsockname(&c)?);
    let n: usize = send(&c, b"x", MsgFlags::empty())?;
    let mut buf = [0u8; 4];
    let m: usize = recv(&conn, &mut buf, MsgFlags::empty())?;
    assert_eq!(n, m);
    let _: usize = sendto(&conn, b"y", MsgFlags::empty(), &SockAddr::Unspec)?;
    let (_, _): (usize, SockAddr) = recvfrom(&c, &mut buf, MsgFlags::empty())?;
    shutdown(&c, Shutdown::Both)?;
    let (p, q): (Socket, Socket) = socketpair(Domain::UNIX, Type::STREAM, Protocol::DEFAULT)?;
    let r: Result<()> = close(p);
    r?;
    // Methods with the same names.
    q.shutdown(Shutdown::Write)?;
    let _ = (q.getsockname()?, q.getpeername()?);
    // Works on std sockets too.
    let std_l = TcpListener::bind("127.0.0.1:0").map_err(|_| Error::os("bind", Errno::EIO))?;
    let _ = getsockname(&std_l)?;
    // Options through the Socket.
    l.set(opt::SO_REUSEADDR, true)?;
    assert!(l.get(opt::SO_REUSEADDR)?);
    Ok(())
}

#[test]
fn addresses_have_the_listed_api() -> Result<()> {
    let v4 = SockAddrIn::new(Ipv4Addr::LOCALHOST, 80);
    let _: (Ipv4Addr, u16) = (v4.ip(), v4.port());
    let v6 = SockAddrIn6::new(Ipv6Addr::LOCALHOST, 80, 1, 2);
    let _: (Ipv6Addr, u16, u32, u32) = (v6.ip(), v6.port(), v6.flowinfo(), v6.scope_id());
    let un: SockAddrUn = SockAddrUn::new("/tmp/x")?;
    #[cfg(any(target_os = "linux", target_os = "android"))]
    let ab: SockAddrUn = SockAddrUn::new_abstract(b"x")?;
    let unnamed: SockAddrUn = SockAddrUn::unnamed();
    let _: Option<&std::path::Path> = un.path();
    #[cfg(any(target_os = "linux", target_os = "android"))]
    let _: Option<&[u8]> = ab.abstract_name();
    assert!(unnamed.is_unnamed());
    for a in [SockAddr::Unspec, SockAddr::Inet(v4), SockAddr::Inet6(v6), SockAddr::Unix(un)] {
        let _: Domain = a.family();
        let b: &[u8] = a.as_bytes();
        let back: SockAddr = SockAddr::from_bytes(b)?;
        assert_eq!(back, a);
        let text = a.to_string();
        assert_eq!(text.parse::<SockAddr>()?.to_string(), text);
    }
    let std_addr: SocketAddr = "[::1]:9".parse().unwrap();
    let s: SockAddr = std_addr.into();
    let back: SocketAddr = SocketAddr::try_from(s)?;
    assert_eq!(back, std_addr);
    let _: SockAddr = SockAddr::from(std::net::SocketAddrV4::new(Ipv4Addr::LOCALHOST, 1));
    let _: SockAddr = SockAddr::from(std::net::SocketAddrV6::new(Ipv6Addr::LOCALHOST, 1, 0, 0));
    let _: SockAddr = SockAddr::from(v4);
    let _: SockAddr = SockAddr::from(v6);
    let _: SockAddr = SockAddr::from(un);
    let std_un = std::os::unix::net::UnixDatagram::unbound().unwrap().local_addr().unwrap();
    let _: SockAddr = SockAddr::from(&std_un);

    // The other families: typed on Linux (vsock also on Apple), any other one
    // kept as its bytes.
    #[cfg(any(target_os = "linux", target_os = "android"))]
    {
        let nl = SockAddrNl::new(0, 1);
        let _: (u32, u32) = (nl.pid(), nl.groups());
        let ll = SockAddrLl::new(0x0800, 1);
        let _: (u16, u32, u16, u8, &[u8]) =
            (ll.protocol(), ll.ifindex(), ll.hatype(), ll.pkttype(), ll.addr());
        let _: u32 = VMADDR_CID_LOCAL;
        for a in [SockAddr::Netlink(nl), SockAddr::Packet(ll)] {
            assert_eq!(SockAddr::from_bytes(a.as_bytes())?, a);
            assert_eq!(a.to_string().parse::<SockAddr>()?, a);
        }
        let _: Domain = Domain::NETLINK;
        let _: Domain = Domain::PACKET;
    }
    #[cfg(any(target_os = "linux", target_os = "android", target_vendor = "apple"))]
    {
        let vm = SockAddrVm::new(VMADDR_CID_HOST, 1024);
        let _: (u32, u32) = (vm.cid(), vm.port());
        let _: (u32, u32) = (VMADDR_CID_ANY, VMADDR_PORT_ANY);
        let a = SockAddr::Vsock(vm);
        assert_eq!(a.family(), Domain::VSOCK);
        assert_eq!(a.to_string().parse::<SockAddr>()?, a);
    }
    #[cfg(target_os = "linux")]
    {
        let mut raw = vec![0u8; 16];
        raw[..2].copy_from_slice(&29u16.to_ne_bytes()); // AF_CAN
        let SockAddr::Other(o) = SockAddr::from_bytes(&raw)? else {
            panic!("AF_CAN is kept as SockAddr::Other")
        };
        let _: (Domain, &[u8]) = (o.family(), o.as_bytes());
        let _: SockAddrStorage = o.clone();
    }
    assert!(SockAddr::from_bytes(&[0u8; 1000]).is_err());

    let _: IpAddr = inet_pton(Domain::INET6, "::1")?;
    let _: String = inet_ntop(IpAddr::V4(Ipv4Addr::LOCALHOST));
    let _: Option<Ipv4Addr> = inet_aton("127.1");
    let _: u32 = inet_addr("255.255.255.255")?;
    let _: String = inet_ntoa(Ipv4Addr::LOCALHOST);
    let lo: u32 = if_nametoindex("lo")?;
    let _: String = if_indextoname(lo)?;
    let _: Vec<(u32, String)> = if_nameindex()?;
    const P: u16 = htons(1);
    const L: u32 = htonl(1);
    const _: (u16, u32) = (ntohs(P), ntohl(L));
    let _: (Ipv4Addr, Ipv4Addr, Ipv4Addr) = (INADDR_ANY, INADDR_LOOPBACK, INADDR_BROADCAST);
    let _: (Ipv6Addr, Ipv6Addr) = (IN6ADDR_ANY, IN6ADDR_LOOPBACK);
    Ok(())
}

#[test]
fn options_have_the_listed_api() -> Result<()> {
    let s = socket(Domain::INET, Type::DGRAM, Protocol::DEFAULT)?;
    opt::setsockopt(&s, opt::SO_REUSEADDR, true)?;
    setsockopt(&s, opt::SO_REUSEADDR, true)?;
    let _: usize = getsockopt(&s, opt::SO_RCVBUF)?;
    let _: Option<Duration> = opt::getsockopt(&s, opt::SO_LINGER)?;
    let _: Option<Duration> = getsockopt(&s, opt::SO_RCVTIMEO)?;
    let _: Option<Errno> = getsockopt(&s, opt::SO_ERROR)?;
    let _: Type = getsockopt(&s, opt::SO_TYPE)?;
    let _: Ipv4Addr = getsockopt(&s, opt::IP_MULTICAST_IF)?;
    let mut buf = [0u8; 4];
    let _: usize = opt::getsockopt_raw(&s, libc::SOL_SOCKET, libc::SO_TYPE, &mut buf)?;
    opt::setsockopt_raw(&s, libc::SOL_SOCKET, libc::SO_REUSEADDR, &1i32.to_ne_bytes())?;
    let _ = getsockopt_raw(&s, libc::SOL_SOCKET, libc::SO_TYPE, &mut buf)?;
    setsockopt_raw(&s, libc::SOL_SOCKET, libc::SO_REUSEADDR, &1i32.to_ne_bytes())?;
    let _ = IpMreq { multiaddr: Ipv4Addr::new(239, 1, 2, 3), interface: Ipv4Addr::LOCALHOST };
    let _ = Ipv6Mreq { multiaddr: "ff02::1".parse().unwrap(), interface: 0 };
    #[cfg(target_os = "linux")]
    let _ = std::mem::size_of::<(IpMreqn, IpMreqSource)>();
    Ok(())
}

/// The `gethostbyname` family (glibc's `_r` forms).
#[cfg(all(target_os = "linux", target_env = "gnu"))]
#[test]
fn resolver_ent_calls_have_the_listed_api() -> Result<()> {
    let h: HostEnt = netdb::gethostbyname("localhost")?;
    let _: (&String, &Vec<String>, Domain, &Vec<IpAddr>) =
        (&h.name, &h.aliases, h.addrtype, &h.addr_list);
    let _: Option<IpAddr> = h.addr();
    let _: HostEnt = netdb::gethostbyname2("127.0.0.1", Domain::INET)?;
    let _: HostEnt = netdb::gethostbyaddr(IpAddr::V4(Ipv4Addr::LOCALHOST))?;
    let _: String = netdb::gethostname()?;
    let sv: ServEnt = netdb::getservbyname("http", Some("tcp"))?;
    let _: (&String, &Vec<String>, u16, &String) = (&sv.name, &sv.aliases, sv.port, &sv.proto);
    let _: ServEnt = netdb::getservbyport(80, None)?;
    let pr: ProtoEnt = netdb::getprotobyname("tcp")?;
    let _: (&String, &Vec<String>, i32) = (&pr.name, &pr.aliases, pr.proto);
    let _: ProtoEnt = netdb::getprotobynumber(17)?;
    Ok(())
}

#[test]
fn resolver_has_the_listed_api() -> Result<()> {
    let _: String = netdb::gethostname()?;
    let hints = AddrInfoHints { flags: AiFlags::NUMERICHOST, ..AddrInfoHints::default() };
    let _ = (AiFlags::PASSIVE, AiFlags::CANONNAME, AiFlags::NUMERICSERV, AiFlags::ADDRCONFIG);
    #[cfg(not(any(target_os = "netbsd", target_os = "openbsd")))]
    let _ = (AiFlags::V4MAPPED, AiFlags::ALL);
    let _ = (NiFlags::NUMERICHOST, NiFlags::NUMERICSERV, NiFlags::NOFQDN, NiFlags::NAMEREQD);
    let _ = NiFlags::DGRAM;
    let d = AddrInfoHints::default();
    assert_eq!(
        (d.flags, d.family, d.protocol),
        (AiFlags::empty(), Domain::UNSPEC, Protocol::DEFAULT)
    );
    let list: Vec<AddrInfo> = netdb::getaddrinfo(Some("127.0.0.1"), Some("80"), &hints)?;
    let ai = &list[0];
    let _: (Domain, Type, Protocol, &SockAddr, &Option<String>) =
        (ai.family, ai.socktype, ai.protocol, &ai.addr, &ai.canonname);
    let (_, _): (String, String) = netdb::getnameinfo(&ai.addr, NiFlags::NUMERICHOST)?;
    let l: Socket = netdb::tcp_listen(Some("127.0.0.1"), "0", 5)?;
    let port = getsockname(&l)?.port().unwrap().to_string();
    let _: Socket = netdb::tcp_connect("127.0.0.1", &port)?;
    let _: Socket = netdb::tcp_connect_timeout("127.0.0.1", &port, Duration::from_secs(5))?;
    Ok(())
}

#[test]
fn io_nonblocking_and_polling_have_the_listed_api() -> Result<()> {
    let (a, b) = socketpair(Domain::UNIX, Type::STREAM, Protocol::DEFAULT)?;
    let _: usize = writen(&a, b"abcd")?;
    let mut buf = [0u8; 4];
    let _: usize = readn(&b, &mut buf)?;
    set_nonblocking(&a, true)?;
    let _: bool = is_nonblocking(&a)?;
    set_nonblocking(&a, false)?;
    let l = socket(Domain::INET, Type::STREAM, Protocol::DEFAULT)?;
    l.bind(&"127.0.0.1:0".parse()?)?;
    l.listen(1)?;
    let c = socket(Domain::INET, Type::STREAM, Protocol::DEFAULT)?;
    let r: Result<()> = connect_timeout(&c, &l.getsockname()?, Duration::from_secs(5));
    r?;
    let mut fds = [PollFd::new(a.as_fd_for_contract(), PollFlags::OUT)];
    let _ = (PollFlags::IN, PollFlags::PRI, PollFlags::ERR, PollFlags::HUP, PollFlags::NVAL);
    #[cfg(any(target_os = "linux", target_os = "android"))]
    let _ = PollFlags::RDHUP;
    let n: usize = poll(&mut fds, Some(Duration::from_secs(1)))?;
    assert_eq!(n, 1);
    assert!(fds[0].revents().contains(PollFlags::OUT));
    let mut set = FdSet::new();
    let r: Result<()> = set.insert(&b);
    r?;
    let _: bool = set.contains(&b);
    let _ = set.iter().count();
    set.remove(&b);
    set.clear();
    let mut w = FdSet::new();
    w.insert(&a)?;
    let n: usize = select(None, Some(&mut w), None, Some(Duration::from_secs(1)))?;
    assert_eq!(n, 1);
    Ok(())
}

/// `PollFd::new` takes a `BorrowedFd`: this spells out `fd.as_fd()` as DESIGN does.
trait AsFdForContract {
    fn as_fd_for_contract(&self) -> std::os::fd::BorrowedFd<'_>;
}
impl AsFdForContract for Socket {
    fn as_fd_for_contract(&self) -> std::os::fd::BorrowedFd<'_> {
        std::os::fd::AsFd::as_fd(self)
    }
}

#[test]
fn messages_have_the_listed_api() -> Result<()> {
    use std::io::{IoSlice, IoSliceMut};
    use std::os::fd::{BorrowedFd, OwnedFd};
    let (a, b) = socketpair(Domain::UNIX, Type::DGRAM, Protocol::DEFAULT)?;
    let f = std::fs::File::open("/dev/null").unwrap();
    let fds: [BorrowedFd<'_>; 1] = [std::os::fd::AsFd::as_fd(&f)];
    let cmsgs: [ControlMessage<'_>; 2] = [
        ControlMessage::ScmRights(&fds),
        ControlMessage::Raw { level: libc::SOL_SOCKET, ty: libc::SCM_RIGHTS, data: &[] },
    ];
    let n: usize =
        sendmsg(&a, &[IoSlice::new(b"x")], &cmsgs[..1], MsgFlags::empty(), None::<&SockAddr>)?;
    assert_eq!(n, 1);
    let _: usize = CMSG_SPACE(4) + CMSG_LEN(4);
    let mut cb: CmsgBuffer = CmsgBuffer::for_fds(1);
    let _ = CmsgBuffer::with_capacity(64);
    let mut buf = [0u8; 4];
    let mut m: RecvMsg<'_> =
        recvmsg(&b, &mut [IoSliceMut::new(&mut buf)], Some(&mut cb), MsgFlags::empty())?;
    let (_, _, _): (usize, SockAddr, MsgFlags) = (m.bytes, m.addr.clone(), m.flags);
    let _: bool = m.truncated();
    let got: Vec<ControlMessageOwned> = m.cmsgs().collect();
    assert!(matches!(&got[..], [ControlMessageOwned::ScmRights(v)] if v.len() == 1));
    let _: Option<&Vec<OwnedFd>> = None;
    let _ = ControlMessageOwned::Truncated { level: 0, ty: 0 };
    let _ = ControlMessageOwned::Unknown { level: 0, ty: 0, data: vec![] };
    let _: ControlMessages<'_> = ControlMessages::new(&[]);
    #[cfg(target_os = "linux")]
    {
        use std::net::{Ipv4Addr, Ipv6Addr};
        use std::time::SystemTime;
        let p = InPktinfo { ifindex: 0, spec_dst: Ipv4Addr::LOCALHOST, addr: Ipv4Addr::LOCALHOST };
        let p6 = In6Pktinfo { addr: Ipv6Addr::LOCALHOST, ifindex: 0 };
        let cred = opt::UCred { pid: 0, uid: 0, gid: 0 };
        let _ = [
            ControlMessage::ScmCredentials(cred),
            ControlMessage::IpPktinfo(p),
            ControlMessage::Ipv6Pktinfo(p6),
            ControlMessage::IpTtl(1),
            ControlMessage::IpTos(0),
            ControlMessage::Ipv6Hoplimit(1),
            ControlMessage::Ipv6Tclass(0),
            ControlMessage::UdpSegment(1200),
            ControlMessage::ScmTxtime(0),
            ControlMessage::SoMark(0),
        ];
        let e = SockExtendedErr {
            errno: Errno::ECONNREFUSED,
            origin: 0,
            r#type: 0,
            code: 0,
            info: 0,
            data: 0,
            offender: None,
        };
        let ts = Timestamping { software: None, legacy: None, hardware: None };
        let now = SystemTime::now();
        let sin = SockAddrIn::new(Ipv4Addr::LOCALHOST, 1);
        let sin6 = SockAddrIn6::new(Ipv6Addr::LOCALHOST, 1, 0, 0);
        let _ = [
            ControlMessageOwned::ScmCredentials(cred),
            ControlMessageOwned::ScmTimestamp(now),
            ControlMessageOwned::ScmTimestampns(now),
            ControlMessageOwned::ScmTimestamping(ts),
            ControlMessageOwned::IpPktinfo(p),
            ControlMessageOwned::Ipv6Pktinfo(p6),
            ControlMessageOwned::IpTtl(1),
            ControlMessageOwned::IpTos(0),
            ControlMessageOwned::Ipv6Hoplimit(1),
            ControlMessageOwned::Ipv6Tclass(0),
            ControlMessageOwned::IpOrigdstaddr(sin),
            ControlMessageOwned::Ipv6Origdstaddr(sin6),
            ControlMessageOwned::UdpGro(1200),
            ControlMessageOwned::SoRxqOvfl(0),
            ControlMessageOwned::IpRecverr(e.clone()),
            ControlMessageOwned::Ipv6Recverr(e),
        ];
        let _ = (MsgFlags::WAITFORONE, MsgFlags::ERRQUEUE, MsgFlags::CMSG_CLOEXEC);
        let iov = [IoSlice::new(b"y")];
        let out = [MsgOut { iov: &iov, addr: None, cmsgs: &[] }];
        let n: usize = sendmmsg(&a, &out, MsgFlags::empty())?;
        assert_eq!(n, 1);
        let mut batch: RecvBatch = RecvBatch::new(4, 16, CMSG_SPACE(4));
        let n: usize = recvmmsg(&b, &mut batch, MsgFlags::empty(), Some(Duration::from_secs(5)))?;
        assert_eq!(n, 1);
        for m in batch.iter() {
            let (_, _, _): (&[u8], SockAddr, MsgFlags) = (m.data, m.msg.addr.clone(), m.msg.flags);
        }
    }
    Ok(())
}
