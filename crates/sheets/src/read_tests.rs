//! The readers on real and hostile files.

mod files {
    use super::super::*;
    use std::io::Cursor;

    fn collect(bytes: Vec<u8>) -> Vec<Vec<CellValue>> {
        let mut out = Vec::new();
        rows(Cursor::new(bytes), |_, r| {
            out.push(r);
            true
        })
        .unwrap();
        out
    }

    #[test]
    fn csv_in_utf8_with_bom_and_in_gbk() {
        let utf8 = "\u{feff}姓名,身份证号\n张三,11010519491231002X\n"
            .as_bytes()
            .to_vec();
        let rows = collect(utf8);
        assert_eq!(rows[0][0], CellValue::Text("姓名".into()));
        assert_eq!(rows[1][0], CellValue::Text("张三".into()));
        let (gbk, _, _) = encoding_rs::GBK.encode("姓名,民族\n李四,汉族\n");
        let rows = collect(gbk.into_owned());
        assert_eq!(
            rows[1],
            vec![
                CellValue::Text("李四".into()),
                CellValue::Text("汉族".into())
            ]
        );
    }

    #[test]
    fn xlsx_cells_keep_their_types() {
        let mut book = rust_xlsxwriter::Workbook::new();
        let ws = book.add_worksheet();
        ws.write_string(0, 0, "姓名").unwrap();
        ws.write_string(1, 0, "王五").unwrap();
        ws.write_number(1, 1, 1.2010120050215e17).unwrap();
        ws.write_string(3, 2, "空行之后").unwrap();
        let rows = {
            let mut out = Vec::new();
            rows(Cursor::new(book.save_to_buffer().unwrap()), |n, r| {
                out.push((n, r));
                true
            })
            .unwrap();
            out
        };
        assert_eq!(rows[0].0, 1);
        assert_eq!(rows[1].1[1], CellValue::Number(1.2010120050215e17));
        assert_eq!(rows[2].0, 4, "row numbers follow the sheet, gaps included");
    }

    #[test]
    fn zip_bombs_are_refused() {
        use std::io::Write;
        let mut buf = Cursor::new(Vec::new());
        {
            let mut zip = zip::ZipWriter::new(&mut buf);
            let opts = zip::write::SimpleFileOptions::default()
                .compression_method(zip::CompressionMethod::Deflated);
            zip.start_file("xl/worksheets/sheet1.xml", opts).unwrap();
            let zeros = vec![b' '; 1024 * 1024];
            for _ in 0..64 {
                zip.write_all(&zeros).unwrap();
            }
            zip.finish().unwrap();
        }
        let err = rows(Cursor::new(buf.into_inner()), |_, _| true).unwrap_err();
        assert!(matches!(err, ReadError::Refused(_)), "{err}");
    }

    /// A real workbook with one of its parts replaced by `part`.
    fn with_part(name: &str, part: &str) -> Vec<u8> {
        use std::io::Write;
        let mut book = rust_xlsxwriter::Workbook::new();
        let ws = book.add_worksheet();
        ws.write_string(0, 0, "姓名").unwrap();
        ws.write_string(1, 0, "王五").unwrap();
        let original = book.save_to_buffer().unwrap();
        let mut src = zip::ZipArchive::new(Cursor::new(original)).unwrap();
        let mut out = Cursor::new(Vec::new());
        {
            let mut zip = zip::ZipWriter::new(&mut out);
            let opts = zip::write::SimpleFileOptions::default()
                .compression_method(zip::CompressionMethod::Deflated);
            for i in 0..src.len() {
                let mut f = src.by_index(i).unwrap();
                let entry = f.name().unwrap().to_string();
                let mut bytes = Vec::new();
                f.read_to_end(&mut bytes).unwrap();
                zip.start_file(entry.as_str(), opts).unwrap();
                if entry == name {
                    zip.write_all(part.as_bytes()).unwrap();
                } else {
                    zip.write_all(&bytes).unwrap();
                }
            }
            zip.finish().unwrap();
        }
        out.into_inner()
    }

    #[test]
    fn the_unchanged_workbook_of_these_tests_reads() {
        let sst = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="2" uniqueCount="2"><si><t>姓名</t></si><si><t>王五</t></si></sst>"#;
        let rows = collect(with_part("xl/sharedStrings.xml", sst));
        assert_eq!(rows[1][0], CellValue::Text("王五".into()));
    }

