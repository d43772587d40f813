//! Convergence plots: the median best-so-far value against evaluations, with a band
//! between the quartiles, one colour per algorithm, as PNG and SVG.
//!
//! Text is rendered with DejaVu Sans shipped in `assets/` (Bitstream Vera licence, see
//! `assets/LICENSE-DejaVu.txt`) through plotters' `ab_glyph` backend, so plots render on a
//! machine without fontconfig or any system font.

use std::path::Path;
use std::sync::Once;

use anyhow::{Result, anyhow};
use plotters::coord::Shift;
use plotters::coord::ranged1d::{DefaultFormatting, KeyPointHint, Ranged};
use plotters::coord::types::RangedCoordf64;
use plotters::prelude::*;
use plotters::style::FontStyle;

static FONT: &[u8] = include_bytes!("../assets/DejaVuSans.ttf");
static REGISTER: Once = Once::new();

/// Registers the shipped font as plotters' `sans-serif` (once per process).
pub fn register_font() {
    REGISTER.call_once(|| {
        // The font is compiled in, so a parse failure is a build defect, not a user error.
        if plotters::style::register_font("sans-serif", FontStyle::Normal, FONT).is_err() {
            panic!("the shipped DejaVu Sans font does not parse");
        }
    });
}

/// One algorithm's summarised curve.
#[derive(Debug, Clone)]
pub struct Band {
    /// Algorithm name (legend entry).
    pub label: String,
    /// Evaluation counts.
    pub evals: Vec<u64>,
    /// Median best-so-far value at each count.
    pub median: Vec<f64>,
    /// First quartile.
    pub q1: Vec<f64>,
    /// Third quartile.
    pub q3: Vec<f64>,
}

/// What a plot shows.
#[derive(Debug, Clone)]
pub struct Figure {
    /// Title line.
    pub title: String,
    /// Second title line (smaller).
    pub subtitle: String,
    /// Y axis description (before the scale note).
    pub y_label: String,
    /// Largest evaluation count.
    pub budget: u64,
    /// The curves.
    pub bands: Vec<Band>,
    /// The algorithms' colours.
    pub colours: Colours,
}

/// Twenty colours that stay apart on white, for the algorithms of one report.
const PALETTE: &[(u8, u8, u8)] = &[
    (0, 114, 178),
    (213, 94, 0),
    (0, 158, 115),
    (230, 159, 0),
    (204, 121, 167),
    (86, 180, 233),
    (0, 0, 0),
    (148, 103, 189),
    (140, 86, 75),
    (188, 189, 34),
    (214, 39, 40),
    (23, 190, 207),
    (255, 187, 120),
    (152, 223, 138),
    (174, 199, 232),
    (255, 152, 150),
    (197, 176, 213),
    (196, 156, 148),
    (247, 182, 210),
    (0, 80, 0),
];

/// The baseline's colour, outside the palette.
const RANDOM_GREY: (u8, u8, u8) = (120, 120, 120);

/// The colours of one report's algorithms: each name its own colour, in order of first
/// appearance (distinct for up to twenty algorithms; random search grey), the same in
/// every plot of the report.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Colours {
    names: Vec<String>,
}

impl Colours {
    /// Colours for `names`, in order; repeats keep their first colour.
    pub fn new<N: AsRef<str>>(names: impl IntoIterator<Item = N>) -> Self {
        let mut kept: Vec<String> = Vec::new();
        for name in names {
            let name = name.as_ref();
            if name != "random" && !kept.iter().any(|k| k == name) {
                kept.push(name.to_owned());
            }
        }
        Colours { names: kept }
    }

    /// The colour of `name` (a name not given to [`Colours::new`] gets one by its hash).
    pub fn of(&self, name: &str) -> RGBColor {
        let (r, g, b) = if name == "random" {
            RANDOM_GREY
        } else {
            let index = self.names.iter().position(|n| n == name).unwrap_or_else(|| {
                name.bytes()
                    .fold(0usize, |h, b| h.wrapping_mul(31).wrapping_add(usize::from(b)))
            });
            PALETTE[index % PALETTE.len()]
        };
        RGBColor(r, g, b)
    }
}

