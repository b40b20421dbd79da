//! pcapng, the capture format Wireshark writes by default: the three blocks
//! a run's capture needs (the section header, an interface description per
//! capture point, an enhanced packet block per packet), little-endian, as
//! the format's specification lays them out
//! (<https://datatracker.ietf.org/doc/draft-ietf-opsawg-pcapng/>).
//!
//! Written here rather than with `pcap-file`'s writer: that writer is
//! generic over both byte orders and every block kind, and cost each
//! visitor of the playground about 10 KB (brotli) for these few bytes.
//! `pcap-file`'s reader and tshark still read every file this writes
//! (`engine::tests`, `tests/captures.sh`).

/// Block types (section 4 of the specification).
const SECTION_HEADER: u32 = 0x0A0D_0D0A;
const INTERFACE_DESCRIPTION: u32 = 1;
const ENHANCED_PACKET: u32 = 6;
/// The section header's byte-order magic, as a reader sees it.
const BYTE_ORDER_MAGIC: u32 = 0x1A2B_3C4D;
/// LINKTYPE_RAW: each packet starts with its IPv4 or IPv6 header.
const LINKTYPE_RAW: u16 = 101;
/// Option codes: common ones, then those of the block that has them.
const OPT_END: u16 = 0;
const OPT_COMMENT: u16 = 1;
const IF_NAME: u16 = 2;
const IF_DESCRIPTION: u16 = 3;
const IF_TSRESOL: u16 = 9;
const EPB_FLAGS: u16 = 2;

/// Which way a packet went, as `epb_flags` bits 0-1 say it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Direction {
    Inbound = 1,
    Outbound = 2,
}

/// A pcapng file being written, in memory. Its interfaces say their
/// timestamps are in nanoseconds (`if_tsresol` 9): microseconds are the
/// format's default, but some readers (`pcap-file`'s among them) take
/// nanoseconds whatever the interface says.
pub struct PcapNg {
    bytes: Vec<u8>,
}

impl Default for PcapNg {
    fn default() -> Self {
        Self::new()
    }
}

impl PcapNg {
    /// A file with its section header: version 1.0, length not given.
    pub fn new() -> PcapNg {
        let mut file = PcapNg { bytes: Vec::new() };
        file.block(SECTION_HEADER, |body| {
            body.extend_from_slice(&BYTE_ORDER_MAGIC.to_le_bytes());
            body.extend_from_slice(&1u16.to_le_bytes());
            body.extend_from_slice(&0u16.to_le_bytes());
            body.extend_from_slice(&(-1i64).to_le_bytes());
            end_options(body);
        });
        file
    }

    /// The next interface (packets name it by its place in this order),
    /// with its name and description.
    pub fn interface(&mut self, name: &str, description: &str) {
        self.block(INTERFACE_DESCRIPTION, |body| {
            body.extend_from_slice(&LINKTYPE_RAW.to_le_bytes());
            body.extend_from_slice(&0u16.to_le_bytes());
            // No snapshot length: packets are kept whole.
            body.extend_from_slice(&0u32.to_le_bytes());
            option(body, IF_NAME, name.as_bytes());
            option(body, IF_DESCRIPTION, description.as_bytes());
            option(body, IF_TSRESOL, &[9]);
            end_options(body);
        });
    }

    /// One packet, whole, on interface `interface` at `at_us`.
    pub fn packet(
        &mut self,
        interface: u32,
        at_us: u64,
        data: &[u8],
        comment: &str,
        direction: Direction,
    ) {
        self.block(ENHANCED_PACKET, |body| {
            body.extend_from_slice(&interface.to_le_bytes());
            // In nanoseconds: its high 32 bits, then its low 32 bits.
            let at_ns = at_us.saturating_mul(1000);
            body.extend_from_slice(&((at_ns >> 32) as u32).to_le_bytes());
            body.extend_from_slice(&(at_ns as u32).to_le_bytes());
            let len = (data.len() as u32).to_le_bytes();
            body.extend_from_slice(&len);
            body.extend_from_slice(&len);
            body.extend_from_slice(data);
            pad(body);
            option(body, OPT_COMMENT, comment.as_bytes());
            option(body, EPB_FLAGS, &(direction as u32).to_le_bytes());
            end_options(body);
        });
    }

