//! The CSV importer on arbitrary bytes: dry runs (check everything, write nothing) through the
//! embedded client on a real workspace with demo data, as partners and as activities, in both
//! languages. No input may panic, and a report's counts must add up.
#![no_main]

use libfuzzer_sys::fuzz_target;
use spets::client::Embedded;
use spets::csvio::{self, ImportKind, ImportOptions};
use spets::i18n::Lang;
use spets::service::Service;
use spets::store::Store;
use std::sync::{Arc, OnceLock};

/// One workspace per fuzzing process, in the temporary directory (removed at the next start of
/// the same process id; they are small).
fn client() -> &'static Embedded {
    static CLIENT: OnceLock<Embedded> = OnceLock::new();
    CLIENT.get_or_init(|| {
        let dir = std::env::temp_dir().join(format!("spets-fuzz-csv-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        let store = Store::open(&dir).expect("a workspace in the temporary directory");
        let today = chrono::NaiveDate::from_ymd_opt(2026, 11, 28).expect("a date");
        let spec = spets::demo::DemoSpec {
            partners: 8,
            activities: 40,
            notes: 2,
            seed: 7,
            today,
            me: "anna.lind".into(),
        };
        spets::demo::generate(&store, &spec, "anna.lind").expect("demo data");
        let service = Service::new(store).expect("a service").with_today(today);
        Embedded::new(Arc::new(service), "anna.lind".into())
    })
}

fuzz_target!(|data: &[u8]| {
    let Some((&how, bytes)) = data.split_first() else {
        return;
    };
    let kind = if how & 1 == 0 {
        ImportKind::Partners
    } else {
        ImportKind::Activities
    };
    let opts = ImportOptions {
        dry_run: true,
        valid_only: how & 2 != 0,
        lang: if how & 4 == 0 { Lang::En } else { Lang::Sv },
        today: chrono::NaiveDate::from_ymd_opt(2026, 11, 28).expect("a date"),
    };
    if let Ok(report) = csvio::import_bytes(client(), kind, bytes, &opts) {
        assert!(report.valid <= report.rows, "{report}");
        assert_eq!(report.written, 0, "a dry run wrote records");
        let _ = report.to_string();
    }
});