/// The floor of a log-scale value axis, or `None` for a linear one. Log scale when no value
/// is negative and the positive ones span a factor over 30; zeros (an optimum reached
/// exactly, as `f − f_opt` often is) are then drawn a decade below the smallest positive
/// value, at the floor.
#[allow(clippy::float_cmp)]
fn log_floor(bands: &[Band]) -> Option<f64> {
    let values = bands
        .iter()
        .flat_map(|b| b.q1.iter().chain(&b.q3).chain(&b.median))
        .filter(|v| v.is_finite());
    let (mut lo, mut hi, mut zero) = (f64::INFINITY, f64::NEG_INFINITY, false);
    for &v in values {
        if v < 0.0 {
            return None;
        }
        if v == 0.0 {
            zero = true;
        } else {
            lo = lo.min(v);
            hi = hi.max(v);
        }
    }
    // A decade below a subnormal minimum may round to 0, whose logarithm is -inf.
    let below = lo / 10.0;
    (lo.is_finite() && hi / lo > 30.0).then_some(if zero && below > 0.0 { below } else { lo })
}

/// Whether any drawn value is exactly 0.
// An optimum reached exactly, compared exactly on purpose.
#[allow(clippy::float_cmp)]
fn zeros(bands: &[Band]) -> bool {
    bands
        .iter()
        .flat_map(|b| b.q1.iter().chain(&b.q3).chain(&b.median))
        .any(|&v| v == 0.0)
}

/// The value axis: linear, or `log10` of the values with ticks at 1, 2 and 5 times the
/// powers of ten (plotters' linear ticks would fall between decades).
struct Axis {
    linear: RangedCoordf64,
    log: bool,
}

impl Ranged for Axis {
    type FormatOption = DefaultFormatting;
    type ValueType = f64;

    fn map(&self, value: &f64, limit: (i32, i32)) -> i32 {
        self.linear.map(value, limit)
    }

    fn key_points<H: KeyPointHint>(&self, hint: H) -> Vec<f64> {
        if !self.log {
            return self.linear.key_points(hint);
        }
        let range = self.linear.range();
        let max = hint.max_num_points().max(2);
        let decades = (range.start.floor() as i32)..=(range.end.ceil() as i32);
        // The densest of these tick sets that fits: 1-2-5 per decade, 1-3, every decade,
        // every other decade, …
        let sets: [&[f64]; 2] = [&[1.0, 2.0, 5.0], &[1.0, 3.0]];
        for multipliers in sets {
            let ticks: Vec<f64> = decades
                .clone()
                .flat_map(|k| multipliers.iter().map(move |m| f64::from(k) + m.log10()))
                .filter(|t| range.contains(t))
                .collect();
            if ticks.len() <= max {
                return ticks;
            }
        }
        let mut step = 1;
        loop {
            let ticks: Vec<f64> = decades
                .clone()
                .filter(|k| k.rem_euclid(step) == 0)
                .map(f64::from)
                .filter(|t| range.contains(t))
                .collect();
            if ticks.len() <= max {
                return ticks;
            }
            step += 1;
        }
    }

    fn range(&self) -> std::ops::Range<f64> {
        self.linear.range()
    }
}

/// Draws `figure` into `dir/name.png` and `dir/name.svg`.
pub fn save(figure: &Figure, dir: &Path, name: &str) -> Result<()> {
    register_font();
    std::fs::create_dir_all(dir)?;
    let png = dir.join(format!("{name}.png"));
    let svg = dir.join(format!("{name}.svg"));
    {
        let root = BitMapBackend::new(&png, (1100, 640)).into_drawing_area();
        draw(&root, figure)?;
        root.present()
            .map_err(|e| anyhow!("writing {}: {e}", png.display()))?;
    }
    {
        let root = SVGBackend::new(&svg, (1100, 640)).into_drawing_area();
        draw(&root, figure)?;
        root.present()
            .map_err(|e| anyhow!("writing {}: {e}", svg.display()))?;
    }
    Ok(())
}

