//! One function per subcommand; each returns the exit code.

use std::io::Write;
use std::process::ExitCode;

use anyhow::{Context, Result};

use crate::cli::{AnalyzeArgs, BuildArgs, Cli, Command, CompareArgs, InputArgs, SiteArgs};
use factbrief::brief::Brief;
use factbrief::claims::similarity::{Idf, Normalizer, similarity};
use factbrief::render::{self, Format, Templates, typst::Typst};
use factbrief::{Config, data::Data, ingest};

pub fn run(cli: Cli) -> Result<ExitCode> {
    let result = match cli.command {
        Command::Build(args) => build(args),
        Command::Analyze(args) => analyze(args),
        Command::Compare(args) => compare(args),
        Command::Site(args) => site(args),
    };
    // Stage times on stderr when FACTBRIEF_TIMINGS is set; stdout never changes.
    factbrief::timings::report();
    result
}

fn load(input: &InputArgs) -> Result<Brief> {
    let encoder = if input.embeddings { Some(load_encoder()?) } else { None };
    load_folder(&input.input, input.data.as_deref(), input.max_file_size, input.title.clone(), "", encoder)
}

#[cfg(feature = "embeddings")]
fn load_encoder() -> Result<Box<dyn factbrief::claims::Encoder>> {
    use factbrief::claims::embed::Embedder;
    Ok(Box::new(Embedder::load(&Embedder::default_dir()).context("cannot load the embedding model")?))
}

#[cfg(not(feature = "embeddings"))]
fn load_encoder() -> Result<Box<dyn factbrief::claims::Encoder>> {
    anyhow::bail!(
        "this factbrief was built without embeddings: rebuild with `cargo build --release --features embeddings` \
         and install the model with scripts/ensure-model.sh"
    )
}

/// Reads and analyses one folder of articles; warnings go to stderr, after `prefix`.
fn load_folder(
    dir: &std::path::Path,
    data: Option<&std::path::Path>,
    max_file_size: u64,
    title: Option<String>,
    prefix: &str,
    encoder: Option<Box<dyn factbrief::claims::Encoder>>,
) -> Result<Brief> {
    // The data loads, and the model, lexicon and patterns are built, while the files are read.
    let (corpus, prepared) = factbrief::timings::stage("read", || {
        rayon::join(
            || ingest::read_folder(dir, ingest::Limits { max_file_bytes: max_file_size }),
            || Data::load(data).and_then(|data| Ok((factbrief::prepare(&data)?, data))),
        )
    });
    let corpus = corpus?;
    let (prepared, data) = prepared?;
    for warning in &corpus.warnings {
        eprintln!("warning: {prefix}{warning}");
    }
    let progress = factbrief::progress::Progress::for_terminal(corpus.documents.len());
    // The manifest was read with the articles: reading it again cost a tenth of a second at
    // 10,000 entries.
    let title = title.or_else(|| corpus.title.clone());
    let config = Config { data, claims: Default::default(), title, encoder, progress: progress.clone() };
    let brief = factbrief::analyze_prepared(&corpus, &config, prepared);
    progress.finish();
    brief
}

fn parse_formats(names: &[String]) -> Result<Vec<Format>> {
    let mut formats: Vec<Format> = names.iter().map(|f| Format::parse(f)).collect::<Result<_>>()?;
    formats.sort();
    formats.dedup();
    Ok(formats)
}

fn build(args: BuildArgs) -> Result<ExitCode> {
    let formats = parse_formats(&args.formats)?;
    let brief = load(&args.input)?;
    let templates = Templates { dir: args.templates.clone() };
    let typst = Typst::find();
    let options = render::Options {
        formats: &formats,
        templates: &templates,
        typst: typst.as_ref(),
        creation_time: render::creation_time(&brief),
    };
    if args.check {
        return check(&brief, &args.output, &options);
    }
    let report = render::write_brief(&brief, &args.output, &options)?;
    for path in &report.written {
        eprintln!("wrote {}", path.display());
    }
    for note in &report.notes {
        eprintln!("note: {note}");
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

fn site(args: SiteArgs) -> Result<ExitCode> {
    let mut formats = parse_formats(&args.formats)?;
    let typst = Typst::find();
    if typst.is_none() && formats.contains(&Format::Pdf) {
        formats.retain(|f| *f != Format::Pdf);
        eprintln!("note: typst was not found, so the stories get no PDF (set TYPST or run scripts/ensure-typst.sh)");
    }
    if formats.is_empty() {
        anyhow::bail!("no format left to write");
    }
    let templates = Templates { dir: args.templates.clone() };
    let options = factbrief::site::Options {
        formats: &formats,
        templates: &templates,
        data_dir: args.data.as_deref(),
        typst: typst.as_ref(),
        force: args.force,
        creation_time: &render::creation_time,
    };
    let load = |dir: &std::path::Path| {
        let name = dir.file_name().unwrap_or_default().to_string_lossy();
        load_folder(dir, args.data.as_deref(), args.max_file_size, None, &format!("{name}: "), None)
    };
    let report = factbrief::site::build(&args.stories, &args.output, &options, &load, &mut |line| eprintln!("{line}"))?;
    for note in &report.notes {
        eprintln!("note: {note}");
    }
    for (slug, err) in &report.failed {
        let causes: Vec<String> = err.chain().map(|c| c.to_string()).collect();
        eprintln!("error: {slug}: {}", causes.join(": "));
    }
    eprintln!(
        "wrote {} ({} built, {} up to date{})",
        report.index.display(),
        report.built.len(),
        report.up_to_date.len(),
        if report.failed.is_empty() { String::new() } else { format!(", {} failed", report.failed.len()) }
    );
    Ok(if report.failed.is_empty() { ExitCode::SUCCESS } else { ExitCode::FAILURE })
}

fn analyze(args: AnalyzeArgs) -> Result<ExitCode> {
    let brief = load(&args.input)?;
    let mut stdout = std::io::BufWriter::with_capacity(1 << 20, std::io::stdout().lock());
    let written =
        factbrief::timings::stage("json", || render::write_json(&brief, &mut stdout).and_then(|_| stdout.flush()));
    // The process ends here: freeing a brief of ten thousand articles piece by piece would take
    // longer than some whole stages (0.17 s), and the system takes the memory back at exit anyway.
    std::mem::forget(brief);
    match written {
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
