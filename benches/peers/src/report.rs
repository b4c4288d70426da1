//! The markdown table and the SVG bar chart, both written from the same measurements.

use std::fmt::Write as _;

/// What a row is: a competitor (counts for the ratio), sse-proto, or a reference point.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    Ours,
    Peer,
    Reference,
}

/// One measured row of a cell.
pub struct Row {
    pub name: String,
    pub kind: Kind,
    /// `None` when the parser did not produce the expected events (it is not timed).
    pub mib_s: Option<f64>,
    /// Set when the row was timed on a prefix of the corpus (to keep a round in budget).
    pub note: Option<String>,
    /// One time per round (rounds are aligned across the rows of a cell).
    pub samples: Vec<std::time::Duration>,
    /// The bytes each sample processed.
    pub bytes: usize,
}

/// One corpus × chunk (or one encoder workload).
pub struct Cell {
    pub title: String,
    pub rows: Vec<Row>,
}

impl Cell {
    /// sse-proto ÷ the fastest peer (by median), and that peer's name: the median over
    /// rounds of the two throughputs' ratio in the same round.
    pub fn ratio(&self) -> Option<(f64, &str)> {
        let ours = self.rows.iter().find(|r| r.kind == Kind::Ours)?;
        ours.mib_s?;
        let best = self
            .rows
            .iter()
            .filter(|r| r.kind == Kind::Peer && r.mib_s.is_some())
            .max_by(|a, b| a.mib_s.unwrap_or(0.0).total_cmp(&b.mib_s.unwrap_or(0.0)))?;
        let speedup =
            crate::measure::paired_speedup(&ours.samples, &best.samples, ours.bytes, best.bytes);
        Some((speedup, best.name.as_str()))
    }
}

/// A ratio with two decimals, rounded down: a cell shown at the target has reached it
/// (rounded to nearest, 1.497 would show as 1.50 in a list of cells below 1.5).
fn fmt_ratio(r: f64) -> String {
    // The small bias keeps a ratio that is exactly representable on its decimal (1.53
    // stored as 1.5299…) from dropping a hundredth.
    format!("{:.2}", ((r * 100.0) + 1e-9).floor() / 100.0)
}

fn fmt_mib(m: Option<f64>) -> String {
    match m {
        Some(m) if m >= 100.0 => format!("{m:.0}"),
        Some(m) => format!("{m:.1}"),
        None => "wrong events".into(),
    }
}

/// A table: one column per cell, one row per parser (MiB/s), then the ratio row.
pub fn table(cells: &[Cell], unit: &str) -> String {
    let mut out = String::new();
    let _ = write!(out, "| {unit} |");
    for c in cells {
        let _ = write!(out, " {} |", c.title);
    }
    out.push_str("\n|---|");
    for _ in cells {
        out.push_str("---:|");
    }
    out.push('\n');
    let names: Vec<(&str, Kind)> = cells[0]
        .rows
        .iter()
        .map(|r| (r.name.as_str(), r.kind))
        .collect();
    let mut notes = Vec::new();
    for (name, kind) in names {
        let label = match kind {
            Kind::Ours => format!("**{name}**"),
            Kind::Reference => format!("*{name}*"),
            Kind::Peer => name.to_string(),
        };
        let _ = write!(out, "| {label} |");
        for c in cells {
            let row = c.rows.iter().find(|r| r.name == name);
            let text = row.map(|r| {
                let mut t = fmt_mib(r.mib_s);
                if let Some(n) = &r.note {
                    notes.push(format!("{name}, {}: {n}", c.title));
                    let _ = write!(t, " [{}]", notes.len());
                }
                if r.kind == Kind::Ours {
                    t = format!("**{t}**");
                }
                t
            });
            let _ = write!(out, " {} |", text.unwrap_or_default());
        }
        out.push('\n');
    }
    out.push_str("| **sse-proto ÷ fastest other** |");
    for c in cells {
        match c.ratio() {
            Some((r, who)) => {
                let _ = write!(out, " **{}×** ({who}) |", fmt_ratio(r));
            }
            None => out.push_str(" — |"),
        }
    }
    out.push('\n');
    for (i, n) in notes.iter().enumerate() {
        let _ = writeln!(out, "\n[{}] {n}", i + 1);
    }
    out
}

fn escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

