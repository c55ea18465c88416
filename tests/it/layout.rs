//! The habits the source keeps (issue 18), checked on every run so that they stay true as the
//! code grows: the store is the only module that names a database crate, no file of `src/` is
//! longer than a reader can hold (800 lines), and every module with children is a `mod.rs` in a
//! folder (no `foo.rs` beside a `foo/`).

use std::path::{Path, PathBuf};

/// Every `.rs` file under `dir`, recursively.
fn sources(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).expect("src/ is readable") {
        let path = entry.expect("a directory entry").path();
        if path.is_dir() {
            out.extend(sources(&path));
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
    out
}

/// The files of `src/` (shown from the crate's folder) for which `bad` says why they break a
/// habit.
fn breaking(bad: impl Fn(&Path, &Path) -> Option<String>) -> Vec<String> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    sources(&root).iter().filter_map(|p| bad(&root, p).map(|why| format!("{} {why}", p.display()))).collect()
}

#[test]
fn only_the_store_names_a_database_crate() {
    let outside = breaking(|root, p| {
        let text = std::fs::read_to_string(p).expect("a source file");
        let named = ["rusqlite", "postgres::", "tokio_postgres"].into_iter().find(|c| text.contains(c));
        named.filter(|_| !p.starts_with(root.join("store"))).map(|c| format!("names {c}"))
    });
    assert!(outside.is_empty(), "outside src/store: {outside:?}");
}

#[test]
fn no_source_file_is_longer_than_800_lines() {
    let long = breaking(|_, p| {
        let lines = std::fs::read_to_string(p).expect("a source file").lines().count();
        (lines > 800).then(|| format!("has {lines} lines"))
    });
    assert!(long.is_empty(), "split these where their own comments mark the parts: {long:?}");
}

#[test]
fn a_module_with_children_is_a_mod_rs_in_its_folder() {
    let pairs = breaking(|_, p| p.with_extension("").is_dir().then(|| "stands beside a folder of its name".into()));
    assert!(pairs.is_empty(), "use foo/mod.rs: {pairs:?}");
}
