//! Units of amount and of annual rate, and exact, documented conversions between them.
//!
//! * Amount units: `t`, `kt`, `Mt` (mass); `bbl`, `kbbl`, `Mbbl` (oil volume); `m3`, `mcm`, `bcm` (gas
//!   volume); `TEU`, `kTEU` (containers). Prefixes are exact powers of ten.
//! * Rate units: an amount unit per period, `/y` or `/d`. One year is 365 days (the oil industry's
//!   convention for turning barrels per day into an annual figure). Aliases: `b/d` = `bbl/d`,
//!   `kb/d` = `kbbl/d`, `mb/d` = `Mbbl/d`, `Mtpa` = `Mt/y`, `bcma` = `bcm/y`.
//! * Mass ↔ oil volume goes through a grade's barrels per tonne (`1 t = bbl_per_t bbl`); every other
//!   change of dimension is an error, never a silent conversion.
//!
//! Conversions multiply and divide by exact factors (powers of ten, 365, the grade's density), so each
//! result is the exact product correctly rounded in `f64` at every step: relative error below 1e-15.

use std::fmt;
use std::str::FromStr;

/// What a unit measures. Two units convert freely only within one dimension.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Dimension {
    /// Tonnes and their multiples.
    Mass,
    /// Barrels and their multiples (crude converts to mass through a grade).
    OilVolume,
    /// Cubic metres of gas and their multiples.
    GasVolume,
    /// Twenty-foot equivalent units of containers.
    Containers,
}

impl Dimension {
    /// The base unit of amount in this dimension (t, bbl, m3, TEU).
    pub fn base_unit(self) -> AmountUnit {
        match self {
            Dimension::Mass => AmountUnit::T,
            Dimension::OilVolume => AmountUnit::Bbl,
            Dimension::GasVolume => AmountUnit::M3,
            Dimension::Containers => AmountUnit::Teu,
        }
    }

    /// The unit people read results in: `Mt/y`, `Mbbl/y`, `bcm/y`, `TEU/y`.
    pub fn display_rate(self) -> RateUnit {
        let amount = match self {
            Dimension::Mass => AmountUnit::Mt,
            Dimension::OilVolume => AmountUnit::Mbbl,
            Dimension::GasVolume => AmountUnit::Bcm,
            Dimension::Containers => AmountUnit::Kteu,
        };
        RateUnit {
            amount,
            period: Period::Year,
        }
    }

    /// The dimension's name in data files (`oil_volume`).
    pub fn as_str(self) -> &'static str {
        match self {
            Dimension::Mass => "mass",
            Dimension::OilVolume => "oil_volume",
            Dimension::GasVolume => "gas_volume",
            Dimension::Containers => "containers",
        }
    }
}

impl FromStr for Dimension {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "mass" => Ok(Dimension::Mass),
            "oil_volume" => Ok(Dimension::OilVolume),
            "gas_volume" => Ok(Dimension::GasVolume),
            "containers" => Ok(Dimension::Containers),
            other => Err(format!(
                "unknown dimension `{other}`; expected mass, oil_volume, gas_volume or containers"
            )),
        }
    }
}

/// A unit of amount.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum AmountUnit {
    /// Tonne (the base unit of mass).
    T,
    /// Thousand tonnes.
    Kt,
    /// Million tonnes.
    Mt,
    /// Barrel (the base unit of oil volume).
    Bbl,
    /// Thousand barrels.
    Kbbl,
    /// Million barrels.
    Mbbl,
    /// Cubic metre (the base unit of gas volume).
    M3,
    /// Million cubic metres.
    Mcm,
    /// Billion cubic metres.
    Bcm,
    /// Twenty-foot equivalent unit (the base unit of containers).
    Teu,
    /// Thousand TEU.
    Kteu,
}