fn draw<DB: DrawingBackend>(root: &DrawingArea<DB, Shift>, figure: &Figure) -> Result<()>
where
    DB::ErrorType: 'static,
{
    let err = |e: DrawingAreaErrorKind<DB::ErrorType>| anyhow!("drawing: {e:?}");
    root.fill(&WHITE).map_err(err)?;
    let floor = log_floor(&figure.bands);
    let log = floor.is_some();
    let transform = |v: f64| match floor {
        Some(floor) => v.max(floor).log10(),
        None => v,
    };

    let (top, rest) = root.split_vertically(62);
    top.draw(&Text::new(
        figure.title.clone(),
        (16, 8),
        ("sans-serif", 24).into_font().color(&BLACK),
    ))
    .map_err(err)?;
    top.draw(&Text::new(
        figure.subtitle.clone(),
        (16, 38),
        ("sans-serif", 15).into_font().color(&RGBColor(80, 80, 80)),
    ))
    .map_err(err)?;
    // The legend gets its own column, so it never covers a curve.
    let (chart_area, legend_area) = rest.split_horizontally(880);

    let mut lo = f64::INFINITY;
    let mut hi = f64::NEG_INFINITY;
    for b in &figure.bands {
        for &v in b.q1.iter().chain(&b.q3).chain(&b.median) {
            if v.is_finite() {
                lo = lo.min(transform(v));
                hi = hi.max(transform(v));
            }
        }
    }
    if !lo.is_finite() {
        (lo, hi) = (0.0, 1.0);
    }
    let pad = if hi > lo {
        0.04 * (hi - lo)
    } else {
        0.5 * lo.abs().max(1.0)
    };
    let (y0, y1) = (lo - pad, hi + pad);

    let mut chart = ChartBuilder::on(&chart_area)
        .margin_left(10)
        .margin_right(20)
        .margin_bottom(10)
        .x_label_area_size(50)
        .y_label_area_size(90)
        .build_cartesian_2d(
            0f64..figure.budget.max(1) as f64,
            Axis {
                linear: (y0..y1).into(),
                log,
            },
        )
        .map_err(err)?;
    let y_desc = match floor {
        Some(floor) if zeros(&figure.bands) => {
            format!(
                "{} (log scale; 0 drawn at {})",
                figure.y_label,
                power_label(floor.log10())
            )
        }
        Some(_) => format!("{} (log scale)", figure.y_label),
        None => figure.y_label.clone(),
    };
    let y_fmt = |v: &f64| if log { power_label(*v) } else { tick_label(*v) };
    let x_fmt = |v: &f64| {
        if *v >= 10_000.0 {
            format!("{}k", (v / 1000.0).round())
        } else {
            format!("{}", v.round())
        }
    };
    chart
        .configure_mesh()
        .x_desc("evaluations")
        .y_desc(y_desc)
        .axis_desc_style(("sans-serif", 17))
        .label_style(("sans-serif", 14))
        .x_label_formatter(&x_fmt)
        .y_label_formatter(&y_fmt)
        .y_labels(12)
        .x_labels(10)
        .max_light_lines(1)
        .light_line_style(RGBColor(244, 244, 244))
        .bold_line_style(RGBColor(215, 215, 215))
        .draw()
        .map_err(err)?;

    for b in &figure.bands {
        let c = figure.colours.of(&b.label);
        let point = |i: usize, v: &[f64]| {
            let y = v[i];
            y.is_finite().then(|| (b.evals[i] as f64, transform(y)))
        };
        let upper: Vec<(f64, f64)> = (0..b.evals.len()).filter_map(|i| point(i, &b.q3)).collect();
        let lower: Vec<(f64, f64)> = (0..b.evals.len()).filter_map(|i| point(i, &b.q1)).collect();
        if upper.len() >= 2 && lower.len() >= 2 {
            let mut outline = upper.clone();
            outline.extend(lower.iter().rev());
            chart
                .draw_series(std::iter::once(Polygon::new(outline, c.mix(0.13).filled())))
                .map_err(err)?;
        }
        let median: Vec<(f64, f64)> = (0..b.evals.len()).filter_map(|i| point(i, &b.median)).collect();
        chart
            .draw_series(LineSeries::new(median, c.stroke_width(3)))
            .map_err(err)?;
    }

    // Legend column: a line sample and the name per algorithm.
    legend_area
        .draw(&Text::new(
            "median, quartile band",
            (8, 12),
            ("sans-serif", 13).into_font().color(&RGBColor(80, 80, 80)),
        ))
        .map_err(err)?;
    for (i, b) in figure.bands.iter().enumerate() {
        let y = 44 + 26 * i as i32;
        let c = figure.colours.of(&b.label);
        legend_area
            .draw(&Rectangle::new([(8, y - 7), (40, y + 7)], c.mix(0.13).filled()))
            .map_err(err)?;
        legend_area
            .draw(&PathElement::new(vec![(8, y), (40, y)], c.stroke_width(3)))
            .map_err(err)?;
        legend_area
            .draw(&Text::new(
                b.label.clone(),
                (48, y - 9),
                ("sans-serif", 16).into_font().color(&BLACK),
            ))
            .map_err(err)?;
    }
    Ok(())
}

