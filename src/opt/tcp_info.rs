//! `TCP_INFO` (Linux): the kernel's view of a TCP connection.
//!
//! `struct tcp_info` has grown with the kernel: an old kernel writes fewer bytes
//! than a new header describes, a new kernel writes only as many as we ask for.
//! [`TcpInfo`] keeps the bytes the kernel wrote and their count; the fields of the
//! first version (Linux 2.6, 104 bytes) are always there, every later field is an
//! `Option` that is `None` when this kernel did not write it.

use std::fmt;
use std::mem::{offset_of, size_of};
use std::time::Duration;

use super::TcpState;
use super::codec::{Decode, Refusal, Sealed};
use super::shape::Bytes;

/// The layout of `struct tcp_info` in `<linux/tcp.h>` up to Linux 6.7
/// (`tcpi_total_rto_time`); only used for offsets and the buffer size.
#[repr(C)]
#[allow(dead_code)]
struct Layout {
    state: u8,
    ca_state: u8,
    retransmits: u8,
    probes: u8,
    backoff: u8,
    options: u8,
    wscale: u8,      // tcpi_snd_wscale : 4, tcpi_rcv_wscale : 4
    app_limited: u8, // tcpi_delivery_rate_app_limited:1, tcpi_fastopen_client_fail:2
    rto: u32,
    ato: u32,
    snd_mss: u32,
    rcv_mss: u32,
    unacked: u32,
    sacked: u32,
    lost: u32,
    retrans: u32,
    fackets: u32,
    last_data_sent: u32,
    last_ack_sent: u32,
    last_data_recv: u32,
    last_ack_recv: u32,
    pmtu: u32,
    rcv_ssthresh: u32,
    rtt: u32,
    rttvar: u32,
    snd_ssthresh: u32,
    snd_cwnd: u32,
    advmss: u32,
    reordering: u32,
    rcv_rtt: u32,
    rcv_space: u32,
    total_retrans: u32,
    // Linux 3.15 and later.
    pacing_rate: u64,
    max_pacing_rate: u64,
    bytes_acked: u64,
    bytes_received: u64,
    segs_out: u32,
    segs_in: u32,
    notsent_bytes: u32,
    min_rtt: u32,
    data_segs_in: u32,
    data_segs_out: u32,
    delivery_rate: u64,
    busy_time: u64,
    rwnd_limited: u64,
    sndbuf_limited: u64,
    delivered: u32,
    delivered_ce: u32,
    bytes_sent: u64,
    bytes_retrans: u64,
    dsack_dups: u32,
    reord_seen: u32,
    rcv_ooopack: u32,
    snd_wnd: u32,
    rcv_wnd: u32,
    rehash: u32,
    total_rto: u16,
    total_rto_recoveries: u16,
    total_rto_time: u32,
}

/// Bytes the first `struct tcp_info` had; a shorter answer is a decode error.
const MIN_LEN: usize = offset_of!(Layout, pacing_rate);
const BUF_LEN: usize = size_of::<Layout>();

/// `struct tcp_info`: state, timers and counters of a TCP connection, the value
/// of `TCP_INFO` (Linux). Times are [`Duration`]s (the kernel counts some in
/// microseconds, some in milliseconds); fields added after the first version are
/// `Option`s, `None` when the running kernel did not report them.
///
/// ```
/// use bsdsock::opt::{getsockopt, TcpState, TCP_INFO};
/// use bsdsock::{socket, Domain, Protocol, Type};
/// let l = socket(Domain::INET, Type::STREAM, Protocol::TCP)?;
/// l.bind(&"127.0.0.1:0".parse()?)?;
/// l.listen(1)?;
/// assert_eq!(getsockopt(&l, TCP_INFO)?.state(), TcpState::LISTEN);
/// let c = socket(Domain::INET, Type::STREAM, Protocol::TCP)?;
/// c.connect(&l.getsockname()?)?;
/// let info = getsockopt(&c, TCP_INFO)?;
/// assert_eq!(info.state(), TcpState::ESTABLISHED);
/// assert!(info.snd_mss() > 0);
/// # Ok::<(), bsdsock::Error>(())
/// ```
#[derive(Clone, Copy)]
#[doc(alias = "tcp_info")]
pub struct TcpInfo {
    buf: [u8; BUF_LEN],
    len: usize,
}