const AMOUNT_UNITS: [(AmountUnit, &str, Dimension, f64); 11] = [
    (AmountUnit::T, "t", Dimension::Mass, 1.0),
    (AmountUnit::Kt, "kt", Dimension::Mass, 1e3),
    (AmountUnit::Mt, "Mt", Dimension::Mass, 1e6),
    (AmountUnit::Bbl, "bbl", Dimension::OilVolume, 1.0),
    (AmountUnit::Kbbl, "kbbl", Dimension::OilVolume, 1e3),
    (AmountUnit::Mbbl, "Mbbl", Dimension::OilVolume, 1e6),
    (AmountUnit::M3, "m3", Dimension::GasVolume, 1.0),
    (AmountUnit::Mcm, "mcm", Dimension::GasVolume, 1e6),
    (AmountUnit::Bcm, "bcm", Dimension::GasVolume, 1e9),
    (AmountUnit::Teu, "TEU", Dimension::Containers, 1.0),
    (AmountUnit::Kteu, "kTEU", Dimension::Containers, 1e3),
];

impl AmountUnit {
    fn entry(self) -> &'static (AmountUnit, &'static str, Dimension, f64) {
        // Every variant has exactly one row, so the search always succeeds.
        AMOUNT_UNITS
            .iter()
            .find(|e| e.0 == self)
            .unwrap_or(&AMOUNT_UNITS[0])
    }
    /// The symbol as written (`Mt`, `bbl`, `bcm`).
    pub fn symbol(self) -> &'static str {
        self.entry().1
    }
    /// What the unit measures.
    pub fn dimension(self) -> Dimension {
        self.entry().2
    }
    /// How many base units (t, bbl, m3, TEU) one of this unit is.
    pub fn factor(self) -> f64 {
        self.entry().3
    }
    /// Every amount unit's symbol, for help texts and suggestions.
    pub fn all_symbols() -> impl Iterator<Item = &'static str> {
        AMOUNT_UNITS.iter().map(|e| e.1)
    }
}

impl fmt::Display for AmountUnit {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.symbol())
    }
}

/// The period of a rate.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Period {
    /// Per year.
    Year,
    /// Per day (converted with [`DAYS_PER_YEAR`]).
    Day,
}

/// Days in a year when turning a daily rate into an annual one.
pub const DAYS_PER_YEAR: f64 = 365.0;

impl Period {
    /// How many of this period make a year.
    pub fn per_year(self) -> f64 {
        match self {
            Period::Year => 1.0,
            Period::Day => DAYS_PER_YEAR,
        }
    }
    /// The period as written after the slash (`y`, `d`).
    pub fn suffix(self) -> &'static str {
        match self {
            Period::Year => "y",
            Period::Day => "d",
        }
    }
}

/// A rate unit: an amount per period, e.g. `Mt/y` or `bbl/d`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct RateUnit {
    /// What moves.
    pub amount: AmountUnit,
    /// Per what time.
    pub period: Period,
}

impl RateUnit {
    /// What the rate's amount measures.
    pub fn dimension(self) -> Dimension {
        self.amount.dimension()
    }
    /// The base annual rate unit of a dimension: `t/y`, `bbl/y`, `m3/y`, `TEU/y`.
    pub fn base(dimension: Dimension) -> RateUnit {
        RateUnit {
            amount: dimension.base_unit(),
            period: Period::Year,
        }
    }
}

impl serde::Serialize for RateUnit {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl fmt::Display for RateUnit {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}", self.amount, self.period.suffix())
    }
}

/// Either an amount unit or a rate unit, as written on a command line.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Unit {
    /// An amount (`Mt`).
    Amount(AmountUnit),
    /// A rate (`Mt/y`).
    Rate(RateUnit),
}

impl Unit {
    /// What the unit measures.
    pub fn dimension(self) -> Dimension {
        match self {
            Unit::Amount(a) => a.dimension(),
            Unit::Rate(r) => r.dimension(),
        }
    }
}

impl fmt::Display for Unit {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Unit::Amount(a) => a.fmt(f),
            Unit::Rate(r) => r.fmt(f),
        }
    }
}

