//! The SQL building blocks that differ between PostgreSQL and SQLite, and the SQL twins of the
//! Rust value rules in [`crate::mapping::values`].
//!
//! Everything here returns a sea-query [`SimpleExpr`]. Dialect-specific function calls are
//! written as small templates with `$1`, `$2`, … arguments ([`Dialect::sql`]), which become
//! sea-query custom expressions with the right placeholders for the backend. Values from a
//! request are always bound parameters; only the adapter's own constants (vocabulary labels)
//! are inlined, escaped by sea-query.

use sea_orm::sea_query::{
    Alias, Expr, IntoIden, Keyword, Query, SelectStatement, SimpleExpr, SubQueryStatement, Value,
};
use sea_orm::DbBackend;

use crate::mapping::values::Vocab;

/// The two database engines the contract allows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Dialect {
    /// SQLite ≥ 3.35 (embedded use and tests).
    Sqlite,
    /// PostgreSQL ≥ 12 (production).
    Postgres,
}

impl Dialect {
    /// The dialect of a sea-orm backend; `None` for MySQL, which the contract does not cover.
    pub fn from_backend(backend: DbBackend) -> Option<Self> {
        match backend {
            DbBackend::Sqlite => Some(Dialect::Sqlite),
            DbBackend::Postgres => Some(Dialect::Postgres),
            DbBackend::MySql => None,
        }
    }

    /// The sea-orm backend.
    pub fn backend(self) -> DbBackend {
        match self {
            Dialect::Sqlite => DbBackend::Sqlite,
            Dialect::Postgres => DbBackend::Postgres,
        }
    }

    /// A custom SQL fragment: `$n` in `template` is replaced by `args[n - 1]` (which may be
    /// used several times). Templates are the adapter's own constants and contain no other
    /// `$` or `?`; an index without an argument renders as `NULL` rather than panicking in
    /// sea-query (the integration tests run every template on both engines).
    pub fn sql(self, template: &str, args: &[SimpleExpr]) -> SimpleExpr {
        let mut text = String::with_capacity(template.len());
        let mut ordered = Vec::new();
        let mut chars = template.chars().peekable();
        while let Some(c) = chars.next() {
            if c != '$' {
                text.push(c);
                continue;
            }
            let mut digits = String::new();
            while let Some(d) = chars.peek().copied().filter(char::is_ascii_digit) {
                digits.push(d);
                chars.next();
            }
            let arg = digits
                .parse::<usize>()
                .ok()
                .and_then(|n| n.checked_sub(1))
                .and_then(|i| args.get(i));
            match (arg, self) {
                (Some(arg), Dialect::Postgres) => {
                    ordered.push(arg.clone());
                    text.push_str(&format!("${}", ordered.len()));
                }
                (Some(arg), Dialect::Sqlite) => {
                    ordered.push(arg.clone());
                    text.push('?');
                }
                (None, _) => text.push_str("NULL"),
            }
        }
        Expr::cust_with_exprs(text, ordered)
    }

    /// A whole number as `BIGINT`. SQLite keeps what it was given, so a non-integer cell
    /// (or one outside the unified 32-bit range) reads as NULL instead of failing the query.
    pub fn int(self, e: SimpleExpr) -> SimpleExpr {
        match self {
            Dialect::Sqlite => self.sql(
                "(CASE WHEN typeof($1) = 'integer' AND $1 BETWEEN -2147483648 AND 2147483647 \
                 THEN $1 END)",
                &[e],
            ),
            Dialect::Postgres => self.sql("CAST($1 AS BIGINT)", &[e]),
        }
    }

