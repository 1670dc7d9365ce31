//! Addresses of the families beyond IP and Unix, as the kernel reports them:
//! netlink (netlink(7)), packet sockets on `lo` (packet(7)), vsock (vsock(7)),
//! and `SockAddr::from_bytes` at the edges of what a `sockaddr` can be.
#![cfg(any(target_os = "linux", target_os = "android"))]

use bsdsock::*;

/// Whether a test that needs root or a kernel feature may be skipped: never
/// under CI (root, and a kernel with the feature), where a skip would hide a failure.
fn may_skip(what: &str, err: &Error) -> bool {
    if std::env::var("CI").as_deref() == Ok("true") {
        return false;
    }
    eprintln!("skipped: {what}: {err}");
    true
}

#[test]
fn netlink_route_socket_names_and_the_kernel_as_sender() -> Result<()> {
    // NETLINK_ROUTE is protocol 0.
    let s = socket(Domain::NETLINK, Type::RAW, Protocol::DEFAULT)?;
    bind(&s, &SockAddr::Netlink(SockAddrNl::new(0, 0)))?;
    // pid 0 in bind: the kernel assigns the port ID (netlink(7)).
    let SockAddr::Netlink(me) = getsockname(&s)? else { panic!("not a netlink address") };
    assert_ne!(me.pid(), 0);
    assert_eq!(me.groups(), 0);

    // An RTM_GETLINK dump request: nlmsghdr (16 bytes) then rtgenmsg, padded to 4.
    let mut req = [0u8; 20];
    req[0..4].copy_from_slice(&20u32.to_ne_bytes());
    req[4..6].copy_from_slice(&libc::RTM_GETLINK.to_ne_bytes());
    let flags = (libc::NLM_F_REQUEST | libc::NLM_F_DUMP) as u16;
    req[6..8].copy_from_slice(&flags.to_ne_bytes());
    req[8..12].copy_from_slice(&1u32.to_ne_bytes());
    req[16] = libc::AF_PACKET as u8;
    let kernel = SockAddr::Netlink(SockAddrNl::new(0, 0));
    assert_eq!(sendto(&s, &req, MsgFlags::empty(), &kernel)?, 20);
    let mut buf = vec![0u8; 64 * 1024];
    let (n, from) = recvfrom(&s, &mut buf, MsgFlags::empty())?;
    assert!(n >= 16, "{n}");
    assert_eq!(from, kernel, "the dump comes from the kernel, port ID 0");
    assert_eq!(from.to_string(), "netlink:0:0");
    assert_eq!(from.family(), Domain::NETLINK);
    Ok(())
}

#[test]
fn packet_socket_on_lo_reports_its_link_address() -> Result<()> {
    let lo = if_nametoindex("lo")?;
    let all = libc::ETH_P_ALL as u16;
    let s = match socket(Domain::PACKET, Type::DGRAM, Protocol::from_raw(i32::from(all.to_be()))) {
        Ok(s) => s,
        Err(e) if e.errno() == Some(Errno::EPERM) && may_skip("packet sockets need root", &e) => {
            return Ok(());
        }
        Err(e) => return Err(e),
    };
    bind(&s, &SockAddr::Packet(SockAddrLl::new(all, lo)))?;
    let SockAddr::Packet(me) = getsockname(&s)? else { panic!("not a packet address") };
    assert_eq!((me.ifindex(), me.protocol()), (lo, all));
    assert_eq!(me.hatype(), libc::ARPHRD_LOOPBACK);
    assert_eq!(me.addr(), &[0; 6]); // lo's all-zero MAC
    // What getsockname reported (offsetof(sll_addr) + 6 bytes) binds as it is.
    let again = socket(Domain::PACKET, Type::DGRAM, Protocol::from_raw(0))?;
    bind(&again, &SockAddr::Packet(me))?;

    // A UDP datagram over lo reaches the packet socket with its link address.
    let rx = socket(Domain::INET, Type::DGRAM, Protocol::DEFAULT)?;
    bind(&rx, &"127.0.0.1:0".parse()?)?;
    let tx = socket(Domain::INET, Type::DGRAM, Protocol::DEFAULT)?;
    sendto(&tx, b"over lo", MsgFlags::empty(), &getsockname(&rx)?)?;
    let mut buf = [0u8; 2048];
    let (n, from) = recvfrom(&s, &mut buf, MsgFlags::empty())?;
    assert!(n > 0);
    let SockAddr::Packet(ll) = from else { panic!("{from:?}") };
    assert_eq!(ll.ifindex(), lo);
    assert_eq!(ll.addr().len(), 6);
    assert_eq!(SockAddr::Packet(ll).to_string().parse::<SockAddr>()?, SockAddr::Packet(ll));
    Ok(())
}

#[test]
fn vsock_bind_reports_its_address() -> Result<()> {
    let s = match socket(Domain::VSOCK, Type::STREAM, Protocol::DEFAULT) {
        Ok(s) => s,
        // A kernel without a vsock transport (vsock(7)) may skip, but not CI,
        // whose machines have one: there a skip would hide a failure.
        Err(e) if may_skip("no AF_VSOCK on this kernel", &e) => return Ok(()),
        Err(e) => return Err(e),
    };
    bind(&s, &SockAddr::Vsock(SockAddrVm::new(VMADDR_CID_ANY, VMADDR_PORT_ANY)))?;
    let SockAddr::Vsock(me) = getsockname(&s)? else { panic!("not a vsock address") };
    assert_ne!(me.port(), VMADDR_PORT_ANY, "bind chose a port");
    assert_eq!(SockAddr::Vsock(me).to_string().parse::<SockAddr>()?, SockAddr::Vsock(me));
    Ok(())
}

