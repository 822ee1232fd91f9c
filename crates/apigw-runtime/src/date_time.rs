use std::fmt;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use time::format_description::well_known::Rfc3339;
use time::macros::format_description;
use time::{OffsetDateTime, PrimitiveDateTime, UtcOffset};

/// A Smithy `timestamp`: an instant with nanosecond precision, independent of how it
/// is written on the wire.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct DateTime {
    seconds: i64,
    nanos: u32,
}

/// The three wire forms of a Smithy timestamp (`smithy.api#timestampFormat`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum TimestampFormat {
    /// RFC 3339 with `Z`, e.g. `1985-04-12T23:20:50.52Z`.
    DateTime,
    /// Seconds since the Unix epoch, fractional part allowed.
    EpochSeconds,
    /// RFC 7231 IMF-fixdate, e.g. `Tue, 29 Apr 2014 18:30:38 GMT`.
    HttpDate,
}

/// A timestamp could not be read or written in the requested format.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("invalid {format} timestamp {input:?}: {reason}")]
pub struct DateTimeError {
    format: &'static str,
    input: String,
    reason: String,
}

impl DateTimeError {
    fn new(format: TimestampFormat, input: &str, reason: impl fmt::Display) -> Self {
        Self {
            format: format.name(),
            input: input.to_owned(),
            reason: reason.to_string(),
        }
    }
}

impl TimestampFormat {
    fn name(self) -> &'static str {
        match self {
            Self::DateTime => "date-time",
            Self::EpochSeconds => "epoch-seconds",
            Self::HttpDate => "http-date",
        }
    }
}

const NANOS_PER_SECOND: u32 = 1_000_000_000;

impl DateTime {
    /// `seconds` after the epoch plus `nanos` (which must be below one second).
    pub const fn from_parts(seconds: i64, nanos: u32) -> Self {
        assert!(nanos < NANOS_PER_SECOND, "nanos must be below one second");
        Self { seconds, nanos }
    }

    /// Whole seconds after the Unix epoch.
    pub const fn from_secs(seconds: i64) -> Self {
        Self { seconds, nanos: 0 }
    }

    /// Fractional seconds after the Unix epoch, rounded to the millisecond as the
    /// services write them.
    pub fn from_secs_f64(value: f64) -> Option<Self> {
        if !value.is_finite() || value.abs() > i64::MAX as f64 / 2.0 {
            return None;
        }
        let millis = (value * 1000.0).round() as i64;
        let seconds = millis.div_euclid(1000);
        let nanos = (millis.rem_euclid(1000) as u32) * 1_000_000;
        Some(Self { seconds, nanos })
    }

    /// Whole seconds after the Unix epoch (rounded down).
    pub const fn secs(&self) -> i64 {
        self.seconds
    }

    /// Nanoseconds past [`DateTime::secs`].
    pub const fn subsec_nanos(&self) -> u32 {
        self.nanos
    }

    /// Seconds after the epoch as a float.
    pub fn as_secs_f64(&self) -> f64 {
        self.seconds as f64 + f64::from(self.nanos) / f64::from(NANOS_PER_SECOND)
    }

    fn to_offset(self) -> Result<OffsetDateTime, time::error::ComponentRange> {
        let nanos =
            i128::from(self.seconds) * i128::from(NANOS_PER_SECOND) + i128::from(self.nanos);
        OffsetDateTime::from_unix_timestamp_nanos(nanos)
    }

    fn from_offset(value: OffsetDateTime) -> Self {
        Self {
            seconds: value.unix_timestamp(),
            nanos: value.nanosecond(),
        }
    }

    /// Writes the timestamp in `format`.
    pub fn fmt(&self, format: TimestampFormat) -> Result<String, DateTimeError> {
        let out_of_range = |e| DateTimeError::new(format, &self.seconds.to_string(), e);
        match format {
            TimestampFormat::EpochSeconds => Ok(if self.nanos == 0 {
                self.seconds.to_string()
            } else {
                let text = format!("{}.{:09}", self.seconds, self.nanos);
                text.trim_end_matches('0').to_owned()
            }),
            TimestampFormat::DateTime => {
                let value = self.to_offset().map_err(out_of_range)?;
                let base = value
                    .format(format_description!(
                        "[year]-[month]-[day]T[hour]:[minute]:[second]"
                    ))
                    .map_err(|e| DateTimeError::new(format, "", e))?;
                if self.nanos == 0 {
                    Ok(format!("{base}Z"))
                } else {
                    let frac = format!("{:09}", self.nanos);
                    Ok(format!("{base}.{}Z", frac.trim_end_matches('0')))
                }
            }
            TimestampFormat::HttpDate => {
                let value = self.to_offset().map_err(out_of_range)?;
                value
                    .format(format_description!(
                        "[weekday repr:short], [day] [month repr:short] [year] [hour]:[minute]:[second] GMT"
                    ))
                    .map_err(|e| DateTimeError::new(format, "", e))
            }
        }
    }