    /// The names of the `cells` whose raw value is there but whose typed read (`int`, `float`,
    /// `boolean`) is NULL, space-separated, or NULL when there are none: SQLite stores any
    /// type in any column (`'sekitar 1998'` in a `SMALLINT`), PostgreSQL never does. Each
    /// becomes a warning on the record, so a value read as null is never lost silently.
    pub fn mistyped(self, cells: &[(&str, SimpleExpr, SimpleExpr)]) -> SimpleExpr {
        match self {
            Dialect::Sqlite if !cells.is_empty() => {
                let mut template = String::from("NULLIF(");
                let mut args = Vec::new();
                for (i, (name, raw, typed)) in cells.iter().enumerate() {
                    if i > 0 {
                        template.push_str(" || ");
                    }
                    let (r, t) = (args.len() + 1, args.len() + 2);
                    template.push_str(&format!(
                        "(CASE WHEN ${r} IS NOT NULL AND ${t} IS NULL THEN '{name} ' ELSE '' END)"
                    ));
                    args.push(raw.clone());
                    args.push(typed.clone());
                }
                template.push_str(", '')");
                self.sql(&template, &args)
            }
            _ => self.sql("CAST(NULL AS TEXT)", &[]),
        }
    }

    /// An integer key as `BIGINT` (SQLite's `INTEGER PRIMARY KEY` always is one).
    pub fn key(self, e: SimpleExpr) -> SimpleExpr {
        match self {
            Dialect::Sqlite => e,
            Dialect::Postgres => self.sql("CAST($1 AS BIGINT)", &[e]),
        }
    }

    /// A `NUMERIC` as double precision (the driver has no decimal type enabled).
    pub fn float(self, e: SimpleExpr) -> SimpleExpr {
        match self {
            Dialect::Sqlite => self.sql(
                "(CASE WHEN typeof($1) IN ('integer', 'real') THEN CAST($1 AS REAL) END)",
                &[e],
            ),
            Dialect::Postgres => self.sql("CAST($1 AS DOUBLE PRECISION)", &[e]),
        }
    }

    /// A `BOOLEAN` (SQLite stores `TRUE` as 1; anything that is not an integer reads as NULL).
    pub fn boolean(self, e: SimpleExpr) -> SimpleExpr {
        match self {
            Dialect::Sqlite => {
                self.sql("(CASE WHEN typeof($1) = 'integer' THEN $1 <> 0 END)", &[e])
            }
            Dialect::Postgres => e,
        }
    }

    /// A `DATE` as `YYYY-MM-DD` text, NULL unless it is a real date in exactly that shape:
    /// the twin of [`crate::mapping::values::strict_date`]. (SQLite's `date(x, '+0 days')`
    /// normalises, so comparing it with the cell rejects `2023-02-30` and other shapes.)
    pub fn date(self, e: SimpleExpr) -> SimpleExpr {
        match self {
            // Comparing with the cell as text spares SQLite an attempt to read the date as a
            // number (a `DATE` column has numeric affinity); no date text equals a number's.
            Dialect::Sqlite => self.sql(
                "(CASE WHEN date($1, '+0 days') = CAST($1 AS TEXT) THEN $1 END)",
                &[e],
            ),
            Dialect::Postgres => self.sql("to_char($1, 'YYYY-MM-DD')", &[e]),
        }
    }

    /// The local day of a `DATE` or `TIMESTAMP` cell, as `YYYY-MM-DD` text: the twin of
    /// [`crate::mapping::values::local_instant`] followed by `date_naive()`.
    pub fn day_of(self, e: SimpleExpr) -> SimpleExpr {
        match self {
            Dialect::Sqlite => self.sql(
                "(CASE WHEN date($1, '+0 days') = $1 THEN $1 \
                 WHEN datetime($1, '+0 days') = $1 THEN substr($1, 1, 10) END)",
                &[e],
            ),
            Dialect::Postgres => self.sql("to_char($1, 'YYYY-MM-DD')", &[e]),
        }
    }

    /// A `DATE` for reading: text, validated in Rust (so a bad cell becomes a warning).
    pub fn date_text(self, e: SimpleExpr) -> SimpleExpr {
        match self {
            Dialect::Sqlite => self.sql("CAST($1 AS TEXT)", &[e]),
            Dialect::Postgres => self.sql("to_char($1, 'YYYY-MM-DD')", &[e]),
        }
    }

    /// A `TIMESTAMP` (or `DATE`) for reading: `YYYY-MM-DD HH:MM:SS` text on PostgreSQL, the
    /// stored text on SQLite.
    pub fn instant_text(self, e: SimpleExpr) -> SimpleExpr {
        match self {
            Dialect::Sqlite => self.sql("CAST($1 AS TEXT)", &[e]),
            Dialect::Postgres => self.sql("to_char($1, 'YYYY-MM-DD HH24:MI:SS')", &[e]),
        }
    }

