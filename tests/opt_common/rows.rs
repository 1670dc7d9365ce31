//! Option tests as table rows: each row names the options it covers and checks
//! them against raw libc, so that `every_option_has_a_row` (in `tests/opt/`)
//! can fail when an option of the crate's tables has none.

use std::fmt::Debug;
use std::panic::{AssertUnwindSafe, catch_unwind};

use bsdsock::Socket;
use bsdsock::opt::{Decode, Encode, Opt, ReadOnly, ReadWrite, getsockopt, setsockopt};

use super::{raw_get_int, raw_set_int};

/// An option as a row names it: what the completeness test compares with the
/// crate's tables.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Named {
    pub name: &'static str,
    pub level: i32,
    pub optname: i32,
}

/// The name, level and number of `opt`.
pub fn named<V, A, C>(opt: Opt<V, A, C>) -> Named {
    Named { name: opt.name(), level: opt.level(), optname: opt.optname() }
}

/// One row: the options it covers and the check that covers them.
pub struct Row {
    pub options: Vec<Named>,
    check: Box<dyn Fn()>,
}

/// A row whose check is a function of its own (a struct value, an effect, a
/// sequence that needs one socket throughout).
pub fn custom(options: &[Named], check: fn()) -> Row {
    Row { options: options.to_vec(), check: Box::new(check) }
}

/// The option is declared at (`level`, `name`), as the C headers give them.
#[track_caller]
pub fn assert_declared<V, A, C>(opt: Opt<V, A, C>, level: i32, name: i32) {
    assert_eq!(
        (opt.level(), opt.optname()),
        (level, name),
        "{} is declared at the wrong level or name",
        opt.name()
    );
}

/// An int-carried read-write option, both ways: typed set `a` reads back `ra`
/// through libc at (`level`, `name`); libc set `rb` reads back `b` typed.
#[track_caller]
#[allow(clippy::too_many_arguments)]
pub fn both_ways<V, C>(
    s: &Socket,
    opt: Opt<V, ReadWrite, C>,
    level: i32,
    name: i32,
    a: V,
    ra: i32,
    rb: i32,
    b: V,
) where
    C: Encode<V> + Decode<V>,
    V: PartialEq + Debug + Clone,
{
    assert_declared(opt, level, name);
    setsockopt(s, opt, a.clone()).unwrap_or_else(|e| panic!("typed set {a:?}: {e}"));
    assert_eq!(raw_get_int(s, level, name), ra, "{}: typed set {a:?}, libc read", opt.name());
    raw_set_int(s, level, name, rb);
    assert_eq!(getsockopt(s, opt).unwrap(), b, "{}: libc set {rb}, typed read", opt.name());
}

/// A flag, both ways and both values.
#[track_caller]
pub fn flag_both_ways(s: &Socket, opt: Opt<bool, ReadWrite>, level: i32, name: i32) {
    both_ways(s, opt, level, name, true, 1, 0, false);
    both_ways(s, opt, level, name, false, 0, 1, true);
}

/// A read-only int-carried option: the typed read, as C's int, equals libc's.
#[track_caller]
pub fn same_as_raw<V, C>(
    s: &Socket,
    opt: Opt<V, ReadOnly, C>,
    level: i32,
    name: i32,
    as_int: impl Fn(&V) -> i32,
) -> V
where
    C: Decode<V>,
{
    assert_declared(opt, level, name);
    let typed = getsockopt(s, opt).unwrap();
    assert_eq!(as_int(&typed), raw_get_int(s, level, name), "{}", opt.name());
    typed
}

/// Row: [`both_ways`] on a fresh socket from `sock`, with the two values given.
#[allow(clippy::too_many_arguments)]
pub fn both<V, C>(
    sock: fn() -> Socket,
    opt: Opt<V, ReadWrite, C>,
    level: i32,
    name: i32,
    a: V,
    ra: i32,
    rb: i32,
    b: V,
) -> Row
where
    C: Encode<V> + Decode<V> + 'static,
    V: PartialEq + Debug + Clone + 'static,
{
    let check = move || both_ways(&sock(), opt, level, name, a.clone(), ra, rb, b.clone());
    Row { options: vec![named(opt)], check: Box::new(check) }
}

/// Row: a flag, both ways and both values, on a fresh socket from `sock`.
pub fn flag(sock: fn() -> Socket, opt: Opt<bool, ReadWrite>, level: i32, name: i32) -> Row {
    let check = move || flag_both_ways(&sock(), opt, level, name);
    Row { options: vec![named(opt)], check: Box::new(check) }
}

/// Runs every row, each on its own; fails naming every row that failed.
pub fn run(rows: Vec<Row>) {
    let failed: Vec<String> = rows
        .iter()
        .filter(|r| catch_unwind(AssertUnwindSafe(&r.check)).is_err())
        .map(|r| r.options.iter().map(|o| o.name).collect::<Vec<_>>().join("+"))
        .collect();
    assert!(failed.is_empty(), "failed rows: {}", failed.join(", "));
}