/// A runtime ECDF figure: one step line per algorithm (see [`crate::ecdf`]).
#[derive(Debug, Clone)]
pub struct EcdfFigure {
    /// Title line.
    pub title: String,
    /// Second title line (smaller).
    pub subtitle: String,
    /// The step lines.
    pub steps: Vec<crate::ecdf::Step>,
    /// The algorithms' colours.
    pub colours: Colours,
}

/// Draws `figure` into `dir/name.png` and `dir/name.svg`.
pub fn save_ecdf(figure: &EcdfFigure, dir: &Path, name: &str) -> Result<()> {
    register_font();
    std::fs::create_dir_all(dir)?;
    let png = dir.join(format!("{name}.png"));
    let svg = dir.join(format!("{name}.svg"));
    {
        let root = BitMapBackend::new(&png, (1100, 640)).into_drawing_area();
        draw_ecdf(&root, figure)?;
        root.present()
            .map_err(|e| anyhow!("writing {}: {e}", png.display()))?;
    }
    {
        let root = SVGBackend::new(&svg, (1100, 640)).into_drawing_area();
        draw_ecdf(&root, figure)?;
        root.present()
            .map_err(|e| anyhow!("writing {}: {e}", svg.display()))?;
    }
    Ok(())
}

fn draw_ecdf<DB: DrawingBackend>(root: &DrawingArea<DB, Shift>, figure: &EcdfFigure) -> Result<()>
where
    DB::ErrorType: 'static,
{
    let err = |e: DrawingAreaErrorKind<DB::ErrorType>| anyhow!("drawing: {e:?}");
    root.fill(&WHITE).map_err(err)?;
    let (top, rest) = root.split_vertically(62);
    top.draw(&Text::new(
        figure.title.clone(),
        (16, 8),
        ("sans-serif", 24).into_font().color(&BLACK),
    ))
    .map_err(err)?;
    top.draw(&Text::new(
        figure.subtitle.clone(),
        (16, 38),
        ("sans-serif", 15).into_font().color(&RGBColor(80, 80, 80)),
    ))
    .map_err(err)?;
    let (chart_area, legend_area) = rest.split_horizontally(880);
    let xs = figure.steps.iter().flat_map(|s| s.points.iter().map(|p| p.0));
    let (mut x0, mut x1) = (0.0f64, 1.0f64);
    for x in xs.filter(|x| x.is_finite()) {
        x0 = x0.min(x.floor());
        x1 = x1.max(x);
    }
    let mut chart = ChartBuilder::on(&chart_area)
        .margin_left(10)
        .margin_right(20)
        .margin_bottom(10)
        .x_label_area_size(50)
        .y_label_area_size(70)
        .build_cartesian_2d(x0..x1 + 0.05 * (x1 - x0), 0f64..1.0)
        .map_err(err)?;
    chart
        .configure_mesh()
        .x_desc("log10(evaluations / dimension)")
        .y_desc("fraction of (run, target) pairs reached")
        .axis_desc_style(("sans-serif", 17))
        .label_style(("sans-serif", 14))
        .x_label_formatter(&|v: &f64| tick_label(*v))
        .y_label_formatter(&|v: &f64| tick_label(*v))
        .y_labels(11)
        .x_labels(12)
        .max_light_lines(1)
        .light_line_style(RGBColor(244, 244, 244))
        .bold_line_style(RGBColor(215, 215, 215))
        .draw()
        .map_err(err)?;
    for s in &figure.steps {
        let c = figure.colours.of(&s.label);
        chart
            .draw_series(LineSeries::new(s.points.iter().copied(), c.stroke_width(3)))
            .map_err(err)?;
        if let Some(&end) = s.points.last() {
            chart
                .draw_series(std::iter::once(Cross::new(end, 8, c.stroke_width(3))))
                .map_err(err)?;
        }
    }
    legend_area
        .draw(&Text::new(
            "reached at the budget (×)",
            (8, 12),
            ("sans-serif", 13).into_font().color(&RGBColor(80, 80, 80)),
        ))
        .map_err(err)?;
    for (i, s) in figure.steps.iter().enumerate() {
        let y = 44 + 26 * i as i32;
        let c = figure.colours.of(&s.label);
        legend_area
            .draw(&PathElement::new(vec![(8, y), (40, y)], c.stroke_width(3)))
            .map_err(err)?;
        legend_area
            .draw(&Text::new(
                format!("{} {:.0} %", s.label, 100.0 * s.reached),
                (48, y - 9),
                ("sans-serif", 16).into_font().color(&BLACK),
            ))
            .map_err(err)?;
    }
    Ok(())
}

