//! The one document model every output is rendered from: a title and
//! blocks (headings, paragraphs, links, lists of items with detail lines,
//! tables). [`Document::text`] renders it for the terminal and
//! [`Document::markdown`] for tickets and docs; the page renders the same
//! blocks as HTML (`web::support`). Builders — a run's report, a support
//! ticket — only decide what to say, never how it is marked up.

use core::fmt::Write;

/// One item of a list: a line, with indented detail lines under it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Item {
    pub text: String,
    pub details: Vec<Detail>,
}

/// A line under an item, as a value: each kind is rendered in one place
/// for the terminal, for Markdown and for the page, and none is read back
/// out of rendered text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Detail {
    /// Running text (with `code` spans).
    Text(String),
    /// A labelled line, the label emphasised on the page: `Exposes`, `Why`.
    Labelled(&'static str, String),
    /// Where a rule comes from (`Source`) or what else backs it (`Also`).
    Cited(&'static str, &'static crate::facts::Source),
    /// The built-in scenario that plays a step out.
    PlayedOut(&'static crate::library::BuiltIn),
}

impl Detail {
    /// The line as text (Markdown's inline marks are the caller's).
    pub fn words(&self) -> String {
        match self {
            Detail::Text(text) => text.clone(),
            Detail::Labelled(label, text) => format!("{label}: {text}"),
            Detail::Cited(label, source) if source.also.is_empty() => {
                format!("{label}: {source}")
            }
            Detail::Cited(label, source) => {
                format!("{label}: {source}; also {}", source.also.join(", "))
            }
            Detail::PlayedOut(built_in) => format!(
                "Played out in the scenario \u{201c}{}\u{201d} (`{}`)",
                built_in.title, built_in.name
            ),
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Block {
    /// A section's heading. The customer's part (what is happening, what
    /// to do) is `essential`; the evidence behind it is not, and the page
    /// folds it away until asked (or printed).
    Heading {
        text: String,
        essential: bool,
    },
    Paragraph(String),
    /// A paragraph ending in an address the page makes a link of.
    Link {
        lead: String,
        address: String,
    },
    List {
        ordered: bool,
        items: Vec<Item>,
    },
    Table(Table),
}

/// Rows under a header; cells are running text (with `code` spans).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Table {
    pub header: Vec<&'static str>,
    pub rows: Vec<Vec<String>>,
}

/// A titled document: a support ticket, a run's report.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Document {
    pub title: String,
    pub blocks: Vec<Block>,
}

/// The two plain-text renderings differ only in their marks.
struct Marks {
    markdown: bool,
}

impl Marks {
    fn title(&self, title: &str) -> String {
        if self.markdown {
            format!("# {title}\n")
        } else {
            format!("{title}\n{}\n", "=".repeat(title.chars().count()))
        }
    }

    fn heading(&self, heading: &str) -> String {
        if self.markdown {
            format!("## {heading}")
        } else {
            format!("{heading}\n{}", "-".repeat(heading.chars().count()))
        }
    }

    /// Plain text drops the code marks.
    fn inline(&self, text: &str) -> String {
        if self.markdown {
            text.to_string()
        } else {
            text.replace('`', "")
        }
    }

    fn bullet(&self) -> &'static str {
        if self.markdown { "-" } else { "*" }
    }

    fn detail(&self) -> &'static str {
        if self.markdown { "- " } else { "" }
    }

    /// Markdown: a pipe table. Text: columns padded to their widest cell,
    /// indented by two spaces, the last column left ragged.
    fn table(&self, table: &Table, out: &mut String) {
        let header: Vec<String> = table.header.iter().map(|h| h.to_string()).collect();
        if self.markdown {
            let row = |cells: &[String]| {
                let cells: Vec<String> = cells.iter().map(|c| c.replace('|', "\\|")).collect();
                format!("| {} |", cells.join(" | "))
            };
            let _ = writeln!(out, "{}", row(&header));
            let _ = writeln!(out, "|{}", "---|".repeat(header.len()));
            for cells in &table.rows {
                let _ = writeln!(out, "{}", row(cells));
            }
            return;
        }
        let rows: Vec<Vec<String>> = std::iter::once(header)
            .chain(
                table
                    .rows
                    .iter()
                    .map(|cells| cells.iter().map(|c| self.inline(c)).collect()),
            )
            .collect();
        let columns = rows.iter().map(Vec::len).max().unwrap_or(0);
        let widths: Vec<usize> = (0..columns)
            .map(|i| {
                rows.iter()
                    .filter_map(|r| r.get(i))
                    .map(|c| c.chars().count())
                    .max()
                    .unwrap_or(0)
            })
            .collect();
        for cells in &rows {
            let mut line = String::from(" ");
            for (i, cell) in cells.iter().enumerate() {
                line.push(' ');
                line.push_str(cell);
                if i + 1 < cells.len() {
                    let pad = widths[i] - cell.chars().count() + 1;
                    line.extend(std::iter::repeat_n(' ', pad));
                }
            }
            let _ = writeln!(out, "{}", line.trim_end());
        }
    }
}

impl Document {
    pub fn markdown(&self) -> String {
        self.render(&Marks { markdown: true })
    }

    pub fn text(&self) -> String {
        self.render(&Marks { markdown: false })
    }

    fn render(&self, marks: &Marks) -> String {
        let mut out = marks.title(&self.title);
        for block in &self.blocks {
            out.push('\n');
            match block {
                Block::Heading { text, .. } => {
                    let _ = writeln!(out, "{}", marks.heading(text));
                }
                Block::Link { lead, address } => {
                    let _ = writeln!(out, "{}{address}", marks.inline(lead));
                }
                Block::Paragraph(p) => {
                    let _ = writeln!(out, "{}", marks.inline(p));
                }
                Block::Table(table) => marks.table(table, &mut out),
                Block::List { ordered, items } => {
                    for (i, item) in items.iter().enumerate() {
                        let marker = if *ordered {
                            format!("{}.", i + 1)
                        } else {
                            marks.bullet().to_string()
                        };
                        let _ = writeln!(out, "{marker} {}", marks.inline(&item.text));
                        let indent = " ".repeat(marker.len() + 1);
                        for detail in &item.details {
                            let words = detail.words();
                            let _ =
                                writeln!(out, "{indent}{}{}", marks.detail(), marks.inline(&words));
                        }
                    }
                }
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> Document {
        Document {
            title: "Title".into(),
            blocks: vec![
                Block::Heading {
                    text: "Part".into(),
                    essential: true,
                },
                Block::Table(Table {
                    header: vec!["at", "what"],
                    rows: vec![
                        vec!["5s".into(), "`a|b` happens".into()],
                        vec!["1m30s".into(), "then this".into()],
                    ],
                }),
            ],
        }
    }

    #[test]
    fn a_table_lines_up_in_the_terminal() {
        assert_eq!(
            sample().text(),
            "Title\n=====\n\nPart\n----\n\n  at     what\n  5s     a|b happens\n  1m30s  then this\n"
        );
    }

    #[test]
    fn a_table_is_a_pipe_table_in_markdown_with_pipes_escaped() {
        assert_eq!(
            sample().markdown(),
            "# Title\n\n## Part\n\n| at | what |\n|---|---|\n| 5s | `a\\|b` happens |\n| 1m30s | then this |\n"
        );
    }
}
