//! One function per subcommand; each returns the exit code.

use std::io::Write;
use std::process::ExitCode;

use anyhow::{Context, Result};

use crate::cli::{AnalyzeArgs, BuildArgs, Cli, Command, CompareArgs, InputArgs};
use factbrief::brief::Brief;
use factbrief::claims::similarity::{Idf, Normalizer, similarity};
use factbrief::render::{self, Format, Templates, typst::Typst};
use factbrief::{Config, data::Data, ingest};

pub fn run(cli: Cli) -> Result<ExitCode> {
    let result = match cli.command {
        Command::Build(args) => build(args),
        Command::Analyze(args) => analyze(args),
        Command::Compare(args) => compare(args),
    };
    factbrief::timings::report();
    result
}

fn load(input: &InputArgs) -> Result<Brief> {
    let corpus = factbrief::timings::stage("read", || {
        ingest::read_folder(&input.input, ingest::Limits { max_file_bytes: input.max_file_size })
    })?;
    for warning in &corpus.warnings {
        eprintln!("warning: {warning}");
    }
    let mut config = Config { data: Data::load(input.data.as_deref())?, ..Config::default() };
    let manifest = input.input.join("sources.toml");
    config.title = input
        .title
        .clone()
        .or_else(|| manifest.exists().then(|| ingest::Manifest::load(&manifest).ok()).flatten().and_then(|m| m.title));
    let bar = progress_bar(corpus.documents.len());
    if let Some(bar) = &bar {
        let bar = bar.clone();
        config.progress = Some(std::sync::Arc::new(move |stage: &'static str, done: u64, total: u64| {
            bar.set_message(stage);
            bar.set_length(total);
            bar.set_position(done);
        }));
    }
    let brief = factbrief::analyze(&corpus, &config);
    if let Some(bar) = bar {
        bar.finish_and_clear();
    }
    brief
}

/// Runs with this many articles or more show a progress bar.
const PROGRESS_FROM: usize = 200;

/// A progress bar on standard error for long runs, only on a terminal: never in pipes,
/// redirections or CI (the `CI` variable set), so logs stay clean.
fn progress_bar(documents: usize) -> Option<indicatif::ProgressBar> {
    use std::io::IsTerminal;
    if documents < PROGRESS_FROM || !std::io::stderr().is_terminal() || std::env::var_os("CI").is_some() {
        return None;
    }
    let bar = indicatif::ProgressBar::new(documents as u64);
    bar.set_style(
        indicatif::ProgressStyle::with_template("{spinner} {msg:<18} [{bar:30}] {pos}/{len} {elapsed}")
            .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar())
            .progress_chars("=> "),
    );
    bar.enable_steady_tick(std::time::Duration::from_millis(200));
    Some(bar)
}

/// The PDF's creation time: SOURCE_DATE_EPOCH, else the newest article date, else 0.
fn creation_time(brief: &Brief) -> i64 {
    if let Some(t) = std::env::var("SOURCE_DATE_EPOCH").ok().and_then(|s| s.trim().parse().ok()) {
        return t;
    }
    brief
        .date_range
        .as_ref()
        .and_then(|(_, newest)| chrono::NaiveDate::parse_from_str(newest, "%Y-%m-%d").ok())
        .and_then(|d| d.and_hms_opt(0, 0, 0))
        .map(|t| t.and_utc().timestamp())
        .unwrap_or(0)
}

