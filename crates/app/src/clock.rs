use std::sync::{Arc, Mutex};

use time::{Date, Duration, OffsetDateTime, UtcOffset};

/// China Standard Time; China has no daylight saving (SYS-4).
pub const CST: UtcOffset = match UtcOffset::from_hms(8, 0, 0) {
    Ok(offset) => offset,
    Err(_) => UtcOffset::UTC,
};

/// The time source of every use case. `manual` clocks let tests move time.
#[derive(Clone, Debug)]
pub struct Clock {
    manual: Option<Arc<Mutex<OffsetDateTime>>>,
}

impl Clock {
    pub fn system() -> Self {
        Self { manual: None }
    }

    pub fn manual(at: OffsetDateTime) -> Self {
        Self {
            manual: Some(Arc::new(Mutex::new(at))),
        }
    }

    pub fn now(&self) -> OffsetDateTime {
        match &self.manual {
            Some(t) => *t.lock().unwrap_or_else(|e| e.into_inner()),
            None => OffsetDateTime::now_utc(),
        }
        .to_offset(UtcOffset::UTC)
    }

    /// Today's date in China.
    pub fn today(&self) -> Date {
        self.now().to_offset(CST).date()
    }

    /// Moves a manual clock; does nothing to the system clock.
    pub fn set(&self, at: OffsetDateTime) {
        if let Some(t) = &self.manual {
            *t.lock().unwrap_or_else(|e| e.into_inner()) = at;
        }
    }

    pub fn advance(&self, by: Duration) {
        if let Some(t) = &self.manual {
            let mut guard = t.lock().unwrap_or_else(|e| e.into_inner());
            *guard += by;
        }
    }
}

/// A moment as people read it: `2026-12-06 19:30（北京时间）`.
pub fn human_time(t: OffsetDateTime) -> String {
    format!("{}（北京时间）", minutes(t))
}

/// SYS-4: a time as every page shows it — China Standard Time, to the minute
/// (`2026-12-04 11:26`), never seconds or an offset.
pub fn minutes(t: OffsetDateTime) -> String {
    let t = t.to_offset(CST);
    format!(
        "{:04}-{:02}-{:02} {:02}:{:02}",
        t.year(),
        u8::from(t.month()),
        t.day(),
        t.hour(),
        t.minute()
    )
}
