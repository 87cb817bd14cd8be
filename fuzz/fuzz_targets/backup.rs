//! The backup reader on arbitrary bytes, as given and with the last four bytes replaced by the
//! CRC-32 of the rest (a fuzzer never guesses a checksum; this lets it reach the parser behind it).
//! No input may panic, and what parses must account for every byte it was given.
#![no_main]

use libfuzzer_sys::fuzz_target;
use spets::store::backup;

fuzz_target!(|data: &[u8]| {
    let _ = backup::parse("fuzz", data);
    if data.len() >= 4 {
        let mut fixed = data.to_vec();
        let body = fixed.len() - 4;
        let crc = crc32fast::hash(&fixed[..body]);
        fixed[body..].copy_from_slice(&crc.to_be_bytes());
        if let Ok(trees) = backup::parse("fuzz", &fixed) {
            let entries: usize = trees
                .iter()
                .map(|(_, kvs)| kvs.iter().map(|(k, v)| k.len() + v.len()).sum::<usize>())
                .sum();
            assert!(entries <= fixed.len(), "entries longer than the file");
        }
    }
});
