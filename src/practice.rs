//! The practice or department profile (`[practice]` in site.toml): address, phone, opening hours,
//! locations, services, modalities and referral instructions, shown on the home, about and contact
//! pages and published as schema.org MedicalOrganization / MedicalClinic.

use serde::{Deserialize, Serialize};

use crate::content::Term;
use crate::error::Diagnostic;
use crate::vocab;

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct RawPractice {
    name: Option<String>,
    kind: Option<String>,
    description: Option<String>,
    phone: Option<String>,
    hours: Option<Vec<String>>,
    services: Option<Vec<String>>,
    modalities: Option<Vec<String>>,
    referral: Option<String>,
    address: Option<RawAddress>,
    locations: Option<Vec<RawLocation>>,
}

#[derive(Deserialize, Default, Clone)]
#[serde(deny_unknown_fields)]
pub struct RawAddress {
    street: Option<String>,
    locality: Option<String>,
    region: Option<String>,
    postal_code: Option<String>,
    country: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawLocation {
    name: String,
    phone: Option<String>,
    hours: Option<Vec<String>>,
    address: Option<RawAddress>,
}

/// The kinds of practice, with the schema.org type each is published as. A department is a
/// MedicalClinic ("a facility, often associated with a hospital … devoted to the specific
/// diagnosis and/or healthcare"), which, unlike MedicalOrganization, may carry opening hours and
/// services.
pub const KINDS: [(&str, &str); 5] = [
    ("department", "MedicalClinic"),
    ("practice", "MedicalClinic"),
    ("clinic", "MedicalClinic"),
    ("hospital", "Hospital"),
    ("organization", "MedicalOrganization"),
];

#[derive(Debug, Clone, Serialize)]
pub struct Practice {
    pub name: String,
    pub kind: String,
    /// schema.org type: MedicalOrganization, MedicalClinic or Hospital.
    pub schema_type: &'static str,
    pub description: String,
    pub phone: Option<String>,
    pub hours: Vec<Hours>,
    pub services: Vec<String>,
    pub modalities: Vec<Term>,
    /// Paragraphs of the referral instructions.
    pub referral: Vec<String>,
    pub address: Option<Address>,
    pub locations: Vec<Location>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Address {
    pub street: Option<String>,
    pub locality: Option<String>,
    pub region: Option<String>,
    pub postal_code: Option<String>,
    pub country: Option<String>,
    /// One line, for display.
    pub display: String,
}

/// Opening hours as written (schema.org `openingHours`, e.g. `Mo-Fr 08:00-18:00`) and for people.
#[derive(Debug, Clone, Serialize)]
pub struct Hours {
    pub spec: String,
    pub display: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct Location {
    pub name: String,
    pub phone: Option<String>,
    pub hours: Vec<Hours>,
    pub address: Option<Address>,
}

const DAYS: [(&str, &str); 7] = [
    ("Mo", "Monday"),
    ("Tu", "Tuesday"),
    ("We", "Wednesday"),
    ("Th", "Thursday"),
    ("Fr", "Friday"),
    ("Sa", "Saturday"),
    ("Su", "Sunday"),
];

/// Validate `[practice]`. `bad` builds a diagnostic placed at a needle in site.toml.
pub fn validate(
    raw: RawPractice,
    site_title: &str,
    base_path: &str,
    bad: &dyn Fn(&str, String, &str) -> Diagnostic,
) -> Result<Practice, Diagnostic> {
    let RawPractice {
        name,
        kind,
        description,
        phone,
        hours,
        services,
        modalities,
        referral,
        address,
        locations,
    } = raw;
    let kind = kind.unwrap_or_else(|| "department".into());
    let schema_type = KINDS
        .iter()
        .find(|(k, _)| *k == kind)
        .map(|(_, t)| *t)
        .ok_or_else(|| {
            let allowed: Vec<&str> = KINDS.iter().map(|(k, _)| *k).collect();
            bad(
                &format!("\"{kind}\""),
                format!("practice kind `{kind}` is not known"),
                &format!("use one of: {}", allowed.join(", ")),
            )
        })?;
    let mut terms = Vec::new();
    for code in modalities.unwrap_or_default() {
        match Term::from_vocab(&vocab::MODALITY, &code, base_path) {
            Some(t) => terms.push(t),
            None => {
                return Err(bad(
                    &format!("\"{code}\""),
                    vocab::MODALITY.unknown_message(&code),
                    "list the DICOM modality codes you offer, e.g. [\"CT\", \"MR\", \"US\"]",
                ));
            }
        }
    }
    let hours = parse_hours(hours.unwrap_or_default(), bad)?;
    let mut built_locations = Vec::new();
    for RawLocation {
        name,
        phone,
        hours,
        address,
    } in locations.unwrap_or_default()
    {
        built_locations.push(Location {
            name,
            phone,
            hours: parse_hours(hours.unwrap_or_default(), bad)?,
            address: address.map(build_address),
        });
    }
    Ok(Practice {
        name: name.unwrap_or_else(|| site_title.to_string()),
        kind,
        schema_type,
        description: description.unwrap_or_default(),
        phone,
        hours,
        services: services.unwrap_or_default(),
        modalities: terms,
        referral: referral
            .unwrap_or_default()
            .split("\n\n")
            .map(|p| p.split_whitespace().collect::<Vec<_>>().join(" "))
            .filter(|p| !p.is_empty())
            .collect(),
        address: address.map(build_address),
        locations: built_locations,
    })
}

fn build_address(raw: RawAddress) -> Address {
    let RawAddress {
        street,
        locality,
        region,
        postal_code,
        country,
    } = raw;
    let display = [&street, &locality, &region, &postal_code, &country]
        .iter()
        .filter_map(|p| p.as_deref())
        .collect::<Vec<_>>()
        .join(", ");
    Address {
        street,
        locality,
        region,
        postal_code,
        country,
        display,
    }
}

/// `Mo-Fr 08:00-18:00` → "Monday to Friday, 08:00–18:00"; anything else is an error with an
/// example, since search engines read the same string.
fn parse_hours(
    specs: Vec<String>,
    bad: &dyn Fn(&str, String, &str) -> Diagnostic,
) -> Result<Vec<Hours>, Diagnostic> {
    specs
        .into_iter()
        .map(|spec| {
            let display = hours_display(&spec).ok_or_else(|| {
                bad(
                    &spec,
                    format!("opening hours `{spec}` are not in the form `Mo-Fr 08:00-18:00`"),
                    "write days as Mo Tu We Th Fr Sa Su (a range Mo-Fr or a list Mo,We) and then the hours as HH:MM-HH:MM",
                )
            })?;
            Ok(Hours { spec, display })
        })
        .collect()
}

fn day_name(code: &str) -> Option<&'static str> {
    DAYS.iter().find(|(c, _)| *c == code).map(|(_, n)| *n)
}

fn hours_display(spec: &str) -> Option<String> {
    let (days, times) = spec.trim().split_once(' ')?;
    let days_text = if let Some((from, to)) = days.split_once('-') {
        format!("{} to {}", day_name(from)?, day_name(to)?)
    } else {
        days.split(',')
            .map(day_name)
            .collect::<Option<Vec<_>>>()?
            .join(", ")
    };
    let (open, close) = times.trim().split_once('-')?;
    let valid = |t: &str| {
        let (h, m) = t.split_once(':')?;
        (h.len() == 2 && m.len() == 2 && h.parse::<u8>().ok()? <= 24 && m.parse::<u8>().ok()? < 60)
            .then_some(())
    };
    valid(open)?;
    valid(close)?;
    Some(format!("{days_text}, {open}–{close}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn opening_hours_read_as_words() {
        assert_eq!(
            hours_display("Mo-Fr 07:30-19:00").as_deref(),
            Some("Monday to Friday, 07:30–19:00")
        );
        assert_eq!(
            hours_display("Sa,Su 09:00-12:00").as_deref(),
            Some("Saturday, Sunday, 09:00–12:00")
        );
        assert_eq!(hours_display("weekdays 9-5"), None);
        assert_eq!(hours_display("Mo-Fr 7:30-19:00"), None);
    }
}
