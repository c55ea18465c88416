//! `attest vectors DIR`: the published test vectors ([`crate::vectors`]) written into a folder.

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context;
use clap::Args;

#[derive(Debug, Args)]
pub struct VectorsArgs {
    /// The folder to write into (created if needed); `tests/vectors` in the repository. Files
    /// already there are overwritten, others left alone.
    pub dir: PathBuf,
}

pub fn run(args: VectorsArgs) -> anyhow::Result<ExitCode> {
    let files = crate::vectors::generate().context("generating the test vectors")?;
    for (rel, bytes) in &files {
        let path = args.dir.join(rel);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).with_context(|| format!("{}: cannot create", parent.display()))?;
        }
        std::fs::write(&path, bytes).with_context(|| format!("{}: cannot write", path.display()))?;
    }
    println!(
        "{}: {} test vector files and manifest.json written (public keys only)",
        args.dir.display(),
        files.len() - 1
    );
    Ok(ExitCode::SUCCESS)
}
