//! The conflict dialog: a save hit a newer version. It says who changed the record and shows the
//! fields they changed next to the user's own values; the form under it keeps the input.

use crate::i18n::Lang;
use crate::i18n::catalogue::{self as cat, Msg, t};
use crate::i18n::vocab::field_value;
use crate::keymap::{Action, Context};
use crate::ui::effect::{Effect, Effects};
use crate::ui::forms::Form;
use crate::ui::frame::{centered, clear_area, popup};
use crate::ui::view::Ctx;
use crate::ui::widgets::{clean, fit};
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Wrap};

/// The conflict dialog's state.
#[derive(Debug, Clone)]
pub struct ConflictView {
    pub info: Box<crate::service::ConflictInfo>,
    pub rows: Vec<ConflictRow>,
    /// Also show the values before their change.
    pub show_was: bool,
}

/// One changed field.
#[derive(Debug, Clone, PartialEq)]
pub struct ConflictRow {
    pub field: String,
    pub was: String,
    pub theirs: String,
    pub yours: String,
}

impl ConflictView {
    /// The dialog for a conflict, with the user's own values from the form.
    pub fn new(form: &Form, info: Box<crate::service::ConflictInfo>, lang: Lang) -> ConflictView {
        let rows = info
            .fields
            .iter()
            .map(|c| ConflictRow {
                field: c.field.clone(),
                was: field_value(lang, info.kind, &c.field, &c.old),
                theirs: field_value(lang, info.kind, &c.field, &c.new),
                yours: form.plain_value(&c.field, lang),
            })
            .collect();
        ConflictView {
            info,
            rows,
            show_was: false,
        }
    }
}

pub fn action(v: &mut ConflictView, action: Action, cx: &Ctx, fx: &mut Effects) {
    match action {
        Action::ShowDiff => v.show_was = !v.show_was,
        Action::Reload => {
            fx.close();
            fx.push(Effect::ConflictReload(Box::new(v.info.current.clone())));
        }
        Action::Overwrite => {
            fx.close();
            fx.push(Effect::ConflictOverwrite(v.info.current.meta().version));
        }
        Action::ConfirmNo | Action::Back | Action::Cancel => fx.close(),
        Action::ToggleLanguage => fx.push(Effect::SetLang(cx.lang.toggle())),
        _ => {}
    }
}

/// The conflict dialog over the form.
pub fn draw(frame: &mut Frame, body: Rect, v: &ConflictView, cx: &Ctx) {
    let th = cx.theme;
    let lang = cx.lang;
    let h = (v.rows.len().max(1) + 9) as u16;
    let r = centered(body, body.width.min(100), body.height.min(h));
    clear_area(frame, r);
    let cols = r.width.saturating_sub(2) as usize;
    let mut lines = vec![
        Line::from(clean(&cat::conflict_by(
            lang,
            &v.info.changed_by,
            &crate::i18n::dates::moment(lang, v.info.changed_at),
        ))),
        Line::from(""),
    ];
    let label_w = 18;
    let n_values = if v.show_was { 3 } else { 2 };
    let value_w = (cols.saturating_sub(label_w + 1) / n_values).saturating_sub(1);
    let mut head = vec![Span::styled(
        fit(t(lang, Msg::ConflictField), label_w),
        th.dim(),
    )];
    let mut heads = Vec::new();
    if v.show_was {
        heads.push(Msg::ConflictWas);
    }
    heads.extend([Msg::ConflictTheirs, Msg::ConflictYours]);
    for m in heads {
        head.push(Span::raw(" "));
        head.push(Span::styled(fit(t(lang, m), value_w), th.dim()));
    }
    lines.push(Line::from(head));
    if v.rows.is_empty() {
        lines.push(Line::from(t(lang, Msg::ConflictNoFields)));
    }
    let room = (r.height as usize).saturating_sub(2 + 3 + 3);
    for row in v.rows.iter().take(room.max(1)) {
        let mut spans = vec![Span::styled(
            fit(cat::field_label(lang, &row.field), label_w),
            th.key(),
        )];
        if v.show_was {
            spans.push(Span::raw(" "));
            spans.push(Span::raw(fit(&row.was, value_w)));
        }
        spans.push(Span::raw(" "));
        spans.push(Span::raw(fit(&row.theirs, value_w)));
        spans.push(Span::raw(" "));
        let style = if row.yours == row.theirs {
            th.normal()
        } else {
            th.warn()
        };
        spans.push(Span::styled(fit(&row.yours, value_w), style));
        lines.push(Line::from(spans));
    }
    lines.push(Line::from(""));
    let k = |a| {
        cx.keymap
            .keys_for(Context::Dialogs, a)
            .into_iter()
            .next()
            .unwrap_or_else(|| a.name().to_string())
    };
    lines.push(Line::from(Span::styled(
        cat::conflict_keys(
            lang,
            &k(Action::ShowDiff),
            &k(Action::Reload),
            &k(Action::Overwrite),
            &k(Action::ConfirmNo),
        ),
        th.key(),
    )));
    frame.render_widget(
        Paragraph::new(lines)
            .wrap(Wrap { trim: false })
            .block(popup(t(lang, Msg::ConflictTitle), cx)),
        r,
    );
}