    /// Whole months from `from` to `to`, both `YYYY-MM-DD` text or NULL (what [`Dialect::date`]
    /// and [`Dialect::day_of`] give), as `BIGINT`; NULL when either is: the twin of
    /// [`simpul_schema::analytics::months_between`] applied to the dates the mapping reads
    /// from the same text.
    ///
    /// Each date becomes the number `(year × 12 + month) × 100 + day`; the months between two
    /// dates are the difference of those numbers divided by 100, truncated toward zero (integer
    /// division on both engines). With `Δ` the calendar months and `δ = to.day − from.day`
    /// (|δ| ≤ 30), the difference is `100Δ + δ`: from an earlier date it truncates to `Δ` when
    /// `δ ≥ 0` and to `Δ − 1` when `δ < 0` (then `Δ ≥ 1`); to an earlier date, to `Δ + 1` when
    /// `δ > 0` (then `Δ ≤ −1`) and to `Δ` otherwise — `months_between`'s rule, both ways.
    ///
    /// The text is read by position, as the mapping parses it: on PostgreSQL, `to_char` writes
    /// a year after 9999 with five digits, which the mapping's strict parse refuses (the date is
    /// null there), so text of another length is NULL here; SQLite's dates are 10 characters.
    pub fn months_between(self, from: SimpleExpr, to: SimpleExpr) -> SimpleExpr {
        const MONTHS: &str = "((CAST(substr($2, 1, 4) AS INTEGER) * 1200 \
             + CAST(substr($2, 6, 2) AS INTEGER) * 100 + CAST(substr($2, 9, 2) AS INTEGER)) \
             - (CAST(substr($1, 1, 4) AS INTEGER) * 1200 \
             + CAST(substr($1, 6, 2) AS INTEGER) * 100 + CAST(substr($1, 9, 2) AS INTEGER))) / 100";
        match self {
            Dialect::Sqlite => self.sql(&format!("({MONTHS})"), &[from, to]),
            Dialect::Postgres => self.sql(
                &format!(
                    "CAST((CASE WHEN length($1) = 10 AND length($2) = 10 THEN {MONTHS} END) \
                     AS BIGINT)"
                ),
                &[from, to],
            ),
        }
    }

    /// The year of a `DATE` cell, NULL when the date is not valid.
    pub fn year(self, e: SimpleExpr) -> SimpleExpr {
        match self {
            Dialect::Sqlite => {
                let day = self.date(e);
                self.sql("CAST(substr($1, 1, 4) AS INTEGER)", &[day])
            }
            Dialect::Postgres => self.sql("CAST(EXTRACT(YEAR FROM $1) AS INTEGER)", &[e]),
        }
    }

    /// Text in code-point order for `<`, `>` and `ORDER BY`, whatever the database's default
    /// collation (Rust's `str` order, which the reference semantics use). SQLite's default
    /// `BINARY` collation already is.
    pub fn sortable(self, e: SimpleExpr) -> SimpleExpr {
        match self {
            Dialect::Sqlite => e,
            Dialect::Postgres => self.sql("($1 COLLATE \"C\")", &[e]),
        }
    }

    /// `[[a, b], …]` as JSON text, aggregated over the rows of a subquery.
    pub fn json_pairs(self, a: SimpleExpr, b: SimpleExpr) -> SimpleExpr {
        match self {
            Dialect::Sqlite => self.sql("json_group_array(json_array($1, $2))", &[a, b]),
            Dialect::Postgres => {
                self.sql("CAST(json_agg(json_build_array($1, $2)) AS TEXT)", &[a, b])
            }
        }
    }

    /// A number as double precision, for sums that must not overflow or round to integers.
    pub fn real(self, e: SimpleExpr) -> SimpleExpr {
        match self {
            Dialect::Sqlite => self.sql("CAST($1 AS REAL)", &[e]),
            Dialect::Postgres => self.sql("CAST($1 AS DOUBLE PRECISION)", &[e]),
        }
    }

