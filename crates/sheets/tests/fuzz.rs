//! Issue 16, fuzzing: the row reader takes any upload. Arbitrary bytes, mutated seeds of the
//! committed corpus and mutated real workbooks are read or refused with a Chinese message; none
//! panics and no cell longer than Excel's limit reaches the caller.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::io::Cursor;

use proptest::prelude::*;
use tuanwu_sheets::read::{self, CellValue, MAX_CELL_CHARS, MAX_COLUMNS};

fn read_any(bytes: Vec<u8>) -> Result<(), TestCaseError> {
    let mut longest = 0;
    let mut widest = 0;
    let result = read::rows(Cursor::new(bytes), |_, cells| {
        widest = widest.max(cells.len());
        for c in &cells {
            if let CellValue::Text(t) = c {
                longest = longest.max(t.chars().count());
            }
        }
        true
    });
    prop_assert!(longest <= MAX_CELL_CHARS);
    prop_assert!(widest <= MAX_COLUMNS);
    if let Err(e) = result {
        let text = e.to_string();
        prop_assert!(
            text.starts_with("文件被拒绝：") || text.starts_with("文件无法读取："),
            "{}",
            text
        );
    }
    Ok(())
}

fn corpus() -> Vec<Vec<u8>> {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/corpus");
    let mut out: Vec<Vec<u8>> = std::fs::read_dir(dir)
        .map(|d| {
            d.filter_map(|e| std::fs::read(e.ok()?.path()).ok())
                .collect()
        })
        .unwrap_or_default();
    out.sort();
    out
}

fn workbook() -> Vec<u8> {
    let mut book = rust_xlsxwriter::Workbook::new();
    let ws = book.add_worksheet();
    for (c, h) in ["姓名", "身份证号", "入团时间"].iter().enumerate() {
        ws.write_string(0, c as u16, *h)
            .unwrap_or_else(|e| panic!("{e}"));
    }
    ws.write_string(1, 0, "王五")
        .unwrap_or_else(|e| panic!("{e}"));
    ws.write_number(1, 2, 43586.0)
        .unwrap_or_else(|e| panic!("{e}"));
    book.save_to_buffer().unwrap_or_else(|e| panic!("{e}"))
}

/// `base` with bytes overwritten at a few places.
fn mutate(mut base: Vec<u8>, edits: &[(usize, u8)]) -> Vec<u8> {
    if !base.is_empty() {
        let n = base.len();
        for (at, b) in edits {
            base[at % n] = *b;
        }
    }
    base
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn arbitrary_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..2048)) {
        read_any(bytes)?;
    }

    /// csv-shaped noise: quotes, commas, line ends and CJK are where a csv reader goes wrong.
    #[test]
    fn csv_like_text_never_panics(text in "[\"\\r\\n,a 名\u{feff}]{0,400}") {
        read_any(text.into_bytes())?;
    }

    #[test]
    fn mutated_corpus_seeds_never_panic(
        seed in any::<prop::sample::Index>(),
        edits in proptest::collection::vec((any::<usize>(), any::<u8>()), 0..8),
    ) {
        let seeds = corpus();
        prop_assume!(!seeds.is_empty());
        read_any(mutate(seed.get(&seeds).clone(), &edits))?;
    }

    #[test]
    fn mutated_workbooks_never_panic(
        edits in proptest::collection::vec((any::<usize>(), any::<u8>()), 1..6),
    ) {
        read_any(mutate(workbook(), &edits))?;
    }
}

const SHEET: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><dimension ref="A1:C2"/><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>姓名</t></is></c><c r="B1" t="s"><v>0</v></c><c r="C1" t="n"><v>43586</v></c></row><row r="2"><c r="A2" t="inlineStr"><is><t>王五</t></is></c><c r="B2" t="b"><v>1</v></c><c r="C2" t="e"><v>#N/A</v></c></row></sheetData></worksheet>"#;

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    /// The sheet's XML itself mutated and zipped again, so the edits reach the XML reader
    /// instead of failing the zip's checksum.
    #[test]
    fn mutated_sheet_xml_never_panics(
        edits in proptest::collection::vec((any::<usize>(), any::<u8>()), 1..8),
    ) {
        let xml = mutate(SHEET.as_bytes().to_vec(), &edits);
        let file = tuanwu_sheets::hostile::xlsx_with_sheet(Cursor::new(Vec::new()), |w| std::io::Write::write_all(w, &xml))
            .map_err(|e| TestCaseError::fail(e.to_string()))?
            .into_inner();
        read_any(file)?;
    }
}