/// Why a unit could not be read or a conversion could not be made.
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
pub enum UnitError {
    /// The text is no unit this crate knows.
    #[error("unknown unit `{text}`{}", suggestion.as_ref().map(|s| format!(" — did you mean `{s}`?")).unwrap_or_default())]
    Unknown {
        /// The text as written.
        text: String,
        /// The closest known unit, when one is close.
        suggestion: Option<String>,
    },
    /// An amount where a rate is needed.
    #[error(
        "`{text}` is an amount, but a rate is needed here — write it per year, e.g. `{text}/y`"
    )]
    AmountNotRate {
        /// The amount as written.
        text: String,
    },
    /// A conversion between an amount and a rate, which no factor makes.
    #[error("cannot convert between an amount ({amount}) and a rate ({rate})")]
    AmountVersusRate {
        /// The amount unit.
        amount: String,
        /// The rate unit.
        rate: String,
    },
    /// A conversion between units of different dimensions (other than crude mass and volume).
    #[error("cannot convert {from} ({from_dim}) to {to} ({to_dim}): different dimensions")]
    DimensionMismatch {
        /// The unit converted from.
        from: String,
        /// The unit converted to.
        to: String,
        /// What `from` measures.
        from_dim: &'static str,
        /// What `to` measures.
        to_dim: &'static str,
    },
    /// A conversion between barrels and tonnes without a grade to give the density.
    #[error("converting {from} to {to} needs a grade (barrels per tonne)")]
    NeedsGrade {
        /// The unit converted from.
        from: String,
        /// The unit converted to.
        to: String,
    },
    /// A grade's barrels per tonne that is zero, negative or not finite.
    #[error("barrels per tonne must be a positive finite number, got {0}")]
    BadGrade(f64),
}

fn parse_amount(text: &str) -> Option<AmountUnit> {
    let alias = match text {
        "b" => "bbl",
        "kb" => "kbbl",
        "mb" | "MMbbl" | "mmbbl" => "Mbbl",
        "m³" => "m3",
        "teu" => "TEU",
        "kteu" => "kTEU",
        other => other,
    };
    AMOUNT_UNITS.iter().find(|e| e.1 == alias).map(|e| e.0)
}

fn parse_period(text: &str) -> Option<Period> {
    match text {
        "y" | "yr" | "year" | "a" => Some(Period::Year),
        "d" | "day" => Some(Period::Day),
        _ => None,
    }
}

fn known_spellings() -> Vec<String> {
    let mut all: Vec<String> = AmountUnit::all_symbols().map(str::to_string).collect();
    let rates: Vec<String> = all.iter().map(|a| format!("{a}/y")).collect();
    all.extend(rates);
    all.extend(["bbl/d", "b/d", "kb/d", "mb/d", "Mtpa", "bcma"].map(String::from));
    all
}

/// The known unit spelled most like `text`, if any is close (for "did you mean").
pub fn suggest_unit(text: &str) -> Option<String> {
    let spellings = known_spellings();
    closest(text, spellings.iter().map(String::as_str)).map(str::to_string)
}

/// The candidate with the smallest edit distance to `text`, when that distance is small enough to be a typo.
pub fn closest<'a>(text: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let lower = text.to_lowercase();
    let mut best: Option<(usize, &str)> = None;
    for candidate in candidates {
        let d = edit_distance(&lower, &candidate.to_lowercase());
        if best.is_none_or(|(bd, _)| d < bd) {
            best = Some((d, candidate));
        }
    }
    let limit = (text.chars().count() / 3).max(1) + 1;
    best.filter(|(d, _)| *d <= limit).map(|(_, c)| c)
}

/// Levenshtein distance over characters.
pub fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut previous = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let substitution = previous + usize::from(ca != *cb);
            previous = row[j + 1];
            row[j + 1] = substitution.min(row[j] + 1).min(previous + 1);
        }
    }
    row[b.len()]
}

impl FromStr for Unit {
    type Err = UnitError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let text = s.trim();
        let unknown = || UnitError::Unknown {
            text: text.to_string(),
            suggestion: suggest_unit(text),
        };
        let expanded = match text {
            "Mtpa" | "mtpa" => "Mt/y",
            "bcma" => "bcm/y",
            "bpd" => "bbl/d",
            other => other,
        };
        match expanded.split_once('/') {
            None => parse_amount(expanded).map(Unit::Amount).ok_or_else(unknown),
            Some((amount, period)) => {
                let amount = parse_amount(amount.trim()).ok_or_else(unknown)?;
                let period = parse_period(period.trim()).ok_or_else(unknown)?;
                Ok(Unit::Rate(RateUnit { amount, period }))
            }
        }
    }
}

