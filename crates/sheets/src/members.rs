//! The member import sheet (MEM-5, DAT-1): its columns, the cell quirks of real spreadsheets,
//! the template and the row-by-row report.

use rust_xlsxwriter::{Format, Workbook};
use tuanwu_domain::{DomainError, YearMonth};

use crate::read::CellValue;
use crate::SheetError;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Column {
    Name,
    ResidentId,
    Ethnicity,
    JoinedOn,
    DevelopmentNo,
    StudentNo,
    PoliticalStatus,
    Phone,
    Branch,
    Major,
    NativePlace,
    Education,
    Email,
    College,
}

pub const COLUMNS: [(Column, &str, bool); 14] = [
    (Column::Name, "姓名", true),
    (Column::ResidentId, "身份证号", true),
    (Column::Ethnicity, "民族", true),
    (Column::JoinedOn, "入团时间", true),
    (Column::DevelopmentNo, "发展团员编号", true),
    (Column::StudentNo, "学号", true),
    (Column::PoliticalStatus, "政治面貌", true),
    (Column::Phone, "手机号码", true),
    (Column::Branch, "所在团支部", true),
    (Column::Major, "专业", false),
    (Column::NativePlace, "籍贯", false),
    (Column::Education, "文化程度", false),
    (Column::Email, "电子邮箱", false),
    (Column::College, "所在学院", false),
];

impl Column {
    pub fn header(self) -> &'static str {
        COLUMNS
            .iter()
            .find(|(c, _, _)| *c == self)
            .map(|(_, h, _)| *h)
            .unwrap_or("")
    }
}

/// Full-width letters, digits and spaces as people paste them from documents become ASCII.
pub fn normalise(s: &str) -> String {
    s.chars()
        .map(tuanwu_domain::text::half_width)
        .collect::<String>()
        .trim()
        .to_string()
}

/// Where each known column sits; unknown headers are reported, not fatal.
pub struct Header {
    positions: Vec<(Column, usize)>,
    pub unknown: Vec<String>,
}

impl Header {
    pub fn parse(cells: &[CellValue]) -> Result<Self, Vec<&'static str>> {
        let mut positions = Vec::new();
        let mut unknown = Vec::new();
        for (i, cell) in cells.iter().enumerate() {
            let CellValue::Text(t) = cell else { continue };
            let t = normalise(t).replace(['*', '＊', ' '], "");
            let t = t.trim_start_matches('\u{feff}');
            match COLUMNS.iter().find(|(_, h, _)| {
                *h == t || (*h == "手机号码" && t == "手机号") || (*h == "专业" && t == "录取专业")
            }) {
                Some((c, _, _)) if !positions.iter().any(|(p, _)| p == c) => {
                    positions.push((*c, i))
                }
                _ if !t.is_empty() => unknown.push(t.to_string()),
                _ => {}
            }
        }
        let missing: Vec<&'static str> = COLUMNS
            .iter()
            .filter(|(c, _, required)| *required && !positions.iter().any(|(p, _)| p == c))
            .map(|(_, h, _)| *h)
            .collect();
        if missing.is_empty() {
            Ok(Self { positions, unknown })
        } else {
            Err(missing)
        }
    }

    pub fn cell<'a>(&self, row: &'a [CellValue], column: Column) -> &'a CellValue {
        self.positions
            .iter()
            .find(|(c, _)| *c == column)
            .and_then(|(_, i)| row.get(*i))
            .unwrap_or(&CellValue::Empty)
    }

    pub fn has(&self, column: Column) -> bool {
        self.positions.iter().any(|(c, _)| *c == column)
    }
}

fn bad(column: Column, message: String) -> DomainError {
    DomainError::new("invalid_cell", message).field(column.header())
}

/// A cell as text. Whole numbers lose their ".0" (a student number typed as a number).
pub fn text(cell: &CellValue) -> String {
    match cell {
        CellValue::Empty => String::new(),
        CellValue::Text(t) => normalise(t),
        CellValue::Number(n) if n.fract() == 0.0 && n.abs() < 1e15 => format!("{}", *n as i64),
        CellValue::Number(n) => n.to_string(),
        CellValue::Date(d) => excel_date(*d).map(|d| d.to_string()).unwrap_or_default(),
    }
}