    pub fn into_bytes(self) -> Vec<u8> {
        self.bytes
    }

    /// A block: its type, its total length before and after its body.
    fn block(&mut self, kind: u32, body: impl FnOnce(&mut Vec<u8>)) {
        let start = self.bytes.len();
        self.bytes.extend_from_slice(&kind.to_le_bytes());
        self.bytes.extend_from_slice(&[0; 4]);
        body(&mut self.bytes);
        let total = (self.bytes.len() - start + 4) as u32;
        self.bytes[start + 4..start + 8].copy_from_slice(&total.to_le_bytes());
        self.bytes.extend_from_slice(&total.to_le_bytes());
    }
}

/// An option: code, length, value padded to 32 bits. A value that does
/// not fit the length field is cut (comments are a line each).
fn option(body: &mut Vec<u8>, code: u16, value: &[u8]) {
    let value = &value[..value.len().min(usize::from(u16::MAX) - 3)];
    body.extend_from_slice(&code.to_le_bytes());
    body.extend_from_slice(&(value.len() as u16).to_le_bytes());
    body.extend_from_slice(value);
    pad(body);
}

fn end_options(body: &mut Vec<u8>) {
    body.extend_from_slice(&OPT_END.to_le_bytes());
    body.extend_from_slice(&0u16.to_le_bytes());
}

/// Pads to a multiple of 4 bytes (every block starts at one).
fn pad(body: &mut Vec<u8>) {
    body.resize(body.len().next_multiple_of(4), 0);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blocks_have_their_length_at_both_ends_and_are_aligned() {
        let mut file = PcapNg::new();
        file.interface("en0", "Wi-Fi");
        file.packet(
            0,
            1_500_000,
            &[0x45, 0, 0],
            "odd length",
            Direction::Outbound,
        );
        let bytes = file.into_bytes();
        let mut at = 0;
        let mut kinds = Vec::new();
        while at < bytes.len() {
            let word = |i: usize| u32::from_le_bytes(bytes[i..i + 4].try_into().unwrap());
            let total = word(at + 4) as usize;
            assert_eq!(total % 4, 0);
            assert_eq!(word(at + total - 4) as usize, total);
            kinds.push(word(at));
            at += total;
        }
        assert_eq!(at, bytes.len());
        assert_eq!(
            kinds,
            [SECTION_HEADER, INTERFACE_DESCRIPTION, ENHANCED_PACKET]
        );
    }

    #[test]
    fn a_packet_says_its_time_in_nanoseconds_and_its_direction() {
        let mut file = PcapNg::new();
        file.interface("utun0", "the VPN");
        // 10 s: 10^10 ns, 0x2_540B_E400, more than 32 bits hold.
        let at_us = 10_000_000;
        file.packet(0, at_us, &[1, 2, 3, 4], "x", Direction::Inbound);
        let bytes = file.into_bytes();
        let epb = &bytes[bytes.len() - 56..];
        let word = |i: usize| u32::from_le_bytes(epb[i..i + 4].try_into().unwrap());
        assert_eq!(word(0), ENHANCED_PACKET);
        assert_eq!((word(12), word(16)), (2, 0x540B_E400));
        assert_eq!((word(20), word(24)), (4, 4));
        assert_eq!(&epb[28..32], &[1, 2, 3, 4]);
        // opt_comment "x" (padded), then epb_flags 1.
        assert_eq!(&epb[32..36], &[1, 0, 1, 0]);
        assert_eq!(&epb[40..44], &[2, 0, 4, 0]);
        assert_eq!(word(44), 1);
    }
}
