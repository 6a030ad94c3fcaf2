//! The controlled vocabularies of case posts, in one place: DICOM modality codes, body regions,
//! systems, diagnostic certainty, sex and the smaller enumerations. The README lists them.
//!
//! Each vocabulary is a table of `(value as written in front matter, label shown to readers)`.
//! An unknown value is an error that lists the allowed ones.

/// One controlled vocabulary.
pub struct Vocabulary {
    /// The front-matter key it is used for, as shown in errors.
    pub name: &'static str,
    /// The taxonomy its values are listed under (`/modality/mri/`), if any.
    pub taxonomy: Option<&'static str>,
    pub terms: &'static [(&'static str, &'static str)],
}

impl Vocabulary {
    /// The label for `value`, or None when `value` is not in the vocabulary.
    pub fn label(&self, value: &str) -> Option<&'static str> {
        self.terms
            .iter()
            .find(|(v, _)| *v == value)
            .map(|(_, l)| *l)
    }

    pub fn values(&self) -> impl Iterator<Item = &'static str> + '_ {
        self.terms.iter().map(|(v, _)| *v)
    }

    /// The message for a value that is not in the vocabulary.
    pub fn unknown_message(&self, value: &str) -> String {
        let allowed: Vec<_> = self.values().collect();
        let mut msg = format!(
            "`{value}` is not a known {}; allowed: {}",
            self.name,
            allowed.join(", ")
        );
        if let Some(close) = crate::error::did_you_mean(value, allowed.iter().copied()) {
            msg.push_str(&format!(" (did you mean `{close}`?)"));
        }
        msg
    }
}

/// DICOM Modality (0008,0060) defined terms useful for case posts (CID 29).
pub const MODALITY: Vocabulary = Vocabulary {
    taxonomy: Some("modality"),
    name: "modality (DICOM code)",
    terms: &[
        ("CR", "Radiograph"),
        ("DX", "Radiograph"),
        ("RG", "Radiograph"),
        ("MG", "Mammography"),
        ("CT", "CT"),
        ("MR", "MRI"),
        ("US", "Ultrasound"),
        ("NM", "Nuclear medicine"),
        ("PT", "PET"),
        ("XA", "Angiography"),
        ("RF", "Fluoroscopy"),
        ("IO", "Intra-oral radiograph"),
        ("PX", "Panoramic radiograph"),
        ("BMD", "Bone densitometry"),
        ("IVUS", "Intravascular ultrasound"),
        ("OCT", "Optical coherence tomography"),
        ("ES", "Endoscopy"),
        ("GM", "Microscopy"),
        ("SM", "Slide microscopy"),
        ("XC", "Clinical photograph"),
        ("OT", "Other"),
    ],
};

/// Body regions, after DICOM Body Part Examined (0018,0015), lower-cased.
pub const BODY_REGION: Vocabulary = Vocabulary {
    taxonomy: Some("regions"),
    name: "body region",
    terms: &[
        ("head", "Head"),
        ("brain", "Brain"),
        ("face", "Face"),
        ("neck", "Neck"),
        ("cspine", "Cervical spine"),
        ("tspine", "Thoracic spine"),
        ("lspine", "Lumbar spine"),
        ("sspine", "Sacrum"),
        ("spine", "Spine"),
        ("chest", "Chest"),
        ("breast", "Breast"),
        ("heart", "Heart"),
        ("abdomen", "Abdomen"),
        ("abdomenpelvis", "Abdomen and pelvis"),
        ("pelvis", "Pelvis"),
        ("shoulder", "Shoulder"),
        ("elbow", "Elbow"),
        ("wrist", "Wrist"),
        ("hand", "Hand"),
        ("hip", "Hip"),
        ("knee", "Knee"),
        ("ankle", "Ankle"),
        ("foot", "Foot"),
        ("upper-extremity", "Upper limb"),
        ("lower-extremity", "Lower limb"),
        ("vascular", "Vessels"),
        ("wholebody", "Whole body"),
    ],
};

/// Systems, after the ABR Core Exam categories and Radiopaedia's systems.
pub const SYSTEM: Vocabulary = Vocabulary {
    taxonomy: Some("systems"),
    name: "system",
    terms: &[
        ("breast", "Breast"),
        ("cardiac", "Cardiac"),
        ("chest", "Chest"),
        ("gastrointestinal", "Gastrointestinal"),
        ("hepatobiliary", "Hepatobiliary"),
        ("genitourinary", "Genitourinary"),
        ("gynaecology", "Gynaecology"),
        ("obstetrics", "Obstetrics"),
        ("head-neck", "Head and neck"),
        ("neuro", "Neuroradiology"),
        ("spine", "Spine"),
        ("musculoskeletal", "Musculoskeletal"),
        ("vascular", "Vascular"),
        ("interventional", "Interventional"),
        ("nuclear", "Nuclear medicine"),
        ("paediatrics", "Paediatrics"),
        ("oncology", "Oncology"),
        ("trauma", "Trauma"),
        ("haematology", "Haematology"),
        ("emergency", "Emergency"),
    ],
};