fn raw(family: i32, len: usize) -> Vec<u8> {
    let mut raw = vec![0u8; len];
    raw[..2].copy_from_slice(&(family as u16).to_ne_bytes());
    raw
}

#[test]
fn from_bytes_at_the_edges() {
    let storage = std::mem::size_of::<libc::sockaddr_storage>();
    // Longer than sockaddr_storage: refused, not read as a 107-NUL abstract name.
    let err = SockAddr::from_bytes(&raw(libc::AF_UNIX, 1000)).unwrap_err();
    assert!(err.to_string().contains("longer than sockaddr_storage"), "{err}");
    assert!(SockAddr::from_bytes(&raw(libc::AF_CAN, storage + 1)).is_err());
    // A family without a type, up to sockaddr_storage: kept byte for byte.
    let can = raw(libc::AF_CAN, storage);
    let a = SockAddr::from_bytes(&can).unwrap();
    assert!(matches!(&a, SockAddr::Other(s) if s.as_bytes() == &can[..]));
    assert_eq!(a.family(), Domain::from_raw(libc::AF_CAN));
    assert_eq!(a.as_bytes(), &can[..]);
    assert_eq!(SockAddr::from_bytes(&raw(45, 2)).unwrap().to_string(), "other:45:");
    // At or above AF_MAX (46 on Linux): no such family.
    for family in [46, 255, 9999] {
        let err = SockAddr::from_bytes(&raw(family, 16)).unwrap_err();
        assert!(err.to_string().contains("AF_MAX"), "{err}");
    }
    // Netlink and vsock have one length.
    assert!(SockAddr::from_bytes(&raw(libc::AF_NETLINK, 11)).is_err());
    assert!(SockAddr::from_bytes(&raw(libc::AF_NETLINK, 13)).is_err());
    assert_eq!(
        SockAddr::from_bytes(&raw(libc::AF_NETLINK, 12)).unwrap(),
        SockAddr::Netlink(SockAddrNl::new(0, 0))
    );
    assert!(SockAddr::from_bytes(&raw(libc::AF_VSOCK, 15)).is_err());
    // Packet: getsockname's offsetof(sll_addr) + halen bytes and recvfrom's
    // padded struct are the same address.
    let mut short = raw(libc::AF_PACKET, 18);
    short[11] = 6;
    short[12..18].copy_from_slice(&[2, 0, 0, 0, 0, 1]);
    let mut padded = short.clone();
    padded.resize(20, 0);
    let a = SockAddr::from_bytes(&short).unwrap();
    assert_eq!(a, SockAddr::from_bytes(&padded).unwrap());
    assert_eq!(a.as_bytes(), &padded[..]);
    assert_eq!(a.to_string(), "packet:0:0x0000:0:0:02:00:00:00:00:01");
    // An InfiniBand-sized hardware address (20 bytes) fits; sll_halen over
    // MAX_ADDR_LEN (32), or more than the bytes given, does not.
    let mut ib = raw(libc::AF_PACKET, 32);
    ib[11] = 20;
    let SockAddr::Packet(ll) = SockAddr::from_bytes(&ib).unwrap() else { panic!() };
    assert_eq!(ll.addr().len(), 20);
    ib[11] = 21;
    assert!(SockAddr::from_bytes(&ib).is_err());
    let mut huge = raw(libc::AF_PACKET, 44);
    huge[11] = 33;
    assert!(SockAddr::from_bytes(&huge).is_err());
    assert!(SockAddr::from_bytes(&raw(libc::AF_PACKET, 11)).is_err());
}

#[test]
fn typed_families_print_and_parse() -> Result<()> {
    assert_eq!("netlink:4294967295:7".parse::<SockAddr>()?.to_string(), "netlink:4294967295:7");
    assert_eq!("packet:1:0x0800".parse::<SockAddr>()?.to_string(), "packet:1:0x0800");
    assert_eq!("packet:1:2048".parse::<SockAddr>()?.to_string(), "packet:1:0x0800");
    assert_eq!("vsock:2:1024".parse::<SockAddr>()?.family(), Domain::VSOCK);
    let mut to_host = SockAddr::Vsock(SockAddrVm::new(2, 1024)).as_bytes().to_vec();
    to_host[12] = 1; // svm_flags = VMADDR_FLAG_TO_HOST
    let a = SockAddr::from_bytes(&to_host)?;
    assert_eq!(a.to_string(), "vsock:2:1024:1");
    assert_eq!("vsock:2:1024:1".parse::<SockAddr>()?, a);
    assert_eq!(format!("{a:?}"), "Vsock(vsock:2:1024:1)");
    assert_eq!(VMADDR_CID_LOCAL, 1);
    assert_eq!(VMADDR_CID_HOST, 2);
    Ok(())
}