impl FromStr for RateUnit {
    type Err = UnitError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.parse::<Unit>()? {
            Unit::Rate(rate) => Ok(rate),
            Unit::Amount(_) => Err(UnitError::AmountNotRate {
                text: s.trim().to_string(),
            }),
        }
    }
}

impl FromStr for AmountUnit {
    type Err = UnitError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.parse::<Unit>()? {
            Unit::Amount(amount) => Ok(amount),
            Unit::Rate(rate) => Err(UnitError::AmountVersusRate {
                amount: "an amount".into(),
                rate: rate.to_string(),
            }),
        }
    }
}

/// Converts an amount in base units of `from` to base units of `to`, crossing mass ↔ oil volume through
/// `bbl_per_t` when needed.
fn convert_dimension(
    value: f64,
    from: Dimension,
    to: Dimension,
    bbl_per_t: Option<f64>,
    names: (String, String),
) -> Result<f64, UnitError> {
    if from == to {
        return Ok(value);
    }
    let grade = || match bbl_per_t {
        None => Err(UnitError::NeedsGrade {
            from: names.0.clone(),
            to: names.1.clone(),
        }),
        Some(g) if !(g.is_finite() && g > 0.0) => Err(UnitError::BadGrade(g)),
        Some(g) => Ok(g),
    };
    match (from, to) {
        (Dimension::Mass, Dimension::OilVolume) => Ok(value * grade()?),
        (Dimension::OilVolume, Dimension::Mass) => Ok(value / grade()?),
        _ => Err(UnitError::DimensionMismatch {
            from: names.0.clone(),
            to: names.1.clone(),
            from_dim: from.as_str(),
            to_dim: to.as_str(),
        }),
    }
}

/// Converts an amount between amount units.
pub fn convert_amount(
    value: f64,
    from: AmountUnit,
    to: AmountUnit,
    bbl_per_t: Option<f64>,
) -> Result<f64, UnitError> {
    let base = value * from.factor();
    let converted = convert_dimension(
        base,
        from.dimension(),
        to.dimension(),
        bbl_per_t,
        (from.to_string(), to.to_string()),
    )?;
    Ok(converted / to.factor())
}

/// Converts a rate between rate units.
pub fn convert_rate(
    value: f64,
    from: RateUnit,
    to: RateUnit,
    bbl_per_t: Option<f64>,
) -> Result<f64, UnitError> {
    let per_year = value * from.period.per_year();
    let amount = convert_amount(per_year, from.amount, to.amount, bbl_per_t)
        .map_err(|e| rename(e, from.to_string(), to.to_string()))?;
    Ok(amount / to.period.per_year())
}

fn rename(error: UnitError, from: String, to: String) -> UnitError {
    match error {
        UnitError::NeedsGrade { .. } => UnitError::NeedsGrade { from, to },
        UnitError::DimensionMismatch {
            from_dim, to_dim, ..
        } => UnitError::DimensionMismatch {
            from,
            to,
            from_dim,
            to_dim,
        },
        other => other,
    }
}

/// Converts between any two units of the same kind (amount ↔ amount, rate ↔ rate).
pub fn convert(value: f64, from: Unit, to: Unit, bbl_per_t: Option<f64>) -> Result<f64, UnitError> {
    match (from, to) {
        (Unit::Amount(a), Unit::Amount(b)) => convert_amount(value, a, b, bbl_per_t),
        (Unit::Rate(a), Unit::Rate(b)) => convert_rate(value, a, b, bbl_per_t),
        (Unit::Amount(a), Unit::Rate(r)) | (Unit::Rate(r), Unit::Amount(a)) => {
            Err(UnitError::AmountVersusRate {
                amount: a.to_string(),
                rate: r.to_string(),
            })
        }
    }
}

