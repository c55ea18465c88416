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

fn src() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("src")
}

#[test]
fn only_the_store_names_a_database_crate() {
    let root = src();
    let outside: Vec<String> = sources(&root)
        .into_iter()
        .filter(|p| !p.starts_with(root.join("store")))
        .filter(|p| {
            let text = std::fs::read_to_string(p).expect("a source file");
            ["rusqlite", "postgres::", "tokio_postgres"].iter().any(|c| text.contains(c))
        })
        .map(|p| p.display().to_string())
        .collect();
    assert!(outside.is_empty(), "name a database crate outside src/store: {outside:?}");
}

#[test]
fn no_source_file_is_longer_than_800_lines() {
    let long: Vec<String> = sources(&src())
        .into_iter()
        .filter_map(|p| {
            let lines = std::fs::read_to_string(&p).expect("a source file").lines().count();
            (lines > 800).then(|| format!("{} ({lines} lines)", p.display()))
        })
        .collect();
    assert!(long.is_empty(), "split these where their own comments mark the parts: {long:?}");
}

#[test]
fn a_module_with_children_is_a_mod_rs_in_its_folder() {
    let pairs: Vec<String> = sources(&src())
        .into_iter()
        .filter(|p| p.with_extension("").is_dir())
        .map(|p| p.display().to_string())
        .collect();
    assert!(pairs.is_empty(), "files beside a folder of the same name (use foo/mod.rs): {pairs:?}");
}