macro_rules! base_fields {
    ($($(#[$m:meta])* $name:ident: $off:ident, $conv:expr => $ty:ty;)*) => {
        $(
            $(#[$m])*
            pub fn $name(&self) -> $ty {
                $conv(self.u32_at(offset_of!(Layout, $off)).unwrap_or(0))
            }
        )*
    };
}

macro_rules! ext_fields {
    ($($(#[$m:meta])* $name:ident: $read:ident, $conv:expr => $ty:ty;)*) => {
        $(
            $(#[$m])*
            pub fn $name(&self) -> Option<$ty> {
                self.$read(offset_of!(Layout, $name)).map($conv)
            }
        )*
    };
}

fn us(v: u32) -> Duration {
    Duration::from_micros(u64::from(v))
}
fn ms(v: u32) -> Duration {
    Duration::from_millis(u64::from(v))
}
fn us64(v: u64) -> Duration {
    Duration::from_micros(v)
}
fn same<T>(v: T) -> T {
    v
}

impl TcpInfo {
    /// Decodes what the kernel wrote into `buf`: `len` bytes, at least the 104 of
    /// the first version.
    fn from_kernel(buf: [u8; BUF_LEN], len: usize) -> Result<TcpInfo, Refusal> {
        if !(MIN_LEN..=BUF_LEN).contains(&len) {
            return Err(Refusal::Len { got: len, want: MIN_LEN });
        }
        Ok(TcpInfo { buf, len })
    }

    /// The bytes the kernel wrote, for a field this type does not decode.
    ///
    /// ```
    /// # use bsdsock::opt::{getsockopt, TCP_INFO};
    /// # let s = bsdsock::socket(bsdsock::Domain::INET, bsdsock::Type::STREAM, Default::default())?;
    /// assert!(getsockopt(&s, TCP_INFO)?.as_bytes().len() >= 104);
    /// # Ok::<(), bsdsock::Error>(())
    /// ```
    pub fn as_bytes(&self) -> &[u8] {
        &self.buf[..self.len]
    }

    fn bytes_at<const N: usize>(&self, off: usize) -> Option<[u8; N]> {
        let end = off.checked_add(N)?;
        if end > self.len {
            return None;
        }
        let mut out = [0u8; N];
        out.copy_from_slice(&self.buf[off..end]);
        Some(out)
    }

    fn u16_at(&self, off: usize) -> Option<u16> {
        self.bytes_at(off).map(u16::from_ne_bytes)
    }

    fn u32_at(&self, off: usize) -> Option<u32> {
        self.bytes_at(off).map(u32::from_ne_bytes)
    }

    fn u64_at(&self, off: usize) -> Option<u64> {
        self.bytes_at(off).map(u64::from_ne_bytes)
    }

    fn byte(&self, off: usize) -> u8 {
        self.buf[off]
    }

    /// `tcpi_state`: the connection state.
    pub fn state(&self) -> TcpState {
        TcpState::from_raw(self.byte(offset_of!(Layout, state)).into())
    }

    /// `tcpi_ca_state`: the congestion-avoidance state (`TCP_CA_Open` = 0,
    /// `Disorder`, `CWR`, `Recovery`, `Loss` = 4).
    pub fn ca_state(&self) -> u8 {
        self.byte(offset_of!(Layout, ca_state))
    }

    /// `tcpi_retransmits`: retransmissions of the current segment.
    pub fn retransmits(&self) -> u8 {
        self.byte(offset_of!(Layout, retransmits))
    }

    /// `tcpi_probes`: unanswered zero-window or keep-alive probes.
    pub fn probes(&self) -> u8 {
        self.byte(offset_of!(Layout, probes))
    }

    /// `tcpi_backoff`: exponential backoff of the retransmission timer.
    pub fn backoff(&self) -> u8 {
        self.byte(offset_of!(Layout, backoff))
    }

    /// `tcpi_options`: the negotiated options, `TCPI_OPT_TIMESTAMPS` (1),
    /// `TCPI_OPT_SACK` (2), `TCPI_OPT_WSCALE` (4), `TCPI_OPT_ECN` (8),
    /// `TCPI_OPT_ECN_SEEN` (16), `TCPI_OPT_SYN_DATA` (32).
    pub fn options(&self) -> u8 {
        self.byte(offset_of!(Layout, options))
    }

    /// `tcpi_snd_wscale`: the peer's window scale.
    pub fn snd_wscale(&self) -> u8 {
        nibbles(self.byte(offset_of!(Layout, wscale))).0
    }

    /// `tcpi_rcv_wscale`: our window scale.
    pub fn rcv_wscale(&self) -> u8 {
        nibbles(self.byte(offset_of!(Layout, wscale))).1
    }

    base_fields! {
        /// `tcpi_rto`: the retransmission timeout.
        rto: rto, us => Duration;
        /// `tcpi_ato`: the delayed-ACK timeout.
        ato: ato, us => Duration;
        /// `tcpi_snd_mss`: the sending maximum segment size.
        snd_mss: snd_mss, same => u32;
        /// `tcpi_rcv_mss`: the estimated receiving maximum segment size.
        rcv_mss: rcv_mss, same => u32;
        /// `tcpi_unacked`: segments sent and not yet acknowledged (for a
        /// listener: the accept queue length).
        unacked: unacked, same => u32;
        /// `tcpi_sacked`: selectively acknowledged segments (for a listener: the
        /// backlog).
        sacked: sacked, same => u32;
        /// `tcpi_lost`: segments thought lost.
        lost: lost, same => u32;
        /// `tcpi_retrans`: segments being retransmitted.
        retrans: retrans, same => u32;
        /// `tcpi_fackets`: unused since Linux 4.15 (always 0).
        fackets: fackets, same => u32;
        /// `tcpi_last_data_sent`: time since the last data was sent.
        last_data_sent: last_data_sent, ms => Duration;
        /// `tcpi_last_ack_sent`: not kept by Linux (always 0).
        last_ack_sent: last_ack_sent, ms => Duration;
        /// `tcpi_last_data_recv`: time since the last data was received.
        last_data_recv: last_data_recv, ms => Duration;
        /// `tcpi_last_ack_recv`: time since the last ACK was received.
        last_ack_recv: last_ack_recv, ms => Duration;
        /// `tcpi_pmtu`: the path MTU.
        pmtu: pmtu, same => u32;
        /// `tcpi_rcv_ssthresh`: the receive slow-start threshold.
        rcv_ssthresh: rcv_ssthresh, same => u32;
        /// `tcpi_rtt`: the smoothed round-trip time.
        rtt: rtt, us => Duration;
        /// `tcpi_rttvar`: the round-trip time's mean deviation.
        rttvar: rttvar, us => Duration;
        /// `tcpi_snd_ssthresh`: the slow-start threshold, in segments.
        snd_ssthresh: snd_ssthresh, same => u32;
        /// `tcpi_snd_cwnd`: the congestion window, in segments.
        snd_cwnd: snd_cwnd, same => u32;
        /// `tcpi_advmss`: the advertised maximum segment size.
        advmss: advmss, same => u32;
        /// `tcpi_reordering`: the reordering metric.
        reordering: reordering, same => u32;
        /// `tcpi_rcv_rtt`: the receiver's round-trip time estimate.
        rcv_rtt: rcv_rtt, us => Duration;
        /// `tcpi_rcv_space`: the receive buffer space being advertised.
        rcv_space: rcv_space, same => u32;
        /// `tcpi_total_retrans`: retransmissions over the connection's life.
        total_retrans: total_retrans, same => u32;
    }

    ext_fields! {
        /// `tcpi_pacing_rate`: the pacing rate in bytes per second (Linux 3.15).
        pacing_rate: u64_at, same => u64;
        /// `tcpi_max_pacing_rate`: its cap (Linux 3.15).
        max_pacing_rate: u64_at, same => u64;
        /// `tcpi_bytes_acked`: bytes acknowledged (Linux 4.1).
        bytes_acked: u64_at, same => u64;
        /// `tcpi_bytes_received`: bytes received (Linux 4.1).
        bytes_received: u64_at, same => u64;
        /// `tcpi_segs_out`: segments sent (Linux 4.2).
        segs_out: u32_at, same => u32;
        /// `tcpi_segs_in`: segments received (Linux 4.2).
        segs_in: u32_at, same => u32;
        /// `tcpi_notsent_bytes`: bytes queued and not yet sent (Linux 4.6).
        notsent_bytes: u32_at, same => u32;
        /// `tcpi_min_rtt`: the minimum round-trip time seen (Linux 4.6).
        min_rtt: u32_at, us => Duration;
        /// `tcpi_data_segs_in`: segments received with data (Linux 4.6).
        data_segs_in: u32_at, same => u32;
        /// `tcpi_data_segs_out`: segments sent with data (Linux 4.6).
        data_segs_out: u32_at, same => u32;
        /// `tcpi_delivery_rate`: the delivery rate in bytes per second (Linux 4.9).
        delivery_rate: u64_at, same => u64;
        /// `tcpi_busy_time`: time spent sending data (Linux 4.10).
        busy_time: u64_at, us64 => Duration;
        /// `tcpi_rwnd_limited`: time limited by the receive window (Linux 4.10).
        rwnd_limited: u64_at, us64 => Duration;
        /// `tcpi_sndbuf_limited`: time limited by the send buffer (Linux 4.10).
        sndbuf_limited: u64_at, us64 => Duration;
        /// `tcpi_delivered`: segments delivered (Linux 4.18).
        delivered: u32_at, same => u32;
        /// `tcpi_delivered_ce`: segments delivered with an ECN CE mark (Linux 4.18).
        delivered_ce: u32_at, same => u32;
        /// `tcpi_bytes_sent`: bytes sent, retransmissions included (Linux 4.19).
        bytes_sent: u64_at, same => u64;
        /// `tcpi_bytes_retrans`: bytes retransmitted (Linux 4.19).
        bytes_retrans: u64_at, same => u64;
        /// `tcpi_dsack_dups`: duplicate segments reported by D-SACK (Linux 4.19).
        dsack_dups: u32_at, same => u32;
        /// `tcpi_reord_seen`: reordering events seen (Linux 4.19).
        reord_seen: u32_at, same => u32;
        /// `tcpi_rcv_ooopack`: out-of-order packets received (Linux 5.4).
        rcv_ooopack: u32_at, same => u32;
        /// `tcpi_snd_wnd`: the peer's receive window, scaled (Linux 5.4).
        snd_wnd: u32_at, same => u32;
        /// `tcpi_rcv_wnd`: our receive window, scaled (Linux 6.2).
        rcv_wnd: u32_at, same => u32;
        /// `tcpi_rehash`: path changes after a timeout or reordering (Linux 6.2).
        rehash: u32_at, same => u32;
        /// `tcpi_total_rto`: retransmission timeouts (Linux 6.7).
        total_rto: u16_at, same => u16;
        /// `tcpi_total_rto_recoveries`: recoveries after a timeout (Linux 6.7).
        total_rto_recoveries: u16_at, same => u16;
        /// `tcpi_total_rto_time`: time spent in timeout recovery (Linux 6.7).
        total_rto_time: u32_at, ms => Duration;
    }
}

/// The two 4-bit fields of one byte, in C bit-field order: the first-declared
/// field takes the low bits on little-endian targets, the high bits on big-endian.
fn nibbles(b: u8) -> (u8, u8) {
    if cfg!(target_endian = "little") { (b & 0x0f, b >> 4) } else { (b >> 4, b & 0x0f) }
}

impl fmt::Debug for TcpInfo {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut d = f.debug_struct("TcpInfo");
        d.field("state", &self.state())
            .field("ca_state", &self.ca_state())
            .field("retransmits", &self.retransmits())
            .field("options", &self.options())
            .field("snd_wscale", &self.snd_wscale())
            .field("rcv_wscale", &self.rcv_wscale())
            .field("rto", &self.rto())
            .field("snd_mss", &self.snd_mss())
            .field("rcv_mss", &self.rcv_mss())
            .field("unacked", &self.unacked())
            .field("lost", &self.lost())
            .field("pmtu", &self.pmtu())
            .field("rtt", &self.rtt())
            .field("rttvar", &self.rttvar())
            .field("snd_cwnd", &self.snd_cwnd())
            .field("total_retrans", &self.total_retrans());
        if let Some(v) = self.bytes_acked() {
            d.field("bytes_acked", &v);
        }
        if let Some(v) = self.bytes_received() {
            d.field("bytes_received", &v);
        }
        if let Some(v) = self.delivery_rate() {
            d.field("delivery_rate", &v);
        }
        d.field("len", &self.len).finish_non_exhaustive()
    }
}

impl Sealed for TcpInfo {}
impl Decode<TcpInfo> for TcpInfo {
    type C = Bytes<BUF_LEN>;
    fn decode(c: Bytes<BUF_LEN>) -> Result<TcpInfo, Refusal> {
        let (buf, len) = c.into_parts();
        // A longer answer is a newer kernel's `tcp_info` read into a larger
        // buffer (`Opt::decode`): its first BUF_LEN bytes are the fields this
        // type knows, as the kernel itself would have cut it for getsockopt.
        TcpInfo::from_kernel(buf, len.min(BUF_LEN))
    }
}

#[cfg(test)]
mod tests;