fn build(args: BuildArgs) -> Result<ExitCode> {
    let mut formats: Vec<Format> = args.formats.iter().map(|f| Format::parse(f)).collect::<Result<_>>()?;
    formats.sort();
    formats.dedup();
    let brief = load(&args.input)?;
    let templates = Templates { dir: args.templates.clone() };
    let typst = Typst::find();
    let options = render::Options {
        formats: &formats,
        templates: &templates,
        typst: typst.as_ref(),
        creation_time: creation_time(&brief),
    };
    if args.check {
        return check(&brief, &args.output, &options);
    }
    let report = render::write_brief(&brief, &args.output, &options)?;
    for path in &report.written {
        eprintln!("wrote {}", path.display());
    }
    if let Some((format, err)) = report.failed.first() {
        let others: Vec<String> =
            report.failed.iter().skip(1).map(|(f, e)| format!("{}: {e:#}", f.file_name())).collect();
        let rest = if others.is_empty() { String::new() } else { format!("; {}", others.join("; ")) };
        return Err(anyhow::anyhow!("{err:#}{rest}"))
            .with_context(|| format!("could not write {}", format.file_name()));
    }
    Ok(ExitCode::SUCCESS)
}

/// Compares what would be written with what is in the output folder.
fn check(brief: &Brief, out: &std::path::Path, options: &render::Options) -> Result<ExitCode> {
    let staging = tempfile::tempdir()?;
    let report = render::write_brief(brief, staging.path(), options)?;
    if let Some((format, err)) = report.failed.first() {
        return Err(anyhow::anyhow!("{err:#}")).with_context(|| format!("could not generate {}", format.file_name()));
    }
    let mut differ = Vec::new();
    for path in &report.written {
        let name = path.file_name().unwrap_or_default();
        let committed = out.join(name);
        let fresh = std::fs::read(path)?;
        if std::fs::read(&committed).ok().as_deref() != Some(fresh.as_slice()) {
            differ.push(committed.display().to_string());
        }
    }
    if differ.is_empty() {
        eprintln!("{} is up to date", out.display());
        Ok(ExitCode::SUCCESS)
    } else {
        eprintln!("out of date: {}", differ.join(", "));
        Ok(ExitCode::FAILURE)
    }
}

fn analyze(args: AnalyzeArgs) -> Result<ExitCode> {
    let brief = load(&args.input)?;
    let json = factbrief::timings::stage("json", || render::json(&brief))?;
    let mut stdout = std::io::stdout().lock();
    match stdout.write_all(json.as_bytes()) {
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(ExitCode::SUCCESS),
        other => other.map(|_| ExitCode::SUCCESS).context("cannot write to standard output"),
    }
}

fn compare(args: CompareArgs) -> Result<ExitCode> {
    let data = Data::builtin();
    let normalizer = Normalizer::new(&data.aliases);
    let pairs: Vec<(String, String)> = match &args.pairs {
        Some(path) => {
            let text = std::fs::read_to_string(path).with_context(|| format!("cannot read {}", path.display()))?;
            text.lines()
                .enumerate()
                .filter(|(_, l)| !l.trim().is_empty())
                .map(|(n, l)| {
                    let mut cols = l.split('\t');
                    match (cols.next(), cols.next()) {
                        (Some(a), Some(b)) => Ok((a.to_string(), b.to_string())),
                        _ => anyhow::bail!("{}: line {} has no tab between the two sentences", path.display(), n + 1),
                    }
                })
                .collect::<Result<_>>()?
        }
        None => vec![(args.a.clone().unwrap_or_default(), args.b.clone().unwrap_or_default())],
    };
    // Term weights come from the sentences being compared.
    let terms: Vec<Vec<String>> = pairs.iter().flat_map(|(a, b)| [normalizer.terms(a), normalizer.terms(b)]).collect();
    let idf = Idf::fit(terms.iter());
    let mut out = std::io::stdout().lock();
    for (a, b) in &pairs {
        let s = similarity(&normalizer, &idf, a, b);
        let line = if args.pairs.is_some() {
            format!("{s:.4}\n")
        } else {
            format!("similarity {s:.4}\nsame claim: {}\n", if s >= args.threshold { "yes" } else { "no" })
        };
        if let Err(e) = out.write_all(line.as_bytes()) {
            if e.kind() == std::io::ErrorKind::BrokenPipe {
                break;
            }
            return Err(e.into());
        }
    }
    Ok(ExitCode::SUCCESS)
}
