//! The codec on arbitrary bytes: no reader may panic or abort (an allocation past libFuzzer's
//! -malloc_limit_mb aborts), the borrowed activity decoder must read exactly what the owned one
//! reads, and whatever decodes must encode to bytes that decode to the same value (compared as
//! encodings, since a float may be NaN).
#![no_main]

use libfuzzer_sys::fuzz_target;
use serde::Serialize;
use serde::de::DeserializeOwned;
use spets::daemon::protocol::{ClientMsg, ServerMsg};
use spets::domain::{Activity, Agreement, Assessment, Contact, Note, Partner};
use spets::store::codec::{self, ActivityRef, Stored};

fn record<T: Stored>(data: &[u8]) {
    if let Ok(r) = codec::decode_record::<T>(data) {
        let once = codec::encode_record(&r).expect("a decoded record encodes");
        let back = codec::decode_record::<T>(&once).expect("a re-encoded record decodes");
        let twice = codec::encode_record(&back).expect("it encodes again");
        assert_eq!(once, twice, "a record changed on its way through the codec");
    }
}

fn message<T: Serialize + DeserializeOwned>(data: &[u8]) {
    if let Ok(m) = codec::decode::<T>(data) {
        let once = codec::encode(&m).expect("a decoded message encodes");
        let back = codec::decode::<T>(&once).expect("a re-encoded message decodes");
        let twice = codec::encode(&back).expect("it encodes again");
        assert_eq!(
            once, twice,
            "a message changed on its way through the codec"
        );
    }
}

fuzz_target!(|data: &[u8]| {
    record::<Partner>(data);
    record::<Agreement>(data);
    record::<Contact>(data);
    record::<Activity>(data);
    record::<Assessment>(data);
    record::<Note>(data);
    let owned = codec::decode_record::<Activity>(data).ok();
    let borrowed = ActivityRef::decode(data).ok().map(|a| a.to_record());
    assert_eq!(
        owned, borrowed,
        "the borrowed and owned activity decoders disagree"
    );
    if let Ok(e) = codec::decode_audit(data) {
        let once = codec::encode_audit(&e).expect("a decoded entry encodes");
        assert_eq!(codec::decode_audit(&once).expect("it decodes again"), e);
    }
    message::<ClientMsg>(data);
    message::<ServerMsg>(data);
});
