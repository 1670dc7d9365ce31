//! hostent: print the `struct hostent` of each host named on the command line,
//! the way the classic C programs do with `gethostbyname` — but thread-safe.
//!
//! ```text
//! cargo run --example hostent -- localhost 127.0.0.1 ::1
//! cargo run --example hostent -- --demo     # resolves localhost and exits 0
//! ```
//!
//! With no argument it resolves `localhost`. A name with a `:` is looked up as
//! IPv6 (`gethostbyname2(name, AF_INET6)`), anything else as IPv4
//! (`gethostbyname`). The exit status is 1 if any lookup failed.

#[cfg(netdb_r)]
fn main() {
    use bsdsock::Domain;
    use bsdsock::netdb::{HostEnt, gethostbyname, gethostbyname2};

    fn print(h: &HostEnt) {
        println!("official hostname: {}", h.name);
        for alias in &h.aliases {
            println!("\talias: {alias}");
        }
        let family = h.addrtype.name().unwrap_or("unknown");
        println!("address type: {family}");
        for addr in &h.addr_list {
            println!("\taddress: {addr}");
        }
    }

    let mut names: Vec<String> = std::env::args().skip(1).filter(|a| a != "--demo").collect();
    if names.is_empty() {
        names.push("localhost".into());
    }
    let mut failed = false;
    for name in &names {
        let result = if name.contains(':') {
            gethostbyname2(name, Domain::INET6)
        } else {
            gethostbyname(name)
        };
        match result {
            Ok(h) => print(&h),
            Err(e) => {
                eprintln!("hostent: {name}: {e}");
                failed = true;
            }
        }
    }
    std::process::exit(i32::from(failed));
}

#[cfg(not(netdb_r))]
fn main() {
    eprintln!("hostent: gethostbyname is built on Linux with glibc or musl only");
}
