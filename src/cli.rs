//! The command line. Doc comments here are the `--help` text.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

/// Turn a folder of news articles about one event into a fact-check brief.
#[derive(Debug, Parser)]
#[command(name = "factbrief", version, about, long_about = None)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Analyse a folder of articles and write the brief (Markdown, HTML, PDF, JSON).
    Build(BuildArgs),
    /// Analyse a folder of articles and print the brief's JSON to standard output.
    Analyze(AnalyzeArgs),
    /// Score how similar two sentences are, and whether they would be grouped as one claim.
    Compare(CompareArgs),
    /// Build a brief for every story (subfolder) of a folder, plus an index page listing them;
    /// a story whose files and factbrief version did not change is not rebuilt.
    Site(SiteArgs),
}

#[derive(Debug, Args)]
pub struct InputArgs {
    /// Folder of articles (.txt, .md, .html) and an optional sources.toml manifest.
    #[arg(default_value = "seeds")]
    pub input: PathBuf,
    /// Folder whose data files (boilerplate.toml, outlets.toml, aliases.toml, lexicon.toml)
    /// replace or extend the built-in ones.
    #[arg(long, value_name = "DIR")]
    pub data: Option<PathBuf>,
    /// Skip articles larger than this many bytes.
    #[arg(long, value_name = "BYTES", default_value_t = 20 * 1024 * 1024)]
    pub max_file_size: u64,
    /// The brief's title (default: the most widely carried claim).
    #[arg(long)]
    pub title: Option<String>,
    /// Group claims with sentence embeddings (all-MiniLM-L6-v2) as well as words: better at
    /// paraphrase, slower. Needs a factbrief built with `--features embeddings` and the model
    /// from scripts/ensure-model.sh (or FACTBRIEF_MODEL_DIR).
    #[arg(long)]
    pub embeddings: bool,
}

#[derive(Debug, Args)]
pub struct BuildArgs {
    #[command(flatten)]
    pub input: InputArgs,
    /// Output folder; existing brief files are replaced only when the new ones are complete.
    #[arg(short, long, default_value = "out")]
    pub output: PathBuf,
    /// Formats to write, comma-separated: md, html, pdf, json.
    #[arg(short, long, value_delimiter = ',', default_value = "md,html,pdf,json")]
    pub formats: Vec<String>,
    /// Folder with brief.md, brief.html or brief.typ templates that replace the built-in ones.
    #[arg(long, value_name = "DIR")]
    pub templates: Option<PathBuf>,
    /// Write nothing; exit non-zero, naming the files, if the output folder differs from what
    /// would be generated.
    #[arg(long)]
    pub check: bool,
}

#[derive(Debug, Args)]
pub struct SiteArgs {
    /// Folder whose subfolders are stories, each a folder of articles with an optional
    /// sources.toml (like the seeds folder). Hidden folders are skipped.
    #[arg(default_value = "stories")]
    pub stories: PathBuf,
    /// Output folder: index.html, and one folder per story holding its brief.
    #[arg(short, long, default_value = "public")]
    pub output: PathBuf,
    /// Formats to write for each story, comma-separated: md, html, pdf, json. Without typst,
    /// PDF is left out (with a note) rather than failing the site.
    #[arg(short, long, value_delimiter = ',', default_value = "md,html,pdf,json")]
    pub formats: Vec<String>,
    /// Folder with brief.md, brief.html, brief.typ or index.html templates that replace the
    /// built-in ones.
    #[arg(long, value_name = "DIR")]
    pub templates: Option<PathBuf>,
    /// Folder whose data files (boilerplate.toml, outlets.toml, aliases.toml, lexicon.toml)
    /// replace or extend the built-in ones.
    #[arg(long, value_name = "DIR")]
    pub data: Option<PathBuf>,
    /// Skip articles larger than this many bytes.
    #[arg(long, value_name = "BYTES", default_value_t = 20 * 1024 * 1024)]
    pub max_file_size: u64,
    /// Rebuild every story, even those whose inputs did not change.
    #[arg(long)]
    pub force: bool,
}

#[derive(Debug, Args)]
pub struct AnalyzeArgs {
    #[command(flatten)]
    pub input: InputArgs,
}

#[derive(Debug, Args)]
pub struct CompareArgs {
    /// First sentence.
    #[arg(required_unless_present = "pairs")]
    pub a: Option<String>,
    /// Second sentence.
    #[arg(required_unless_present = "pairs")]
    pub b: Option<String>,
    /// Read tab-separated sentence pairs from FILE and print one score a line.
    #[arg(long, value_name = "FILE", conflicts_with_all = ["a", "b"])]
    pub pairs: Option<PathBuf>,
    /// Similarity at or above which two sentences are the same claim.
    #[arg(long, default_value_t = factbrief::claims::Settings::default().same_claim)]
    pub threshold: f64,
}
