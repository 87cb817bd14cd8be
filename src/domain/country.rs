//! ISO 3166-1 alpha-2 country codes (the officially assigned ones).

/// Every officially assigned ISO 3166-1 alpha-2 code, sorted.
const CODES: &str = "AD AE AF AG AI AL AM AO AQ AR AS AT AU AW AX AZ BA BB BD BE BF BG BH BI BJ BL BM BN BO BQ BR BS \
BT BV BW BY BZ CA CC CD CF CG CH CI CK CL CM CN CO CR CU CV CW CX CY CZ DE DJ DK DM DO DZ EC EE EG EH ER ES ET FI FJ FK \
FM FO FR GA GB GD GE GF GG GH GI GL GM GN GP GQ GR GS GT GU GW GY HK HM HN HR HT HU ID IE IL IM IN IO IQ IR IS IT JE JM \
JO JP KE KG KH KI KM KN KP KR KW KY KZ LA LB LC LI LK LR LS LT LU LV LY MA MC MD ME MF MG MH MK ML MM MN MO MP MQ MR MS \
MT MU MV MW MX MY MZ NA NC NE NF NG NI NL NO NP NR NU NZ OM PA PE PF PG PH PK PL PM PN PR PS PT PW PY QA RE RO RS RU RW \
SA SB SC SD SE SG SH SI SJ SK SL SM SN SO SR SS ST SV SX SY SZ TC TD TF TG TH TJ TK TL TM TN TO TR TT TV TW TZ UA UG UM \
US UY UZ VA VC VE VG VI VN VU WF WS YE YT ZA ZM ZW";

/// True when `code` (already upper-case, two letters) is an assigned ISO 3166-1 alpha-2 code.
pub fn is_valid(code: &str) -> bool {
    code.len() == 2 && CODES.split(' ').any(|c| c == code)
}

/// All assigned codes, in alphabetical order.
pub fn all() -> impl Iterator<Item = &'static str> {
    CODES.split(' ')
}

/// Normalise user input ("se", " Se ") to the stored form ("SE").
pub fn normalise(input: &str) -> String {
    input.trim().to_ascii_uppercase()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn list_is_complete_and_sorted() {
        let v: Vec<_> = all().collect();
        assert_eq!(v.len(), 249);
        let mut sorted = v.clone();
        sorted.sort_unstable();
        assert_eq!(v, sorted);
        assert!(is_valid("SE") && is_valid("CN") && is_valid("GB"));
        assert!(!is_valid("XX") && !is_valid("UK") && !is_valid("se") && !is_valid("SWE"));
    }
}
