//! iOS version numbers: a small, ordered value type.

use core::fmt;

/// An iOS release number, `major.minor.patch` (a missing part reads as 0).
///
/// Fixed-width fields so that the same value orders and prints the same on
/// every target.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct IosVersion {
    pub major: u8,
    pub minor: u8,
    pub patch: u8,
}

impl IosVersion {
    pub const fn new(major: u8, minor: u8, patch: u8) -> Self {
        IosVersion {
            major,
            minor,
            patch,
        }
    }

    /// The oldest release the model covers: the one Proton's 2020 disclosure
    /// is about.
    pub const OLDEST: IosVersion = IosVersion::new(13, 3, 1);

    /// The major versions Apple shipped in the modelled range. After 18 Apple
    /// renumbered by year and shipped 26 (2025); 19 to 25 never existed.
    pub const MAJORS: [u8; 7] = [13, 14, 15, 16, 17, 18, 26];

    /// Parses and range-checks a version string such as `"16.4"` or `"13.3.1"`.
    pub fn parse(text: &str) -> Result<IosVersion, String> {
        let valid = "write it as MAJOR.MINOR or MAJOR.MINOR.PATCH, e.g. \"13.3.1\", \"15.7\", \"16.4\", \"17.4\", \"18.2\", \"26.1\"";
        let parts: Vec<&str> = text.split('.').collect();
        if parts.is_empty() || parts.len() > 3 || parts.iter().any(|p| p.is_empty()) {
            return Err(format!("`{text}` is not an iOS version: {valid}"));
        }
        let mut numbers = [0u8; 3];
        for (slot, part) in numbers.iter_mut().zip(&parts) {
            if !part.bytes().all(|b| b.is_ascii_digit()) {
                return Err(format!("`{text}` is not an iOS version: {valid}"));
            }
            *slot = part
                .parse::<u8>()
                .map_err(|_| format!("`{text}` is not an iOS version: {valid}"))?;
        }
        let version = IosVersion::new(numbers[0], numbers[1], numbers[2]);
        if !Self::MAJORS.contains(&version.major) {
            return Err(format!(
                "iOS {} is not a release the model covers: the major version must be one of {} (Apple went from 18 straight to 26)",
                version.major,
                Self::MAJORS
                    .iter()
                    .map(|m| m.to_string())
                    .collect::<Vec<_>>()
                    .join(", ")
            ));
        }
        if version < Self::OLDEST {
            return Err(format!(
                "iOS {version} is older than the oldest modelled release, {}",
                Self::OLDEST
            ));
        }
        Ok(version)
    }
}

impl fmt::Display for IosVersion {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.patch == 0 {
            write!(f, "{}.{}", self.major, self.minor)
        } else {
            write!(f, "{}.{}.{}", self.major, self.minor, self.patch)
        }
    }
}

/// A release the model is shown on: the playground's release menu lists
/// them all, and `tunnelscope matrix` shows by default those marked
/// `in_matrix` (one per era of the fact table). Every release where a fact
/// starts or stops applying is a row (a test in `facts` checks it); the others
/// are releases sources report on.
#[derive(Clone, Copy, Debug)]
pub struct Modelled {
    pub version: IosVersion,
    pub in_matrix: bool,
}

const fn modelled(major: u8, minor: u8, patch: u8, in_matrix: bool) -> Modelled {
    Modelled {
        version: IosVersion::new(major, minor, patch),
        in_matrix,
    }
}

/// The releases the model is shown on, oldest first.
pub const MODELLED: &[Modelled] = &[
    modelled(13, 3, 1, true),
    modelled(13, 4, 0, false),
    modelled(14, 0, 0, true),
    modelled(14, 2, 0, true),
    modelled(14, 8, 0, false),
    modelled(15, 0, 0, false),
    modelled(15, 7, 0, true),
    modelled(16, 0, 0, true),
    modelled(16, 1, 0, true),
    modelled(16, 3, 0, false),
    modelled(16, 4, 0, true),
    modelled(16, 7, 0, false),
    modelled(17, 0, 0, true),
    modelled(17, 4, 0, true),
    modelled(18, 0, 0, false),
    modelled(18, 2, 0, true),
    modelled(26, 0, 0, false),
    modelled(26, 1, 0, true),
    modelled(26, 4, 0, false),
];

/// A half-open range of releases, `[since, until)`; `until = None` means
/// "and every later release".
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Releases {
    pub since: IosVersion,
    pub until: Option<IosVersion>,
}

impl Releases {
    pub const fn from(since: IosVersion) -> Self {
        Releases { since, until: None }
    }

    pub const fn between(since: IosVersion, until: IosVersion) -> Self {
        Releases {
            since,
            until: Some(until),
        }
    }

    pub fn contains(&self, version: IosVersion) -> bool {
        version >= self.since && self.until.is_none_or(|until| version < until)
    }
}

impl fmt::Display for Releases {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.until {
            None => write!(f, "iOS {}+", self.since),
            Some(until) => write!(f, "iOS {} to before {}", self.since, until),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_two_and_three_part_versions() {
        assert_eq!(IosVersion::parse("16.4"), Ok(IosVersion::new(16, 4, 0)));
        assert_eq!(IosVersion::parse("13.3.1"), Ok(IosVersion::new(13, 3, 1)));
        assert_eq!(IosVersion::parse("26"), Ok(IosVersion::new(26, 0, 0)));
        assert_eq!(IosVersion::new(13, 3, 1).to_string(), "13.3.1");
        assert_eq!(IosVersion::new(16, 4, 0).to_string(), "16.4");
    }

    #[test]
    fn rejects_versions_outside_the_model() {
        assert!(IosVersion::parse("13.3").unwrap_err().contains("older"));
        assert!(IosVersion::parse("12.0").unwrap_err().contains("13, 14"));
        assert!(
            IosVersion::parse("19.0")
                .unwrap_err()
                .contains("18 straight to 26")
        );
        assert!(IosVersion::parse("16.x").unwrap_err().contains("e.g."));
        assert!(IosVersion::parse("16..1").is_err());
        assert!(IosVersion::parse("").is_err());
        assert!(IosVersion::parse("1.2.3.4").is_err());
    }

    #[test]
    fn ranges_are_half_open() {
        let r = Releases::between(IosVersion::new(16, 1, 0), IosVersion::new(17, 0, 0));
        assert!(!r.contains(IosVersion::new(16, 0, 0)));
        assert!(r.contains(IosVersion::new(16, 1, 0)));
        assert!(r.contains(IosVersion::new(16, 7, 10)));
        assert!(!r.contains(IosVersion::new(17, 0, 0)));
        assert!(Releases::from(IosVersion::new(16, 4, 0)).contains(IosVersion::new(26, 1, 0)));
    }
}