/// Horizontal bars, one panel per cell, each panel scaled to its own fastest row (the
/// figures are printed on the bars; compare within a panel).
pub fn svg(sections: &[(&str, &[Cell])]) -> String {
    // Room for the longest row name at 12 px (about 6.6 px per character of sans-serif,
    // generous for the ASCII names used here), then 670 px for the bars and their figures.
    let longest = sections
        .iter()
        .flat_map(|(_, cells)| cells.iter())
        .flat_map(|cell| cell.rows.iter())
        .map(|row| row.name.chars().count())
        .max()
        .unwrap_or(0);
    #[allow(clippy::cast_precision_loss)] // a name's length is far below 2^52
    let label_w: f64 = (longest as f64 * 6.6 + 16.0).max(120.0);
    let width: f64 = label_w + 670.0;
    const BAR_H: f64 = 14.0;
    const GAP: f64 = 4.0;
    const PANEL_HEAD: f64 = 26.0;
    const SECTION_HEAD: f64 = 34.0;
    let mut body = String::new();
    let mut y = 10.0;
    for (heading, cells) in sections {
        y += SECTION_HEAD;
        let _ = writeln!(
            body,
            r#"<text x="10" y="{:.0}" font-size="18" font-weight="bold">{}</text>"#,
            y - 10.0,
            escape(heading)
        );
        for cell in *cells {
            y += PANEL_HEAD;
            let ratio = cell
                .ratio()
                .map(|(r, who)| format!(" — sse-proto ÷ fastest other: {}× ({who})", fmt_ratio(r)))
                .unwrap_or_default();
            let _ = writeln!(
                body,
                r#"<text x="10" y="{:.0}" font-size="14" font-weight="bold">{}{}</text>"#,
                y - 8.0,
                escape(&cell.title),
                escape(&ratio)
            );
            let max = cell
                .rows
                .iter()
                .filter_map(|r| r.mib_s)
                .fold(0.0f64, f64::max)
                .max(1e-9);
            for row in &cell.rows {
                let color = match row.kind {
                    Kind::Ours => "#d9480f",
                    Kind::Peer => "#4c6ef5",
                    Kind::Reference => "#adb5bd",
                };
                let _ = writeln!(
                    body,
                    r#"<text x="{:.0}" y="{:.0}" font-size="12" text-anchor="end">{}</text>"#,
                    label_w - 6.0,
                    y + BAR_H - 3.0,
                    escape(&row.name)
                );
                let (w, label) = match row.mib_s {
                    Some(m) => (
                        (width - label_w - 90.0) * m / max,
                        format!("{} MiB/s", fmt_mib(Some(m))),
                    ),
                    None => (0.0, "wrong events (not timed)".into()),
                };
                let _ = writeln!(
                    body,
                    r#"<rect x="{label_w:.0}" y="{y:.0}" width="{w:.1}" height="{BAR_H:.0}" fill="{color}"/>"#
                );
                let _ = writeln!(
                    body,
                    r#"<text x="{:.1}" y="{:.0}" font-size="11">{}</text>"#,
                    label_w + w + 4.0,
                    y + BAR_H - 3.0,
                    escape(&label)
                );
                y += BAR_H + GAP;
            }
        }
    }
    y += 10.0;
    format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{width:.0}\" height=\"{y:.0}\" viewBox=\"0 0 {width:.0} {y:.0}\" font-family=\"sans-serif\">\n<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n{body}</svg>\n"
    )
}

/// For each cell below `target`: the ceiling row named `ceiling` against the fastest other
/// row, so a reader sees whether the target was within reach of any design with the same
/// constraints (same run, same bytes).
///
/// `bounds_everyone`: the ceiling is work every implementation does (so a peer above it
/// means the row measured something else in this run), rather than work only a safe,
/// dependency-free implementation is held to.
pub fn below_target(
    cells: &[Cell],
    target: f64,
    ceiling: &str,
    what: &str,
    bounds_everyone: bool,
) -> String {
    let mut out = String::new();
    for c in cells {
        let Some((ratio, who)) = c.ratio() else {
            continue;
        };
        if ratio >= target {
            continue;
        }
        let best = c.rows.iter().find(|r| r.name == who).and_then(|r| r.mib_s);
        let floor = c
            .rows
            .iter()
            .find(|r| r.name == ceiling)
            .and_then(|r| r.mib_s);
        let (Some(best), Some(floor)) = (best, floor) else {
            continue;
        };
        let ours = c
            .rows
            .iter()
            .find(|r| r.kind == Kind::Ours)
            .and_then(|r| r.mib_s);
        let reach = floor / best;
        let reach_text = fmt_ratio(reach);
        // A peer above a ceiling every implementation must pay says the row measured
        // something else in this run; that comes first, whoever else is above it.
        let verdict = if bounds_everyone && best >= floor {
            format!(
                "{who} itself is faster than this ceiling row ({reach_text}×), so in this run the row \
                 bounds nothing (memory and allocator effects): the cell is not shown to be blocked"
            )
        } else if ours.is_some_and(|o| o >= floor) {
            format!("sse-proto is already faster than this ceiling ({reach_text}× {who}), so it bounds nothing here")
        } else if reach < target {
            format!(
                "even this ceiling is only {reach_text}× {who}, so {target}× is out of reach for {what}"
            )
        } else {
            format!("the ceiling is {reach_text}× {who}: {target}× is not ruled out by it")
        };
        let _ = writeln!(
            out,
            "- **{}**: sse-proto {}× {who} ({best:.0} MiB/s); *{ceiling}* {floor:.0} MiB/s — {verdict}.",
            c.title,
            fmt_ratio(ratio)
        );
    }
    out
}
