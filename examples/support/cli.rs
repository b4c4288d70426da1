//! What the command-line examples share: their arguments as text, and messages that a
//! closed stdout or stderr cannot turn into a panic (`println!` and `eprintln!` panic on a
//! write error, as when the reader of a pipe has gone: `client ... 2>&1 | head -1`).
#![allow(dead_code)]

use std::fmt;
use std::io::{self, Write};

/// The arguments after the program's name. One that is not valid UTF-8 is a bad command
/// line (`Err`, for status 2), where `std::env::args` would panic.
pub fn args() -> Result<Vec<String>, String> {
    std::env::args_os()
        .skip(1)
        .map(|arg| {
            arg.into_string()
                .map_err(|arg| format!("argument {arg:?} is not valid UTF-8"))
        })
        .collect()
}

/// Writes a line to stderr; if stderr is closed the line is lost, and nothing else happens.
pub fn warn(message: fmt::Arguments<'_>) {
    let _ = writeln!(io::stderr().lock(), "{message}");
}

/// Writes a line to stdout; `false` if stdout is closed (the program may stop quietly).
pub fn say(message: fmt::Arguments<'_>) -> bool {
    writeln!(io::stdout().lock(), "{message}").is_ok()
}