/// Formats a number for people: at most `significant` significant digits, no trailing zeros, no
/// exponent for everyday magnitudes. `16.500000000000004` with 10 digits prints as `16.5`.
pub fn format_significant(value: f64, significant: usize) -> String {
    if !value.is_finite() {
        return value.to_string();
    }
    if value == 0.0 {
        return "0".into();
    }
    let magnitude = value.abs().log10().floor() as i32;
    let decimals = (significant as i32 - 1 - magnitude).clamp(0, 15) as usize;
    let text = format!("{value:.decimals$}");
    let text = if text.contains('.') {
        text.trim_end_matches('0').trim_end_matches('.').to_string()
    } else {
        text
    };
    if text == "-0" {
        "0".into()
    } else {
        text
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rate(s: &str) -> RateUnit {
        s.parse().expect("valid rate unit")
    }

    #[test]
    fn the_kmg_socar_figure_converts_to_16_5_million_barrels() {
        let v = convert_amount(2.2, AmountUnit::Mt, AmountUnit::Mbbl, Some(7.5)).unwrap();
        assert_eq!(format_significant(v, 10), "16.5");
    }

    #[test]
    fn barrels_per_day_to_tonnes_per_year_uses_365_days_and_the_grade() {
        // 1.2 mb/d of Azeri Light (7.45 bbl/t) is 1.2e6 * 365 / 7.45 t/y.
        let v = convert_rate(1.2, rate("mb/d"), rate("Mt/y"), Some(7.45)).unwrap();
        assert!((v - 1.2 * 365.0 / 7.45).abs() < 1e-12, "{v}");
        let back = convert_rate(v, rate("Mt/y"), rate("b/d"), Some(7.45)).unwrap();
        assert!((back - 1.2e6).abs() < 1e-6, "{back}");
    }

    #[test]
    fn gas_and_containers_convert_within_their_dimension_only() {
        assert_eq!(
            convert_rate(23.0, rate("bcm/y"), rate("mcm/y"), None).unwrap(),
            23_000.0
        );
        let err = convert_rate(1.0, rate("TEU/y"), rate("t/y"), None).unwrap_err();
        assert_eq!(
            err.to_string(),
            "cannot convert TEU/y (containers) to t/y (mass): different dimensions"
        );
    }

    #[test]
    fn mass_to_barrels_without_a_grade_is_an_error() {
        let err = convert_amount(1.0, AmountUnit::Mt, AmountUnit::Bbl, None).unwrap_err();
        assert_eq!(
            err.to_string(),
            "converting Mt to bbl needs a grade (barrels per tonne)"
        );
    }

    #[test]
    fn unknown_units_suggest_the_nearest_spelling() {
        let err = "Mtt/y".parse::<Unit>().unwrap_err();
        assert_eq!(
            err.to_string(),
            "unknown unit `Mtt/y` — did you mean `Mt/y`?"
        );
        assert!(matches!(
            "Mt".parse::<RateUnit>(),
            Err(UnitError::AmountNotRate { .. })
        ));
    }

    #[test]
    fn amounts_and_rates_do_not_mix() {
        let err = convert(1.0, "Mt".parse().unwrap(), "Mt/y".parse().unwrap(), None).unwrap_err();
        assert!(matches!(err, UnitError::AmountVersusRate { .. }));
    }

    #[test]
    fn formatting_trims_noise_digits() {
        assert_eq!(format_significant(16.500000000000004, 10), "16.5");
        assert_eq!(format_significant(72_500_000.0, 6), "72500000");
        assert_eq!(format_significant(0.000123456789, 3), "0.000123");
        assert_eq!(format_significant(-0.0000000001, 3), "-0.0000000001");
    }

    proptest::proptest! {
        #[test]
        fn conversions_round_trip(value in 1e-6f64..1e12, grade in 6.5f64..8.5, i in 0usize..11, j in 0usize..11) {
            let a = AMOUNT_UNITS[i].0;
            let b = AMOUNT_UNITS[j].0;
            if let Ok(there) = convert_amount(value, a, b, Some(grade)) {
                let back = convert_amount(there, b, a, Some(grade)).unwrap();
                proptest::prop_assert!(((back - value) / value).abs() < 1e-14);
            } else {
                proptest::prop_assert!(a.dimension() != b.dimension());
            }
        }
    }
}
