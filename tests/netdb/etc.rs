//! `/etc/hosts`, `/etc/services` and `/etc/protocols`, parsed independently of
//! the code under test: the expected answers of every other module.

use std::collections::BTreeSet;
use std::net::{IpAddr, Ipv4Addr};

/// Fields of each non-comment line.
fn records(path: &str) -> Vec<Vec<String>> {
    std::fs::read_to_string(path)
        .unwrap_or_else(|e| panic!("{path}: {e}"))
        .lines()
        .map(|l| l.split('#').next().unwrap())
        .map(|l| l.split_whitespace().map(str::to_owned).collect::<Vec<_>>())
        .filter(|f| !f.is_empty())
        .collect()
}

pub struct HostLine {
    pub addr: IpAddr,
    pub names: Vec<String>, // official name first
}

pub fn hosts() -> Vec<HostLine> {
    records("/etc/hosts")
        .into_iter()
        .filter(|f| f.len() >= 2)
        .filter_map(|f| Some(HostLine { addr: f[0].parse().ok()?, names: f[1..].to_vec() }))
        .collect()
}

/// What glibc's files backend answers for `name` in family `v6`: the official
/// name of the first line naming it, and the addresses of every such line.
pub fn expected_host(
    lines: &[HostLine],
    name: &str,
    v6: bool,
) -> Option<(String, BTreeSet<IpAddr>)> {
    let matching: Vec<&HostLine> = lines
        .iter()
        .filter(|l| l.addr.is_ipv6() == v6 && l.names.iter().any(|n| n.eq_ignore_ascii_case(name)))
        .collect();
    let first = matching.first()?;
    Some((first.names[0].clone(), matching.iter().map(|l| l.addr).collect()))
}

/// The names in /etc/hosts that have an IPv4 address (safe for gethostbyname).
pub fn v4_names(lines: &[HostLine]) -> Vec<String> {
    let mut names: Vec<String> =
        lines.iter().filter(|l| l.addr.is_ipv4()).flat_map(|l| l.names.iter().cloned()).collect();
    names.sort();
    names.dedup();
    names
}

#[derive(Debug, Clone)]
pub struct Serv {
    pub name: String,
    pub port: u16,
    pub proto: String,
    pub aliases: Vec<String>,
}

pub fn services() -> Vec<Serv> {
    records("/etc/services")
        .into_iter()
        .filter_map(|f| {
            let (port, proto) = f.get(1)?.split_once('/')?;
            Some(Serv {
                name: f[0].clone(),
                port: port.parse().ok()?,
                proto: proto.to_owned(),
                aliases: f[2..].to_vec(),
            })
        })
        .collect()
}

impl Serv {
    /// The `s_aliases` getservbyname reports for this entry looked up by its
    /// official name: the file's aliases with glibc; the name alone with musl,
    /// whose `getservbyname_r` reads no aliases and lists the name as
    /// `s_aliases[0]` (its src/network/getservbyname_r.c).
    pub fn reported_aliases(&self) -> Vec<String> {
        if cfg!(target_env = "musl") { vec![self.name.clone()] } else { self.aliases.clone() }
    }
}

pub fn serv_by_name<'a>(all: &'a [Serv], name: &str, proto: Option<&str>) -> Option<&'a Serv> {
    all.iter().find(|s| {
        (s.name == name || s.aliases.iter().any(|a| a == name))
            && proto.is_none_or(|p| p == s.proto)
    })
}

pub fn serv_by_port<'a>(all: &'a [Serv], port: u16, proto: Option<&str>) -> Option<&'a Serv> {
    all.iter().find(|s| s.port == port && proto.is_none_or(|p| p == s.proto))
}

#[derive(Debug, Clone)]
pub struct Proto {
    pub name: String,
    pub number: i32,
    pub aliases: Vec<String>,
}

impl Proto {
    /// The `p_aliases` getprotobyname reports: the file's with glibc; none with
    /// musl, which answers from a table compiled into it (its
    /// src/network/proto.c), not from /etc/protocols, and keeps no aliases.
    pub fn reported_aliases(&self) -> Vec<String> {
        if cfg!(target_env = "musl") { Vec::new() } else { self.aliases.clone() }
    }
}

pub fn protocols() -> Vec<Proto> {
    records("/etc/protocols")
        .into_iter()
        .filter_map(|f| {
            Some(Proto {
                name: f[0].clone(),
                number: f.get(1)?.parse().ok()?,
                aliases: f[2..].to_vec(),
            })
        })
        .collect()
}

/// The official name `/etc/hosts` gives 127.0.0.1 (its first line for it).
pub fn loopback_name() -> String {
    let lines = hosts();
    let line = lines
        .iter()
        .find(|l| l.addr == IpAddr::V4(Ipv4Addr::LOCALHOST))
        .expect("this test suite needs a 127.0.0.1 line in /etc/hosts");
    line.names[0].clone()
}
