//! A look at the XML parts of an xlsx before the workbook reader opens them. That reader hands
//! over a cell's text, a tag or a comment only once it holds all of it, so one 512 MiB inline
//! string (3 MB zipped) took the server to 2.2 GB. Streaming through each part once, holding
//! nothing, this refuses any text or markup longer than a cell can be.

use std::io::Read;

use super::{ReadError, MAX_CELL_CHARS};

/// The longest text or markup run a real part holds: a cell of Excel's 32,767 characters, each
/// written as the longest character reference (`&#x10FFFF;`, 10 bytes).
pub const MAX_XML_RUN: usize = MAX_CELL_CHARS * 10;

#[derive(Clone, Copy, PartialEq)]
enum State {
    Text,
    /// Just after `<`: the next bytes tell a tag from a comment, CDATA or a declaration.
    Open,
    Tag(Option<u8>),
    Comment,
    CData,
    Instruction,
}

struct Scan {
    state: State,
    /// Bytes of the current text or markup.
    run: usize,
    /// The bytes after `<` while `Open`.
    head: Vec<u8>,
    /// The last two bytes, for the ends `-->`, `]]>` and `?>`.
    last: [u8; 2],
}

const COMMENT: &[u8] = b"!--";
const CDATA: &[u8] = b"![CDATA[";

impl Scan {
    fn step(&mut self, b: u8) -> Result<(), String> {
        self.run += 1;
        match self.state {
            State::Text if b == b'<' => self.enter(State::Open),
            State::Text => {}
            State::Open => {
                self.head.push(b);
                let h = self.head.as_slice();
                if h == COMMENT {
                    self.state = State::Comment;
                } else if h == CDATA {
                    self.state = State::CData;
                } else if h == b"?" {
                    self.state = State::Instruction;
                } else if h[0] != b'!' {
                    self.state = State::Tag(None);
                    self.run -= 1;
                    return self.step(b);
                } else if !COMMENT.starts_with(h) && !CDATA.starts_with(h) {
                    // <!DOCTYPE …> and its entities have no place in a workbook.
                    return Err("含有文档类型声明（DOCTYPE）".into());
                }
            }
            State::Tag(None) if b == b'"' || b == b'\'' => self.state = State::Tag(Some(b)),
            State::Tag(Some(q)) if b == q => self.state = State::Tag(None),
            State::Tag(None) if b == b'>' => self.enter(State::Text),
            State::Tag(_) => {}
            State::Comment if b == b'>' && self.last == *b"--" => self.enter(State::Text),
            State::CData if b == b'>' && self.last == *b"]]" => self.enter(State::Text),
            State::Instruction if b == b'>' && self.last[1] == b'?' => self.enter(State::Text),
            State::Comment | State::CData | State::Instruction => {}
        }
        self.last = [self.last[1], b];
        if self.run > MAX_XML_RUN {
            return Err(format!(
                "有一个单元格或标记超过{MAX_CELL_CHARS}个字符（Excel 一个单元格的上限）"
            ));
        }
        Ok(())
    }

    fn enter(&mut self, state: State) {
        self.state = state;
        self.run = 0;
        self.head.clear();
    }

    fn chunk(&mut self, mut bytes: &[u8]) -> Result<(), String> {
        while !bytes.is_empty() {
            if self.state == State::Text {
                // Text is most of a sheet: jump to the next `<`.
                let at = bytes.iter().position(|&b| b == b'<').unwrap_or(bytes.len());
                self.run += at;
                if self.run > MAX_XML_RUN {
                    return Err(format!(
                        "有一个单元格的内容超过{MAX_CELL_CHARS}个字符（Excel 一个单元格的上限）"
                    ));
                }
                if at > 1 {
                    self.last = [bytes[at - 2], bytes[at - 1]];
                } else if at == 1 {
                    self.last = [self.last[1], bytes[0]];
                }
                bytes = &bytes[at..];
                if bytes.is_empty() {
                    break;
                }
            }
            self.step(bytes[0])?;
            bytes = &bytes[1..];
        }
        Ok(())
    }
}

/// Reads `part` (named `name` in messages) to its end, refusing runs longer than a cell can be.
pub fn check_part(mut part: impl Read, name: &str) -> Result<(), ReadError> {
    let mut scan = Scan {
        state: State::Text,
        run: 0,
        head: Vec::with_capacity(CDATA.len()),
        last: [0; 2],
    };
    let mut buf = vec![0u8; 64 * 1024];
    loop {
        let n = part
            .read(&mut buf)
            .map_err(|e| ReadError::Unreadable(format!("“{name}”无法解压：{e}")))?;
        if n == 0 {
            return Ok(());
        }
        scan.chunk(&buf[..n]).map_err(|why| {
            ReadError::Refused(format!(
                "“{name}”{why}：请检查文件内容，用 Excel 或 WPS 重新另存后再导入"
            ))
        })?;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(xml: &[u8]) -> Result<(), ReadError> {
        check_part(xml, "sheet1.xml")
    }

    #[test]
    fn real_markup_passes_and_long_runs_of_any_kind_are_refused() {
        check(br#"<?xml version="1.0"?><!-- a > b --><c r="A1" t="x>y"><is><t><![CDATA[a>b]]></t></is></c>"#)
            .unwrap();
        let long = "x".repeat(MAX_XML_RUN + 1);
        for xml in [
            format!("<t>{long}</t>"),
            format!("<c r=\"{long}\">"),
            format!("<c r=\"a>{long}\">"),
            format!("<!-- > {long} -->"),
            format!("<![CDATA[ > {long} ]]>"),
            format!("<? > {long} ?>"),
        ] {
            assert!(matches!(check(xml.as_bytes()), Err(ReadError::Refused(_))));
        }
        assert!(check(b"<!DOCTYPE x [<!ENTITY a \"b\">]><x/>").is_err());
        // Long but legal: a full cell is fine.
        check(format!("<t>{}</t>", "x".repeat(MAX_CELL_CHARS)).as_bytes()).unwrap();
    }
}
