//! UDP across a veth: (d) SO_BINDTODEVICE and IP_PKTINFO name the interface a
//! datagram came in on; (e) over a 1,280-byte-MTU link IP_MTU reads 1280 and a
//! don't-fragment datagram that does not fit fails with EMSGSIZE; (f) a
//! multicast datagram reaches a member in another namespace (ip(7), ipv6(7);
//! Stevens' UNP Vol. 1 chapters 21 and 22).

use std::io::IoSliceMut;
use std::net::{Ipv4Addr, SocketAddr};
use std::os::fd::AsFd;
use std::time::Duration;

use bsdsock::opt::{
    IP_ADD_MEMBERSHIP, IP_MTU, IP_MTU_DISCOVER, IP_MULTICAST_IF, IP_PKTINFO, IPV6_DONTFRAG,
    IPV6_MTU, IpMreq, PmtuDisc, SO_BINDTODEVICE, SO_RCVTIMEO,
};
use bsdsock::{
    CmsgBuffer, ControlMessageOwned, Errno, InPktinfo, MsgFlags, PollFd, PollFlags, Protocol,
    SockAddr, Socket, Type, poll, recvmsg, socket,
};

use crate::harness::{Lab, addr, retry_eintr};

/// A UDP socket of `local`'s family; bound to `local` unless `device` is given,
/// in which case SO_BINDTODEVICE comes first (it must precede bind to let two
/// sockets share a port on different devices). Receives are bounded by 5 s.
fn udp(local: &str, device: Option<&str>) -> Socket {
    let a: SockAddr = local.parse().unwrap();
    let s = socket(a.family(), Type::DGRAM, Protocol::DEFAULT).unwrap();
    if let Some(dev) = device {
        s.set(SO_BINDTODEVICE, dev).unwrap();
    }
    s.bind(&a).unwrap();
    s.set(SO_RCVTIMEO, Some(Duration::from_secs(5))).unwrap();
    s
}

/// Whether a datagram arrives on `s` within `wait`.
fn readable_within(s: &Socket, wait: Duration) -> bool {
    let mut fds = [PollFd::new(s.as_fd(), PollFlags::IN)];
    retry_eintr(|| poll(&mut fds, Some(wait))).unwrap() > 0
}

/// One datagram with its sender and its IP_PKTINFO.
fn recv_pktinfo(s: &Socket) -> (Vec<u8>, SockAddr, InPktinfo) {
    let mut buf = vec![0u8; 2048];
    let mut cb = CmsgBuffer::with_capacity(128);
    let mut tries = 0;
    let mut m = loop {
        match recvmsg(s, &mut [IoSliceMut::new(&mut buf)], Some(&mut cb), MsgFlags::empty()) {
            Err(e) if e.errno() == Some(Errno::EINTR) && tries < 100 => tries += 1,
            other => break other.unwrap(),
        }
    };
    let info = m
        .cmsgs()
        .find_map(|c| match c {
            ControlMessageOwned::IpPktinfo(p) => Some(p),
            _ => None,
        })
        .expect("an IP_PKTINFO control message");
    let (n, from) = (m.bytes, m.addr.clone());
    drop(m);
    buf.truncate(n);
    (buf, from, info)
}

#[test]
fn bindtodevice_and_pktinfo_see_the_veth() {
    let Some(lab) = Lab::new(&["client", "server"]) else { return };
    let (client, server) = (lab.ns("client"), lab.ns("server"));
    lab.veth(client, "c0", server, "s0", None);
    addr(client, "c0", "198.51.100.1/24");
    addr(server, "s0", "198.51.100.2/24");

    // Two sockets on one port of the server: one bound to the veth, one to lo.
    let (on_veth, on_lo, port, veth_index, lo_index) = server.run(|| {
        let on_veth = udp("0.0.0.0:0", Some("s0"));
        let port = on_veth.getsockname().unwrap().port().unwrap();
        let on_lo = udp(&format!("0.0.0.0:{port}"), Some("lo"));
        for s in [&on_veth, &on_lo] {
            s.set(IP_PKTINFO, true).unwrap();
        }
        let index = |name| bsdsock::if_nametoindex(name).unwrap();
        (on_veth, on_lo, port, index("s0"), index("lo"))
    });
    assert_eq!(on_veth.get(SO_BINDTODEVICE).unwrap().unwrap(), "s0");
    assert_eq!(on_lo.get(SO_BINDTODEVICE).unwrap().unwrap(), "lo");
    assert_ne!(veth_index, lo_index);

    // One datagram over the veth (from a client socket bound to its end), one
    // from the server to itself over lo, to the same port.
    client.run(|| {
        let s = udp("0.0.0.0:0", Some("c0"));
        s.sendto(b"via veth", MsgFlags::empty(), &format!("198.51.100.2:{port}").parse().unwrap())
            .unwrap();
    });
    server.run(|| {
        let s = udp("127.0.0.1:0", None);
        s.sendto(b"via lo", MsgFlags::empty(), &format!("127.0.0.1:{port}").parse().unwrap())
            .unwrap();
    });

    let (data, from, info) = recv_pktinfo(&on_veth);
    assert_eq!(data, b"via veth");
    assert_eq!(from.ip(), Some("198.51.100.1".parse().unwrap()));
    let server_ip: Ipv4Addr = "198.51.100.2".parse().unwrap();
    assert_eq!(info, InPktinfo { ifindex: veth_index, spec_dst: server_ip, addr: server_ip });

    let (data, _, info) = recv_pktinfo(&on_lo);
    assert_eq!(data, b"via lo");
    let lo = Ipv4Addr::LOCALHOST;
    assert_eq!(info, InPktinfo { ifindex: lo_index, spec_dst: lo, addr: lo });

    // Neither socket saw the other device's datagram.
    for s in [&on_veth, &on_lo] {
        assert!(!readable_within(s, Duration::from_millis(200)), "a datagram crossed devices");
    }
}