    /// Reads a timestamp written in `format`.
    pub fn parse(format: TimestampFormat, input: &str) -> Result<Self, DateTimeError> {
        match format {
            TimestampFormat::EpochSeconds => {
                if let Ok(seconds) = input.parse::<i64>() {
                    return Ok(Self::from_secs(seconds));
                }
                input
                    .parse::<f64>()
                    .ok()
                    .and_then(Self::from_secs_f64)
                    .ok_or_else(|| DateTimeError::new(format, input, "not a number of seconds"))
            }
            TimestampFormat::DateTime => OffsetDateTime::parse(input, &Rfc3339)
                .map(Self::from_offset)
                .map_err(|e| DateTimeError::new(format, input, e)),
            TimestampFormat::HttpDate => PrimitiveDateTime::parse(
                input,
                format_description!(
                    "[weekday repr:short], [day] [month repr:short] [year] [hour]:[minute]:[second] GMT"
                ),
            )
            .map(|value| Self::from_offset(value.assume_offset(UtcOffset::UTC)))
            .map_err(|e| DateTimeError::new(format, input, e)),
        }
    }
}

impl From<SystemTime> for DateTime {
    fn from(value: SystemTime) -> Self {
        match value.duration_since(UNIX_EPOCH) {
            Ok(after) => Self {
                seconds: after.as_secs() as i64,
                nanos: after.subsec_nanos(),
            },
            Err(before) => {
                let before = before.duration();
                let mut seconds = -(before.as_secs() as i64);
                let mut nanos = before.subsec_nanos();
                if nanos > 0 {
                    seconds -= 1;
                    nanos = NANOS_PER_SECOND - nanos;
                }
                Self { seconds, nanos }
            }
        }
    }
}

impl From<DateTime> for SystemTime {
    fn from(value: DateTime) -> Self {
        if value.seconds >= 0 {
            UNIX_EPOCH + Duration::new(value.seconds as u64, value.nanos)
        } else {
            UNIX_EPOCH - Duration::from_secs(value.seconds.unsigned_abs())
                + Duration::from_nanos(u64::from(value.nanos))
        }
    }
}

impl fmt::Display for DateTime {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.fmt(TimestampFormat::DateTime) {
            Ok(text) => f.write_str(&text),
            Err(_) => write!(f, "{}s after the epoch", self.as_secs_f64()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn date_time_round_trips_with_and_without_fraction() {
        for text in ["2024-02-29T12:30:05Z", "1969-12-31T23:59:59.5Z"] {
            let value = DateTime::parse(TimestampFormat::DateTime, text).unwrap();
            assert_eq!(value.fmt(TimestampFormat::DateTime).unwrap(), text);
        }
        let offset =
            DateTime::parse(TimestampFormat::DateTime, "2024-01-01T01:00:00+01:00").unwrap();
        assert_eq!(offset, DateTime::from_secs(1_704_067_200));
    }

    #[test]
    fn epoch_seconds_accepts_integers_and_fractions() {
        let value = DateTime::parse(TimestampFormat::EpochSeconds, "1515531081.123").unwrap();
        assert_eq!(
            (value.secs(), value.subsec_nanos()),
            (1_515_531_081, 123_000_000)
        );
        assert_eq!(
            value.fmt(TimestampFormat::EpochSeconds).unwrap(),
            "1515531081.123"
        );
        assert!(DateTime::parse(TimestampFormat::EpochSeconds, "soon").is_err());
    }

    #[test]
    fn http_date_round_trips() {
        let text = "Tue, 29 Apr 2014 18:30:38 GMT";
        let value = DateTime::parse(TimestampFormat::HttpDate, text).unwrap();
        assert_eq!(value, DateTime::from_secs(1_398_796_238));
        assert_eq!(value.fmt(TimestampFormat::HttpDate).unwrap(), text);
    }

    #[test]
    fn system_time_conversion_keeps_instants_before_the_epoch() {
        let before = UNIX_EPOCH - Duration::from_millis(1500);
        let value = DateTime::from(before);
        assert_eq!((value.secs(), value.subsec_nanos()), (-2, 500_000_000));
        assert_eq!(SystemTime::from(value), before);
    }
}
