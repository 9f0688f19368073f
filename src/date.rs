//! Dates as the atlas writes them ("YYYY-MM-DD", the user's local date): on export footers,
//! file names and corrections.

/// Today's date where the user is, "YYYY-MM-DD": the system clock in the system's time zone
/// (TZ, else /etc/localtime; UTC where neither says). A page made in Chongqing at 07:00 is
/// dated that day, not the day before as UTC would have it.
pub fn today() -> String {
    local_date(std::time::SystemTime::now(), jiff::tz::TimeZone::system())
}

/// The time of day where the user is, "HH:MM" (the presenter's clock).
pub fn clock() -> String {
    match jiff::Timestamp::try_from(std::time::SystemTime::now()) {
        Ok(timestamp) => {
            let time = timestamp
                .to_zoned_datetime(jiff::tz::TimeZone::system())
                .time();
            format!("{:02}:{:02}", time.hour(), time.minute())
        }
        Err(_) => "--:--".to_string(),
    }
}

/// The date `at` in `zone`, "YYYY-MM-DD" (1970-01-01 for a clock set before it).
pub fn local_date(at: std::time::SystemTime, zone: jiff::tz::TimeZone) -> String {
    match jiff::Timestamp::try_from(at) {
        Ok(timestamp) => timestamp.to_zoned_datetime(zone).date().to_string(),
        Err(_) => civil_date(0),
    }
}

/// Days since 1970-01-01 → "YYYY-MM-DD" (Howard Hinnant's civil-from-days).
pub fn civil_date(days: i64) -> String {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1_460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!("{year:04}-{month:02}-{day:02}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_date_is_the_local_one() {
        // 2026-12-01 23:30 UTC is already 2 December in Chongqing (UTC+8).
        let at = std::time::UNIX_EPOCH + std::time::Duration::from_secs(1_796_167_800);
        let shanghai = jiff::tz::TimeZone::fixed(jiff::tz::offset(8));
        assert_eq!(local_date(at, jiff::tz::TimeZone::UTC), "2026-12-01");
        assert_eq!(local_date(at, shanghai), "2026-12-02");
    }

    #[test]
    fn civil_dates_are_right() {
        assert_eq!(civil_date(0), "1970-01-01");
        assert_eq!(civil_date(20_779), "2026-11-22");
        assert_eq!(civil_date(11_016), "2000-02-29");
    }
}