#[test]
fn a_1280_byte_link_gives_ip_mtu_1280_and_emsgsize_past_it() {
    let Some(lab) = Lab::new(&["client", "server"]) else { return };
    let (client, server) = (lab.ns("client"), lab.ns("server"));
    lab.veth(client, "c0", server, "s0", Some(1280));
    addr(client, "c0", "192.0.2.1/24");
    addr(server, "s0", "192.0.2.2/24");
    addr(client, "c0", "2001:db8::1/64");
    addr(server, "s0", "2001:db8::2/64");

    // (server address, IP + UDP header bytes)
    for (ip, headers) in [("192.0.2.2", 20 + 8), ("2001:db8::2", 40 + 8)] {
        let receiver =
            server.run(|| udp(&SocketAddr::new(ip.parse().unwrap(), 0).to_string(), None));
        let to = receiver.getsockname().unwrap();
        let v6 = ip.contains(':');
        let sender = client.run(|| {
            let s = socket(to.family(), Type::DGRAM, Protocol::DEFAULT).unwrap();
            s.connect(&to).unwrap();
            s
        });
        let mtu = if v6 { sender.get(IPV6_MTU) } else { sender.get(IP_MTU) }.unwrap();
        assert_eq!(mtu, 1280, "{ip}");
        let dont_fragment = |on: bool| {
            if v6 {
                sender.set(IPV6_DONTFRAG, on).unwrap();
            } else {
                sender
                    .set(IP_MTU_DISCOVER, if on { PmtuDisc::DO } else { PmtuDisc::DONT })
                    .unwrap();
            }
        };
        dont_fragment(true);
        let fits = 1280 - headers;
        assert_eq!(sender.send(&vec![7u8; fits], MsgFlags::empty()).unwrap(), fits, "{ip}");
        let mut buf = vec![0u8; 4096];
        let n = retry_eintr(|| receiver.recv(&mut buf, MsgFlags::empty())).unwrap();
        assert_eq!(n, fits, "{ip}");

        let err = sender.send(&vec![7u8; fits + 1], MsgFlags::empty()).unwrap_err();
        assert_eq!(err.errno(), Some(Errno::EMSGSIZE), "{ip}: {err}");

        // Allowed to fragment, the same datagram crosses whole.
        dont_fragment(false);
        assert_eq!(sender.send(&vec![7u8; fits + 1], MsgFlags::empty()).unwrap(), fits + 1);
        let n = retry_eintr(|| receiver.recv(&mut buf, MsgFlags::empty())).unwrap();
        assert_eq!(n, fits + 1, "{ip}");
    }
}

#[test]
fn a_multicast_datagram_reaches_a_member_in_the_other_namespace() {
    let Some(lab) = Lab::new(&["sender", "member"]) else { return };
    let (sender, member) = (lab.ns("sender"), lab.ns("member"));
    lab.veth(sender, "m0", member, "m1", None);
    addr(sender, "m0", "192.0.2.1/24");
    addr(member, "m1", "192.0.2.2/24");
    // 233.252.0.0/24 is MCAST-TEST-NET, the multicast block for documentation
    // (RFC 5771 section 9.2, RFC 6676): the multicast counterpart of 192.0.2.0/24.
    let group: Ipv4Addr = "233.252.0.1".parse().unwrap();

    let receiver = member.run(|| udp("0.0.0.0:0", None));
    receiver.set(IP_PKTINFO, true).unwrap();
    let to = SockAddr::from(std::net::SocketAddrV4::new(
        group,
        receiver.getsockname().unwrap().port().unwrap(),
    ));
    let s = sender.run(|| udp("0.0.0.0:0", None));

    // No multicast route in the sender's namespace: without IP_MULTICAST_IF the
    // kernel has no interface for the group.
    let err = s.sendto(b"nowhere", MsgFlags::empty(), &to).unwrap_err();
    assert_eq!(err.errno(), Some(Errno::ENETUNREACH), "{err}");
    let sender_ip: Ipv4Addr = "192.0.2.1".parse().unwrap();
    s.set(IP_MULTICAST_IF, sender_ip).unwrap();
    assert_eq!(s.get(IP_MULTICAST_IF).unwrap(), sender_ip);

    // Sent before the member joins: its host drops it.
    s.sendto(b"before join", MsgFlags::empty(), &to).unwrap();
    assert!(!readable_within(&receiver, Duration::from_millis(300)), "delivered without joining");

    receiver
        .set(
            IP_ADD_MEMBERSHIP,
            IpMreq { multiaddr: group, interface: "192.0.2.2".parse().unwrap() },
        )
        .unwrap();
    s.sendto(b"after join", MsgFlags::empty(), &to).unwrap();
    let (data, from, info) = recv_pktinfo(&receiver);
    assert_eq!(data, b"after join");
    assert_eq!(
        from,
        SockAddr::from(std::net::SocketAddrV4::new(
            sender_ip,
            s.getsockname().unwrap().port().unwrap()
        ))
    );
    // Addressed to the group, arrived on the member's veth.
    assert_eq!(info.addr, group);
    assert_eq!(info.ifindex, member.ifindex("m1"));
}
