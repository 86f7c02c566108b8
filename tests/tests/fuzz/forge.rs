//! Forged global ids and cursors: real ones from the corpus, truncated, altered, re-encoded,
//! or made up (every namespace and type, `c2:` positions up to 2^64 and past it, wrong
//! prefixes, non-UTF-8, huge).

use base64::engine::general_purpose::STANDARD;
use base64::Engine as _;

use crate::corpus::{b64, decode_id};
use crate::generator::{hex, Generator};
use crate::pools::POSITIONS;

impl Generator<'_> {
    pub(crate) fn real_id(&mut self) -> String {
        let corpus = self.corpus;
        corpus.ids[self.below(corpus.ids.len())].1.clone()
    }

    pub(crate) fn forged_id(&mut self) -> String {
        let real = self.real_id();
        let key = self.word();
        match self.below(16) {
            0 => {
                let n = self.size(64);
                b64(self.bytes(n))
            }
            1 => STANDARD.encode(decode_id(&real).unwrap_or_default()),
            2 => format!("{real}=="),
            3 => real[..self.below(real.len())].to_owned(),
            4 => {
                let mut chars: Vec<char> = real.chars().collect();
                let i = self.below(chars.len());
                chars[i] = self.pick(&['A', '_', '-', '+', '/', '=', '*', ' ']);
                chars.into_iter().collect()
            }
            5 => decode_id(&real).unwrap_or_default(),
            6 => b64(format!(
                "{}:{}:{key}",
                self.pick(&[
                    "spn",
                    "bbplk",
                    "bpjamsostek",
                    "gw",
                    "ref",
                    "nosuch",
                    "SPN",
                    ""
                ]),
                self.pick(&[
                    "TrainingCenter",
                    "Course",
                    "CourseRun",
                    "Participant",
                    "Enrollment",
                    "Outcome",
                    "Partnership",
                    "Person",
                    "Provider",
                    "Region",
                    "Occupation",
                    "Nope",
                    "node",
                    "",
                ])
            )),
            7 => b64(format!("spn:Course:{}", "k".repeat(self.size(100_000)))),
            8 => b64(format!("gw:Person:{}", hex(&self.bytes(32)))),
            9 => b64(self.pick(&[
                "ref:Region:99.99",
                "ref:Region:",
                "ref:Occupation:KBJI_2014/",
                "ref:Occupation:x",
                "gw:Provider:nosuch",
                "gw:Participant:1",
                "::",
                "spn::1",
                "spn:Course:",
                ":Course:1",
                "spn:Cou rse:1",
                "spn:Course:1:2:3",
                "gw:Person:",
                "ref:Region:36\u{0}",
            ])),
            10 => b64([0xff, 0xfe, b':', 0x80, b':', b'x']),
            11 => String::new(),
            12 => self.word(),
            _ => {
                // A real id of a type the field does not hold, or an unchanged real one.
                real
            }
        }
    }

    pub(crate) fn forged_cursor(&mut self, list: &str) -> String {
        let corpus = self.corpus;
        let own = corpus.cursors_of(list);
        let real = if own.is_empty() || self.chance(0.3) {
            self.pick(&corpus.cursors).1
        } else {
            self.pick(&own).to_owned()
        };
        let decoded = decode_id(&real).unwrap_or_default();
        let id = decoded.splitn(3, ':').nth(2).unwrap_or("x").to_owned();
        match self.below(14) {
            0 => {
                let n = self.size(48);
                b64(self.bytes(n))
            }
            1 => real[..self.below(real.len())].to_owned(),
            2 => b64(format!("c2:{}:{id}", self.pick(POSITIONS))),
            3 => b64(format!("c2:{}:{}", self.pick(POSITIONS), self.forged_id())),
            4 => b64(format!(
                "{}:0:{id}",
                self.pick(&["c1", "c3", "C2", "", "c2 "])
            )),
            5 => b64(format!("c2:{}:", self.pick(POSITIONS))),
            6 => b64("c2:"),
            7 => format!("{real}="),
            8 => STANDARD.encode(&decoded),
            9 => b64([b'c', b'2', b':', b'0', b':', 0xff, 0xfe]),
            10 => String::new(),
            11 => "A".repeat(self.size(200_000)),
            12 => self.word(),
            _ => real, // another list's or order's cursor, or a real one
        }
    }
}
