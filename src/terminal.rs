//! Printing to the terminal without panicking on a closed pipe (`pamphlet build --json | head`,
//! `pamphlet serve | tee log` after `tee` ends): `println!` would panic there.

/// `println!` that ignores a closed pipe.
#[macro_export]
macro_rules! say {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        let _ = writeln!(std::io::stdout().lock(), $($arg)*);
    }};
}

/// `eprintln!` that ignores a closed pipe.
#[macro_export]
macro_rules! say_err {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        let _ = writeln!(std::io::stderr().lock(), $($arg)*);
    }};
}

/// `eprint!` that ignores a closed pipe (for text that ends its own lines, like diagnostics).
#[macro_export]
macro_rules! say_err_text {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        let _ = write!(std::io::stderr().lock(), $($arg)*);
    }};
}