/// Long numbers stored as numbers have lost their last digits: the value cannot be trusted.
pub fn exact_text(cell: &CellValue, column: Column) -> Result<String, DomainError> {
    match cell {
        CellValue::Number(n) if n.abs() >= 1e15 => Err(bad(
            column,
            format!(
                "{}被 Excel 存成了数字（{:E}），末尾几位已经丢失：请把这一列设为“文本”格式，重新输入后再导入",
                column.header(),
                n
            ),
        )),
        other => Ok(text(other)),
    }
}

fn excel_date(serial: f64) -> Option<time::Date> {
    let base = time::Date::from_calendar_date(1899, time::Month::December, 30).ok()?;
    base.checked_add(time::Duration::days(serial.floor() as i64))
}

/// 入团时间 in every form seen in real sheets: a date cell, 2019-05, 2019-5, 2019.5, 2019/05,
/// 2019年5月, 201905, 2019-05-01.
pub fn year_month(cell: &CellValue) -> Result<YearMonth, DomainError> {
    let hint = || {
        bad(
            Column::JoinedOn,
            format!(
                "入团时间“{}”无法识别：请写成“2019-05”这样的年-月",
                text(cell)
            ),
        )
    };
    match cell {
        CellValue::Date(d) => excel_date(*d).map(YearMonth::of).ok_or_else(hint),
        CellValue::Number(n) if (190_001.0..=999_912.0).contains(n) && n.fract() == 0.0 => {
            let v = *n as i64;
            YearMonth::new((v / 100) as i32, (v % 100) as u8).map_err(|_| hint())
        }
        CellValue::Number(n) => {
            // 2019.5 typed into a number cell; 2019.1 could be January or October.
            let s = format!("{n}");
            let (y, m) = s.split_once('.').ok_or_else(hint)?;
            if m == "1" {
                return Err(bad(
                    Column::JoinedOn,
                    format!("入团时间“{s}”有歧义（1月还是10月？）：请写成“{y}-01”或“{y}-10”"),
                ));
            }
            YearMonth::new(
                y.parse().map_err(|_| hint())?,
                m.parse().map_err(|_| hint())?,
            )
            .map_err(|_| hint())
        }
        CellValue::Text(_) => {
            let t = text(cell)
                .replace(['年', '/', '.'], "-")
                .replace(['月', '日'], "");
            let parts: Vec<&str> = t.split('-').filter(|p| !p.is_empty()).collect();
            let (y, m) = match parts.as_slice() {
                [ym] if ym.len() == 6 => (&ym[..4], &ym[4..]),
                [y, m] | [y, m, _] => (*y, *m),
                _ => return Err(hint()),
            };
            YearMonth::new(
                y.trim().parse().map_err(|_| hint())?,
                m.trim().parse().map_err(|_| hint())?,
            )
            .map_err(|_| hint())
        }
        CellValue::Empty => Err(bad(Column::JoinedOn, "请填写入团时间（年-月）".into())),
    }
}

/// 政治面貌 as people write it.
pub fn political_status(cell: &CellValue) -> &'static str {
    match text(cell).as_str() {
        "" | "共青团员" | "团员" => "league_member",
        "群众" => "masses",
        "中共预备党员" | "预备党员" => "probationary_party_member",
        "中共党员" | "党员" => "party_member",
        _ => "invalid",
    }
}