    #[test]
    fn a_forged_shared_string_count_is_refused_before_anything_is_allocated() {
        // Without the check the reader would try to reserve 10^12 strings and abort the process.
        let sst = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="1000000000000" uniqueCount="1000000000000"><si><t>姓名</t></si></sst>"#;
        let err = rows(
            Cursor::new(with_part("xl/sharedStrings.xml", sst)),
            |_, _| true,
        )
        .unwrap_err();
        assert!(matches!(err, ReadError::Refused(_)), "{err}");
        assert!(err.to_string().contains("共享字符串"), "{err}");
    }

    #[test]
    fn an_absurd_sheet_dimension_is_refused() {
        let sheet = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><dimension ref="A1:XFD99999999"/><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>姓名</t></is></c></row></sheetData></worksheet>"#;
        let err = rows(
            Cursor::new(with_part("xl/worksheets/sheet1.xml", sheet)),
            |_, _| true,
        )
        .unwrap_err();
        assert!(matches!(err, ReadError::Refused(_)), "{err}");
    }

    #[test]
    fn a_cell_beyond_the_last_excel_row_is_refused() {
        let sheet = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>姓名</t></is></c></row><row r="2000000"><c r="A2000000" t="inlineStr"><is><t>x</t></is></c></row></sheetData></worksheet>"#;
        let mut seen = 0;
        let err = rows(
            Cursor::new(with_part("xl/worksheets/sheet1.xml", sheet)),
            |_, _| {
                seen += 1;
                true
            },
        )
        .unwrap_err();
        assert!(matches!(err, ReadError::Refused(_)), "{err}");
    }
}

mod row_numbers {
    use super::super::*;
    use std::io::Cursor;

    #[test]
    fn csv_rows_keep_excel_numbers_across_blank_lines() {
        let mut seen = Vec::new();
        csv_rows(Cursor::new(b"a,b\n1,2\n\n3,4\n".to_vec()), |n, _| {
            seen.push(n);
            true
        })
        .unwrap();
        assert_eq!(seen, vec![1, 2, 4]);
    }
}

mod quoting {
    use super::super::*;
    use std::io::Cursor;

    #[test]
    fn quoted_fields_with_commas_quotes_and_newlines() {
        let mut seen = Vec::new();
        csv_rows(
            Cursor::new(b"a,\"b,c\",\"say \"\"hi\"\"\"\n\"two\nlines\",x\n".to_vec()),
            |n, r| {
                seen.push((n, r));
                true
            },
        )
        .unwrap();
        assert_eq!(seen[0].1[1], CellValue::Text("b,c".into()));
        assert_eq!(seen[0].1[2], CellValue::Text("say \"hi\"".into()));
        assert_eq!(seen[1].0, 2);
        assert_eq!(seen[1].1[0], CellValue::Text("two\nlines".into()));
    }
}

mod csv_edges {
    use super::super::*;
    use std::io::Cursor;

    fn all(bytes: &[u8]) -> Vec<(usize, Vec<CellValue>)> {
        let mut seen = Vec::new();
        csv_rows(Cursor::new(bytes.to_vec()), |n, r| {
            seen.push((n, r));
            true
        })
        .unwrap();
        seen
    }

    fn t(s: &str) -> CellValue {
        CellValue::Text(s.into())
    }

    #[test]
    fn windows_line_ends_a_last_line_without_one_and_a_quote_inside_a_cell() {
        let rows = all(b"a,\"b\"\r\n5\"3,x\r\nlast,");
        assert_eq!(rows[0].1, vec![t("a"), t("b")]);
        // A quote inside an unquoted cell is a character, not the start of a multi-line cell.
        assert_eq!(rows[1], (2, vec![t("5\"3"), t("x")]));
        assert_eq!(rows[2], (3, vec![t("last"), CellValue::Empty]));
    }

    #[test]
    fn a_record_longer_than_the_bound_is_refused_naming_its_first_line() {
        let mut file = b"h\nok\n\"".to_vec();
        file.extend(b"C\n".repeat(MAX_RECORD_BYTES));
        let err = csv_rows(Cursor::new(file), |_, _| true).unwrap_err();
        assert!(matches!(err, ReadError::Refused(_)), "{err}");
        assert!(err.to_string().contains("第3行"), "{err}");
    }
}
