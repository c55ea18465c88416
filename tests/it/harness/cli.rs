//! The command line as staff run it: the built `attest` binary on a database of the test's own,
//! each command a process of its own, its output read as text.

use std::path::PathBuf;
use std::process::Output;

/// A database and the folder it and its keys live in, for commands run against them; both are
/// removed when the test ends.
pub struct Cli {
    /// The database (a file in `dir`, or a PostgreSQL URL).
    pub db: PathBuf,
    /// The test's folder, for the files a command writes or reads (backups, exports).
    pub dir: tempfile::TempDir,
    /// On PostgreSQL, the database made for this test, dropped at the end.
    _database: super::app::DropDatabase,
}

impl Cli {
    pub fn new() -> Self {
        let dir = tempfile::tempdir().unwrap();
        let db = super::new_db(dir.path());
        let database = super::app::DropDatabase::of(&db);
        Cli { db, dir, _database: database }
    }

    /// [`Cli::new`] with the event `slug` titled `title` created by `attest event create`:
    /// where most command-line tests start.
    pub fn with_event(slug: &str, title: &str) -> Self {
        let cli = Cli::new();
        cli.ok(&["event", "create", slug, "--title", title]);
        cli
    }

    /// [`Cli::new`] with the event of [`Cli::event_held`]: where the tests of imports read against
    /// an event's window start.
    pub fn with_event_held(slug: &str, title: &str, window: (&str, &str), more: &[&str]) -> Self {
        let cli = Cli::new();
        cli.event_held(slug, title, window, more);
        cli
    }

    /// Creates the event `slug` titled `title`, held from `starts` to `ends` (local times, in the
    /// zone `more` gives with `--tz`, else the default), with the options in `more`. One spelling of
    /// `event create` with a window for every test that needs one, so that each states only its
    /// own slug, times and options.
    pub fn event_held(&self, slug: &str, title: &str, (starts, ends): (&str, &str), more: &[&str]) -> String {
        let mut args = vec!["event", "create", slug, "--title", title, "--starts", starts, "--ends", ends];
        args.extend_from_slice(more);
        self.ok(&args)
    }

    pub fn run(&self, args: &[&str]) -> Output {
        super::process::attest(&self.db).args(args).output().unwrap()
    }

    /// The output of a command that must succeed.
    pub fn ok(&self, args: &[&str]) -> String {
        let out = self.run(args);
        assert!(out.status.success(), "{args:?}: {}", String::from_utf8_lossy(&out.stderr));
        String::from_utf8(out.stdout).unwrap()
    }

    /// The error output of a command that must fail.
    pub fn fails(&self, args: &[&str]) -> String {
        let out = self.run(args);
        assert!(!out.status.success(), "{args:?} succeeded: {}", String::from_utf8_lossy(&out.stdout));
        String::from_utf8_lossy(&out.stderr).into_owned()
    }
}