/// The template: headers, one example row, ID columns formatted as text.
pub fn template() -> Result<Vec<u8>, SheetError> {
    let mut book = Workbook::new();
    let ws = book.add_worksheet();
    ws.set_name("团员导入")?;
    ws.set_freeze_panes(1, 0)?;
    let bold = Format::new().set_bold();
    let text = Format::new().set_num_format("@");
    let example = [
        "张小青",
        "120101200501011234",
        "汉族",
        "2020-05",
        "120000000001",
        "2023010101",
        "共青团员",
        "13800000000",
        "计算机科学与技术学院2023级计算机1班团支部",
        "计算机科学与技术",
        "天津市南开区",
        "普通高中",
        "zhang@example.com",
        "",
    ];
    for (i, ((_, h, _), ex)) in COLUMNS.iter().zip(example).enumerate() {
        let c = i as u16;
        ws.set_column_format(c, &text)?;
        ws.set_column_width(c, if *h == "所在团支部" { 40.0 } else { 18.0 })?;
        ws.write_string_with_format(0, c, *h, &bold)?;
        ws.write_string_with_format(1, c, ex, &text)?;
    }
    let notes = book.add_worksheet();
    notes.set_name("填写说明")?;
    let lines = [
        "第一行是列名，列的顺序可以调整；带有“专业、籍贯、文化程度、电子邮箱、所在学院”的列可以不填。",
        "身份证号、学号、发展团员编号请保持“文本”格式，不要让 Excel 变成科学计数法。",
        "入团时间写成 2019-05；2017年1月1日以前入团的，发展团员编号填“无”。",
        "所在团支部填团支部的全称，须在您的管理范围内。",
        "示例行（第2行）导入前请删除。同一文件重复导入时，已导入的团员会被跳过。",
    ];
    for (i, l) in lines.iter().enumerate() {
        notes.write_string(i as u32, 0, *l)?;
    }
    notes.set_column_width(0, 100.0)?;
    Ok(book.save_to_buffer()?)
}

/// One problem of one row.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Problem {
    pub row: usize,
    /// The 姓名 the row gives (as typed, even when it is the cell in error), so that an officer
    /// finds the person without counting rows.
    pub name: String,
    pub column: String,
    pub value: String,
    pub message: String,
}

/// The row-by-row report as xlsx (values written as text).
pub fn report(problems: &[Problem], summary: &str) -> Result<Vec<u8>, SheetError> {
    let rows = problems
        .iter()
        .map(|p| {
            vec![
                p.row.to_string(),
                p.name.clone(),
                p.column.clone(),
                p.value.clone(),
                p.message.clone(),
            ]
        })
        .collect();
    crate::write(crate::Sheet {
        name: "导入结果",
        title: summary,
        headers: &["行号", "姓名", "列", "填写的内容", "问题和处理办法"],
        rows,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(s: &str) -> CellValue {
        CellValue::Text(s.into())
    }

    #[test]
    fn join_dates_in_every_form() {
        for s in [
            "2019-05",
            "2019-5",
            "2019.5",
            "2019/05",
            "2019年5月",
            "201905",
            "2019-05-01",
            "２０１９－０５",
        ] {
            assert_eq!(year_month(&t(s)).unwrap().to_string(), "2019-05", "{s}");
        }
        assert_eq!(
            year_month(&CellValue::Number(2019.5)).unwrap().to_string(),
            "2019-05"
        );
        assert_eq!(
            year_month(&CellValue::Number(2019.12)).unwrap().to_string(),
            "2019-12"
        );
        assert!(year_month(&CellValue::Number(2019.1))
            .unwrap_err()
            .message
            .contains("歧义"));
        // 43586 is 2019-05-01 as an Excel serial.
        assert_eq!(
            year_month(&CellValue::Date(43586.0)).unwrap().to_string(),
            "2019-05"
        );
        assert!(year_month(&t("五月")).is_err());
    }

    #[test]
    fn ids_stored_as_numbers_are_refused_and_full_width_is_normalised() {
        let err =
            exact_text(&CellValue::Number(1.2010120050215e17), Column::ResidentId).unwrap_err();
        assert!(err.message.contains("文本"));
        assert_eq!(
            exact_text(&CellValue::Number(2023010101.0), Column::StudentNo).unwrap(),
            "2023010101"
        );
        assert_eq!(
            normalise("　１２０１０１２００５０１０１１２３Ｘ "),
            "1201012005010112３Ｘ".replace('３', "3").replace('Ｘ', "X")
        );
    }

    #[test]
    fn headers_in_any_order_with_unknown_columns() {
        let h = Header::parse(&[
            t("学号"),
            t("姓名"),
            t("备注"),
            t("身份证号"),
            t("民族"),
            t("入团时间"),
            t("发展团员编号"),
            t("政治面貌"),
            t("手机号"),
            t("所在团支部"),
        ])
        .unwrap();
        assert_eq!(h.unknown, vec!["备注".to_string()]);
        assert_eq!(h.cell(&[t("1"), t("张三")], Column::Name), &t("张三"));
        let missing = Header::parse(&[t("姓名")]).err().unwrap();
        assert!(missing.contains(&"身份证号"));
    }
}
