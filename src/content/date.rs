//! Publication dates: parsed from TOML dates, date-times or strings into one comparable value.

use serde::Serialize;

use super::frontmatter::RawDate;

/// A publication date as templates see it, with the instant it stands for (for sorting).
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct PageDate {
    /// RFC 3339, for `<time datetime>`, feeds and JSON-LD.
    pub datetime: String,
    /// `2026-03-14`.
    pub ymd: String,
    /// `14 March 2026`.
    pub display: String,
    pub year: i16,
    #[serde(skip)]
    pub timestamp: jiff::Timestamp,
}

const MONTHS: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

impl PageDate {
    pub fn parse(raw: &RawDate) -> Result<PageDate, String> {
        let text = match raw {
            RawDate::Toml(dt) => dt.to_string(),
            RawDate::Text(s) => s.trim().to_string(),
        };
        let timestamp = if let Ok(ts) = text.parse::<jiff::Timestamp>() {
            ts
        } else if let Ok(dt) = text.replace(' ', "T").parse::<jiff::civil::DateTime>() {
            dt.to_zoned(jiff::tz::TimeZone::UTC)
                .map_err(|e| e.to_string())?
                .timestamp()
        } else if let Ok(d) = text.parse::<jiff::civil::Date>() {
            d.to_zoned(jiff::tz::TimeZone::UTC)
                .map_err(|e| e.to_string())?
                .timestamp()
        } else {
            return Err(format!("`{text}` is not a date"));
        };
        Ok(PageDate::from_timestamp(timestamp))
    }

    pub fn from_timestamp(timestamp: jiff::Timestamp) -> PageDate {
        let date = timestamp.to_zoned(jiff::tz::TimeZone::UTC).date();
        PageDate {
            datetime: timestamp.strftime("%Y-%m-%dT%H:%M:%SZ").to_string(),
            ymd: date.strftime("%Y-%m-%d").to_string(),
            display: format!(
                "{} {} {}",
                date.day(),
                MONTHS[(date.month() - 1) as usize],
                date.year()
            ),
            year: date.year(),
            timestamp,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_toml_dates_datetimes_and_strings() {
        let toml_date: toml::value::Datetime = "2026-03-14".parse().unwrap();
        let d = PageDate::parse(&RawDate::Toml(toml_date)).unwrap();
        assert_eq!(d.display, "14 March 2026");
        let dt: toml::value::Datetime = "2026-03-14T09:30:00+02:00".parse().unwrap();
        let d = PageDate::parse(&RawDate::Toml(dt)).unwrap();
        assert_eq!(d.datetime, "2026-03-14T07:30:00Z");
        let d = PageDate::parse(&RawDate::Text("2026-03-14 10:00:00".into())).unwrap();
        assert_eq!(d.ymd, "2026-03-14");
        assert!(PageDate::parse(&RawDate::Text("14/03/2026".into())).is_err());
    }
}