    /// A whole number as a 64-bit integer on the wire (PostgreSQL's `INTEGER` decodes as
    /// `i32` only; SQLite's integers already are 64-bit).
    pub fn wide(self, e: SimpleExpr) -> SimpleExpr {
        match self {
            Dialect::Sqlite => e,
            Dialect::Postgres => self.sql("CAST($1 AS BIGINT)", &[e]),
        }
    }

    /// The function giving the 1-based position of a substring, 0 when absent (`instr` /
    /// `strpos`), for templates.
    pub fn strpos(self) -> &'static str {
        match self {
            Dialect::Sqlite => "instr",
            Dialect::Postgres => "strpos",
        }
    }

    /// `e IN (…)` (or `NOT IN`) over the values of a JSON array bound as ONE parameter:
    /// `json_each(?)` on SQLite, `json_array_elements_text(CAST($1 AS JSON))` on PostgreSQL,
    /// each element cast to `element` there (`BIGINT`, `DOUBLE PRECISION`, `BOOLEAN`; `None`
    /// keeps text). A list bound a parameter per value meets the engines' limits (SQLite
    /// 32,766 variables, PostgreSQL 65,535 parameters) and makes a new statement text, and a
    /// new cached prepared statement, for every length; this form has one text for any
    /// length. The array must hold no `null` (`NOT IN` a list with a NULL never holds).
    pub fn in_json(
        self,
        e: SimpleExpr,
        json: String,
        element: Option<&str>,
        negated: bool,
    ) -> SimpleExpr {
        let not = if negated { "NOT " } else { "" };
        let template = match self {
            Dialect::Sqlite => format!("($1 {not}IN (SELECT value FROM json_each($2)))"),
            Dialect::Postgres => {
                let value = match element {
                    Some(t) => format!("CAST(value AS {t})"),
                    None => "value".to_owned(),
                };
                format!(
                    "($1 {not}IN (SELECT {value} FROM json_array_elements_text(CAST($2 AS JSON))))"
                )
            }
        };
        self.sql(&template, &[e, Expr::val(json).into()])
    }

    /// A condition that is never NULL and always (or never) holds: `(1 = 1)` / `(1 = 0)`.
    pub fn constant(self, holds: bool) -> SimpleExpr {
        Expr::cust(if holds { "(1 = 1)" } else { "(1 = 0)" })
    }
}

/// `table_alias.column`.
pub fn col(table: &'static str, column: impl IntoIden + 'static) -> SimpleExpr {
    Expr::col((Alias::new(table), column)).into()
}

/// An inline string constant (escaped by sea-query). For the adapter's own labels only.
pub fn lit(s: &str) -> SimpleExpr {
    SimpleExpr::Constant(Value::from(s))
}

/// SQL `NULL`.
pub fn null() -> SimpleExpr {
    SimpleExpr::Keyword(Keyword::Null)
}

/// `NULLIF(TRIM(e), '')`: the twin of [`crate::mapping::values::opt_text`].
pub fn opt_text(d: Dialect, e: SimpleExpr) -> SimpleExpr {
    d.sql("NULLIF(TRIM($1), '')", &[e])
}

/// `CAST(e AS TEXT)` (an integer key as the unified text key).
pub fn as_text(d: Dialect, e: SimpleExpr) -> SimpleExpr {
    d.sql("CAST($1 AS TEXT)", &[e])
}

/// `a || '/' || b`: the twin of [`crate::mapping::organisations::course_key`].
pub fn course_key(d: Dialect, a: SimpleExpr, b: SimpleExpr) -> SimpleExpr {
    d.sql("($1 || '/' || $2)", &[a, b])
}

/// The regency/city of a region code: the twin of [`crate::mapping::values::regency_of`].
pub fn regency(d: Dialect, code: SimpleExpr) -> SimpleExpr {
    d.sql(
        "(CASE WHEN length($1) >= 5 THEN substr($1, 1, 5) END)",
        &[code],
    )
}

/// A 0–100 number, NULL outside: the twin of [`crate::mapping::values::in_percent_range`].
pub fn percent(d: Dialect, e: SimpleExpr) -> SimpleExpr {
    d.sql("(CASE WHEN $1 BETWEEN 0 AND 100 THEN $1 END)", &[e])
}

