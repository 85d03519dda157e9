//! The dashboard's two charts, drawn as inline SVG (no script): the per-child rates as
//! horizontal bars and the weekly trend of completed transfers with the cumulative rate.

use tuanwu_app::graduation::continuity::{ContinuityView, TrendView};

/// One horizontal bar of the per-child chart (SVG units).
pub struct Bar {
    pub y: u32,
    pub text_y: u32,
    pub label: String,
    pub full_name: String,
    pub width: u32,
    pub value: String,
}

/// One week of the trend chart (SVG units).
pub struct WeekBar {
    pub x: u32,
    pub y: u32,
    pub width: u32,
    pub height: u32,
    pub title: String,
}

pub struct TrendChart {
    pub bars: Vec<WeekBar>,
    /// The cumulative rate as a polyline (`x,y x,y …`).
    pub line: String,
    /// Where the rate line ends (SVG units) and the rate it reaches, written beside that end
    /// in the line's colour: the figure's own label, apart from the grey axis labels.
    pub end_x: u32,
    pub end_y: u32,
    pub end_label: String,
    pub max_week: u64,
    pub first: String,
    pub last: String,
    pub weeks: usize,
    pub total: u64,
}

pub(super) fn percent(rate: Option<f64>) -> String {
    match rate {
        Some(r) => format!("{:.1}%", r * 100.0),
        None => "—".into(),
    }
}

/// At most `n` characters, with an ellipsis when cut.
fn cut(s: &str, n: usize) -> String {
    if s.chars().count() <= n {
        s.to_string()
    } else {
        let mut out: String = s.chars().take(n.saturating_sub(1)).collect();
        out.push('…');
        out
    }
}

const CHART_W: f64 = 250.0;
pub(super) const ROW_H: u32 = 30;

pub(super) fn bars(view: &ContinuityView) -> Vec<Bar> {
    view.children
        .iter()
        .enumerate()
        .map(|(i, c)| {
            let y = i as u32 * ROW_H + 4;
            Bar {
                y,
                text_y: y + 16,
                label: cut(&c.name, 10),
                full_name: c.name.clone(),
                width: (c.rate.unwrap_or(0.0) * CHART_W).round() as u32,
                value: format!("{}（{}/{}）", percent(c.rate), c.numerator, c.denominator),
            }
        })
        .collect()
}

const TREND_W: f64 = 440.0;
const TREND_H: f64 = 160.0;

pub(super) fn trend_chart(t: &TrendView) -> TrendChart {
    let n = t.weeks.len().max(1);
    let slot = TREND_W / n as f64;
    let max_week = t.weeks.iter().map(|w| w.completed).max().unwrap_or(0);
    let scale = if max_week == 0 {
        0.0
    } else {
        TREND_H / max_week as f64
    };
    let bars = t
        .weeks
        .iter()
        .enumerate()
        .filter(|(_, w)| w.completed > 0)
        .map(|(i, w)| {
            let h = (w.completed as f64 * scale).round().max(1.0);
            WeekBar {
                x: (i as f64 * slot + slot * 0.15).round() as u32,
                y: (TREND_H - h).round() as u32,
                width: (slot * 0.7).round().max(1.0) as u32,
                height: h as u32,
                title: format!(
                    "{}（{}起）：完成{}人，累计{}人，{}",
                    w.week,
                    w.start,
                    w.completed,
                    w.cumulative,
                    percent(w.rate)
                ),
            }
        })
        .collect();
    let line = t
        .weeks
        .iter()
        .enumerate()
        .map(|(i, w)| {
            let x = i as f64 * slot + slot / 2.0;
            let y = TREND_H - w.rate.unwrap_or(0.0) * TREND_H;
            format!("{:.1},{:.1}", x, y)
        })
        .collect::<Vec<_>>()
        .join(" ");
    let (end_x, end_y, end_label) = t
        .weeks
        .last()
        .map(|w| {
            let x = (t.weeks.len() - 1) as f64 * slot + slot / 2.0;
            let y = TREND_H - w.rate.unwrap_or(0.0) * TREND_H;
            (x.round() as u32, y.round() as u32, percent(w.rate))
        })
        .unwrap_or((0, TREND_H as u32, percent(None)));
    TrendChart {
        bars,
        line,
        end_x,
        end_y,
        end_label,
        max_week,
        first: t
            .weeks
            .first()
            .map(|w| format!("{}（{}）", w.week, w.start))
            .unwrap_or_default(),
        last: t
            .weeks
            .last()
            .map(|w| format!("{}（{}）", w.week, w.start))
            .unwrap_or_default(),
        weeks: t.weeks.len(),
        total: t.numerator,
    }
}