/// Radiopaedia's diagnostic certainty scale.
pub const CERTAINTY: Vocabulary = Vocabulary {
    taxonomy: None,
    name: "diagnostic_certainty",
    terms: &[
        ("certain", "Certain"),
        ("almost-certain", "Almost certain"),
        ("probable", "Probable"),
        ("possible", "Possible"),
    ],
};

pub const SEX: Vocabulary = Vocabulary {
    taxonomy: None,
    name: "sex",
    terms: &[
        ("female", "Female"),
        ("male", "Male"),
        ("other", "Other"),
        ("unknown", "Not stated"),
    ],
};

pub const AGE_UNIT: Vocabulary = Vocabulary {
    taxonomy: None,
    name: "age_unit",
    terms: &[
        ("years", "years"),
        ("months", "months"),
        ("weeks", "weeks"),
        ("days", "days"),
    ],
};

pub const CONTRAST: Vocabulary = Vocabulary {
    taxonomy: None,
    name: "contrast",
    terms: &[
        ("none", "No contrast"),
        ("iv", "IV contrast"),
        ("oral", "Oral contrast"),
        ("iv+oral", "IV and oral contrast"),
        ("intra-articular", "Intra-articular contrast"),
        ("intrathecal", "Intrathecal contrast"),
        ("other", "Other contrast"),
    ],
};

pub const CONFIRMATION: Vocabulary = Vocabulary {
    taxonomy: None,
    name: "confirmation",
    terms: &[
        ("histology", "Histology"),
        ("surgery", "Surgery"),
        ("follow-up", "Imaging follow-up"),
        ("clinical", "Clinical course"),
        ("criteria", "Diagnostic criteria"),
        ("none", "Not confirmed"),
    ],
};

pub const PLANE: Vocabulary = Vocabulary {
    taxonomy: None,
    name: "plane",
    terms: &[
        ("axial", "Axial"),
        ("coronal", "Coronal"),
        ("sagittal", "Sagittal"),
        ("oblique", "Oblique"),
        ("3d", "3D"),
        ("projection", "Projection"),
    ],
};

pub const CONSENT: Vocabulary = Vocabulary {
    taxonomy: None,
    name: "consent",
    terms: &[
        ("not-required", "Not required"),
        ("institutional-policy", "Institutional policy"),
        ("written-consent", "Written consent"),
    ],
};

pub const AUDIENCE: Vocabulary = Vocabulary {
    taxonomy: None,
    name: "audience",
    terms: &[
        ("patient", "Patients and families"),
        ("clinician", "Clinicians"),
        ("referrer", "Referring clinicians"),
    ],
};

/// Every vocabulary, for the README table and for tests.
pub const ALL: &[&Vocabulary] = &[
    &MODALITY,
    &BODY_REGION,
    &SYSTEM,
    &CERTAINTY,
    &SEX,
    &AGE_UNIT,
    &CONTRAST,
    &CONFIRMATION,
    &PLANE,
    &CONSENT,
    &AUDIENCE,
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_are_unique_within_each_vocabulary() {
        for vocab in ALL {
            let mut seen = std::collections::HashSet::new();
            for v in vocab.values() {
                assert!(seen.insert(v), "{} repeats {v}", vocab.name);
            }
        }
    }

    #[test]
    fn readme_documents_every_value() {
        let readme = include_str!("../README.md");
        for vocab in ALL {
            let line = readme
                .lines()
                .find(|l| l.starts_with(&format!("- **{}**:", vocab.name)))
                .unwrap_or_else(|| panic!("README has no line for {}", vocab.name));
            for v in vocab.values() {
                assert!(
                    line.contains(&format!("`{v}`")),
                    "README misses {v} of {}",
                    vocab.name
                );
            }
        }
    }

    #[test]
    fn unknown_value_lists_allowed_and_suggests() {
        let msg = CERTAINTY.unknown_message("almost_certain");
        assert!(msg.contains("certain, almost-certain, probable, possible"));
        assert!(msg.contains("did you mean `almost-certain`"));
    }
}