/// A vocabulary as a `CASE`: the unified name of the trimmed raw label, the fallback for an
/// unknown label, NULL for an empty cell. The twin of [`Vocab::lookup`].
///
/// A simple `CASE <label> WHEN …` trims the cell once per row (the searched form would trim
/// it once per label; group-bys evaluate it for every row).
pub fn vocab(d: Dialect, v: &Vocab, raw: SimpleExpr) -> SimpleExpr {
    let mut template = String::from("(CASE $1");
    let mut args = vec![opt_text(d, raw)];
    for (label, name) in v.pairs {
        let n = args.len();
        template.push_str(&format!(" WHEN ${} THEN ${}", n + 1, n + 2));
        args.extend([lit(label), lit(name)]);
    }
    match v.fallback {
        // An empty cell matches no label and must stay NULL.
        Some(fallback) => {
            template.push_str(&format!(
                " ELSE (CASE WHEN $1 IS NULL THEN NULL ELSE ${} END) END)",
                args.len() + 1
            ));
            args.push(lit(fallback));
        }
        None => template.push_str(" ELSE NULL END)"),
    }
    d.sql(&template, &args)
}

/// A scalar subquery `( SELECT … )`.
pub fn scalar(select: SelectStatement) -> SimpleExpr {
    SimpleExpr::SubQuery(None, Box::new(SubQueryStatement::SelectStatement(select)))
}

/// `EXISTS ( SELECT 1 FROM … )`.
pub fn exists(mut select: SelectStatement) -> SimpleExpr {
    select.expr(Expr::cust("1"));
    Expr::exists(select)
}

/// A fresh `SELECT` (for subqueries).
pub fn select() -> SelectStatement {
    Query::select()
}

#[cfg(test)]
mod tests {
    use super::*;
    use sea_orm::sea_query::{PostgresQueryBuilder, SqliteQueryBuilder};

    fn render(d: Dialect, e: SimpleExpr) -> String {
        let q = Query::select().expr(e).to_owned();
        match d {
            Dialect::Sqlite => q.to_string(SqliteQueryBuilder),
            Dialect::Postgres => q.to_string(PostgresQueryBuilder),
        }
    }

    #[test]
    fn templates_reuse_arguments_on_both_backends() {
        let e = col("a", Alias::new("kuota"));
        assert_eq!(
            render(Dialect::Sqlite, Dialect::Sqlite.int(e.clone())),
            "SELECT (CASE WHEN typeof(\"a\".\"kuota\") = 'integer' AND \"a\".\"kuota\" \
             BETWEEN -2147483648 AND 2147483647 THEN \"a\".\"kuota\" END)"
        );
        assert_eq!(
            render(Dialect::Postgres, Dialect::Postgres.sortable(e.clone())),
            "SELECT (\"a\".\"kuota\" COLLATE \"C\")"
        );
        assert_eq!(
            render(
                Dialect::Postgres,
                Dialect::Postgres.sql("f($2, $1, $9)", &[e, lit("x")])
            ),
            "SELECT f('x', \"a\".\"kuota\", NULL)"
        );
    }

    #[test]
    fn vocab_case() {
        let e = col("a", Alias::new("moda"));
        let sql = render(
            Dialect::Sqlite,
            vocab(Dialect::Sqlite, &crate::mapping::values::DELIVERY_MODE, e),
        );
        assert!(
            sql.starts_with(
                "SELECT (CASE NULLIF(TRIM(\"a\".\"moda\"), '') WHEN 'Luring' THEN 'IN_PERSON'"
            ),
            "{sql}"
        );
        assert!(sql.ends_with("ELSE NULL END)"), "{sql}");
        let with_fallback = render(
            Dialect::Postgres,
            vocab(
                Dialect::Postgres,
                &crate::mapping::values::RUN_STATUS,
                col("a", Alias::new("status_angkatan")),
            ),
        );
        assert!(
            with_fallback.ends_with(
                "ELSE (CASE WHEN NULLIF(TRIM(\"a\".\"status_angkatan\"), '') IS NULL THEN NULL \
                 ELSE 'UNKNOWN' END) END)"
            ),
            "{with_fallback}"
        );
    }
}