/// A linear-axis tick: the value rounded to 6 significant digits, shortest form.
fn tick_label(v: f64) -> String {
    if v == 0.0 {
        return "0".to_owned();
    }
    let magnitude = v.abs().log10().floor() as i32;
    if !(-4..6).contains(&magnitude) {
        return format!("{v:.1e}");
    }
    let scale = 10f64.powi(5 - magnitude);
    format!("{}", (v * scale).round() / scale)
}

/// A log-axis tick at `10^e`: `0.01`, `1`, `1000` near 1, `1e-6` far from it.
fn power_label(e: f64) -> String {
    if (e - e.round()).abs() < 1e-9 {
        let k = e.round() as i32;
        if (-3..=4).contains(&k) {
            format!("{}", 10f64.powi(k))
        } else {
            format!("1e{k}")
        }
    } else {
        significant(10f64.powf(e), 2)
    }
}

/// `v` with `digits` significant digits, trailing zeros dropped (`0.068`, `1.7e-4`).
pub fn significant(v: f64, digits: usize) -> String {
    if v == 0.0 || !v.is_finite() {
        return format!("{v}");
    }
    let trim = |s: String| -> String {
        if s.contains('.') {
            s.trim_end_matches('0').trim_end_matches('.').to_owned()
        } else {
            s
        }
    };
    let magnitude = v.abs().log10().floor() as i32;
    if !(-3..5).contains(&magnitude) {
        let text = format!("{:.*e}", digits.saturating_sub(1), v);
        let (mantissa, exponent) = text.split_once('e').expect("exponential format");
        return format!("{}e{exponent}", trim(mantissa.to_owned()));
    }
    let decimals = (digits as i32 - 1 - magnitude).max(0) as usize;
    trim(format!("{v:.decimals$}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn band(label: &str, scale: f64) -> Band {
        let evals: Vec<u64> = (1..=50).map(|i| i * 20).collect();
        let median: Vec<f64> = evals.iter().map(|&e| scale * 100.0 / e as f64).collect();
        Band {
            label: label.to_owned(),
            q1: median.iter().map(|m| m * 0.7).collect(),
            q3: median.iter().map(|m| m * 1.4).collect(),
            median,
            evals,
        }
    }

    #[test]
    fn writes_png_and_svg_without_system_fonts() {
        let dir = std::env::temp_dir().join(format!("zoo-bench-plot-{}", std::process::id()));
        let figure = Figure {
            title: "test plot".into(),
            subtitle: "two algorithms".into(),
            y_label: "best value so far".into(),
            budget: 1_000,
            bands: vec![band("alpha", 1.0), band("beta", 0.01)],
            colours: Colours::new(["alpha", "beta"]),
        };
        save(&figure, &dir, "t").unwrap();
        let png = std::fs::read(dir.join("t.png")).unwrap();
        assert_eq!(&png[..8], b"\x89PNG\r\n\x1a\n");
        let svg = std::fs::read_to_string(dir.join("t.svg")).unwrap();
        assert!(svg.contains("<svg") && svg.contains("alpha") && svg.contains("evaluations"));
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn writes_an_ecdf_png() {
        let dir = std::env::temp_dir().join(format!("zoo-bench-ecdf-{}", std::process::id()));
        let step = |label: &str, f: f64| crate::ecdf::Step {
            label: label.into(),
            points: vec![(-0.3, 0.0), (0.5, 0.0), (0.5, f), (2.3, f)],
            reached: f,
        };
        let figure = EcdfFigure {
            title: "ECDF".into(),
            subtitle: "51 targets".into(),
            steps: vec![step("sracos", 0.4), step("random", 0.2)],
            colours: Colours::new(["sracos"]),
        };
        save_ecdf(&figure, &dir, "e").unwrap();
        let png = std::fs::read(dir.join("e.png")).unwrap();
        assert_eq!(&png[..8], b"\x89PNG\r\n\x1a\n");
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn log_scale_for_values_spanning_decades_with_zeros_at_a_floor() {
        assert!(log_floor(&[band("a", 1.0)]).is_some());
        let mut flat = band("a", 1.0);
        flat.q1 = vec![1.0; 50];
        flat.q3 = vec![2.0; 50];
        flat.median = vec![1.5; 50];
        assert_eq!(log_floor(&[flat.clone()]), None);
        // An optimum reached exactly keeps the log scale; zeros sit a decade below.
        let mut reached = flat.clone();
        reached.q3[0] = 1e4;
        reached.q1[49] = 0.0;
        assert_eq!(log_floor(&[reached.clone()]), Some(0.1));
        assert!(zeros(&[reached.clone()]));
        reached.q1[48] = 5e-324;
        assert_eq!(log_floor(&[reached]), Some(5e-324));
        flat.q1[0] = -1.0;
        assert_eq!(log_floor(&[flat]), None);
    }

    #[test]
    fn every_algorithm_of_a_report_has_its_own_colour() {
        let names: Vec<String> = (0..20).map(|i| format!("algo-{i}")).collect();
        let colours = Colours::new(names.iter().chain([&"random".to_owned(), &"algo-3".to_owned()]));
        let mut seen: Vec<RGBColor> = names.iter().map(|n| colours.of(n)).collect();
        seen.push(colours.of("random"));
        for (i, a) in seen.iter().enumerate() {
            assert!(seen[i + 1..].iter().all(|b| b != a), "colour {i} repeats");
        }
    }

    #[test]
    fn tick_labels_are_short() {
        assert_eq!(tick_label(0.5), "0.5");
        assert_eq!(tick_label(1.0), "1");
        assert_eq!(tick_label(2.5000000001), "2.5");
        assert_eq!(power_label(-2.0), "0.01");
        assert_eq!(power_label(3.0), "1000");
        assert_eq!(power_label(-7.0), "1e-7");
    }

    #[test]
    fn significant_digits() {
        assert_eq!(significant(0.08734, 3), "0.0873");
        assert_eq!(significant(123.456, 3), "123");
        assert_eq!(significant(1.7e-4, 2), "1.7e-4");
        assert_eq!(significant(1.7e-4, 4), "1.7e-4");
        assert_eq!(significant(0.068, 4), "0.068");
        assert_eq!(significant(20.0, 3), "20");
        assert_eq!(significant(0.0, 3), "0");
    }
}
