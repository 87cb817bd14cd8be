//! The frame: tab bar, the visible pane, the form, the notice line, the status bar (connection,
//! role, hints from the live keymap), the overlay and the which-key popup. Pure: reads the app
//! and writes the frame, nothing else.

use super::app::App;
use super::overlays::Overlay;
use super::panes::Pane;
use super::view::Ctx;
use super::widgets::{self, fit, truncate, width};
use super::{MIN_HEIGHT, MIN_WIDTH};
use crate::i18n::catalogue::{self as cat, Msg, t};
use crate::keymap::{Action, Context};
use crate::service::Role;
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph, Wrap};

/// Draw the whole screen from the app.
pub fn draw(frame: &mut Frame, app: &App) {
    let area = frame.area();
    let cx = app.ctx();
    if area.width < MIN_WIDTH || area.height < MIN_HEIGHT {
        return draw_too_small(frame, area, &cx);
    }
    let [tabs, body, notice, status] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Min(1),
        Constraint::Length(1),
        Constraint::Length(1),
    ])
    .areas(area);
    draw_tabs(frame, tabs, app.pane(), &cx);
    app.pane_view().draw(frame, body, &cx);
    if let Some(form) = app.form() {
        super::forms::draw::draw(frame, body, &cx, form, app.overlay().is_none());
    }
    if let Some(n) = app.last_notice() {
        let text = truncate(&n.text(cx.lang), notice.width as usize);
        let line = Line::from(Span::styled(text, cx.theme.warn()));
        widgets::draw_lines(frame, notice, &[line]);
    }
    draw_status(frame, status, app, &cx);
    if let Some(ov) = app.overlay() {
        ov.draw(frame, body, &cx);
    }
    draw_which_key(frame, body, app, &cx);
}

fn draw_too_small(frame: &mut Frame, area: Rect, cx: &Ctx) {
    let quit = cx.key(Context::Global, Action::Quit);
    let text = vec![
        Line::from(Span::styled(t(cx.lang, Msg::TooSmall), cx.theme.warn())),
        Line::from(format!(
            "{}x{} < {MIN_WIDTH}x{MIN_HEIGHT}",
            area.width, area.height
        )),
        Line::from(cat::too_small_hint(cx.lang, &quit)),
    ];
    frame.render_widget(Paragraph::new(text).wrap(Wrap { trim: true }), area);
}

fn draw_tabs(frame: &mut Frame, area: Rect, current: Pane, cx: &Ctx) {
    let th = cx.theme;
    let mut spans = vec![Span::styled(" spets ", th.title())];
    for (i, p) in Pane::ALL.iter().enumerate() {
        let label = format!(" {} {} ", i + 1, t(cx.lang, p.title()));
        if *p == current {
            spans.push(Span::styled(
                format!("[{}]", label.trim_end()),
                th.tab_active(),
            ));
        } else {
            spans.push(Span::styled(label, th.normal()));
        }
    }
    widgets::draw_lines(frame, area, &[Line::from(spans)]);
}

/// Key hints for the status bar: the first key of each action, from the live keymap. Actions the
/// user may not run (a viewer's add, edit, archive; a read-only form's save) are left out.
pub fn hints(app: &App, ctx: Context) -> Vec<(String, Action)> {
    let wanted: &[Action] = match ctx {
        Context::Forms | Context::Editor => &[Action::Save, Action::NextField, Action::Cancel],
        Context::Dialogs if matches!(app.overlay(), Some(Overlay::Conflict(_))) => &[
            Action::ShowDiff,
            Action::Reload,
            Action::Overwrite,
            Action::ConfirmNo,
        ],
        Context::Dialogs if matches!(app.overlay(), Some(Overlay::Exporting(_))) => {
            &[Action::ConfirmNo]
        }
        Context::Dialogs => &[Action::ConfirmYes, Action::ConfirmNo],
        Context::Menus => &[Action::Open, Action::Back],
        _ => &[
            Action::Open,
            Action::Add,
            Action::Search,
            Action::Help,
            Action::CommandPalette,
            Action::Menu,
            Action::ToggleLanguage,
            Action::Quit,
        ],
    };
    let viewer = app.role() < Role::Editor;
    let read_only_form = app.form().is_some_and(super::forms::Form::is_read_only);
    wanted
        .iter()
        .filter(|a| !(viewer && matches!(a, Action::Add | Action::Edit | Action::Archive)))
        .filter(|a| !(read_only_form && **a == Action::Save))
        .filter_map(|a| {
            app.ctx()
                .keymap
                .keys_for(ctx, *a)
                .into_iter()
                .next()
                .map(|k| (k, *a))
        })
        .collect()
}

fn draw_status(frame: &mut Frame, area: Rect, app: &App, cx: &Ctx) {
    let (th, lang) = (cx.theme, cx.lang);
    let w = area.width as usize;
    let location = app.location();
    if !cx.online {
        // Say it plainly, in place of the hints; nothing else changes (forms keep their input).
        let text = format!(
            " ⟳ {}, {} · {} · {} ",
            t(lang, Msg::Offline),
            t(lang, Msg::Reconnecting),
            truncate(location, 32),
            cx.user
        );
        frame.render_widget(Paragraph::new(Span::styled(fit(&text, w), th.warn())), area);
        return;
    }
    let role = if cx.role < Role::Editor {
        format!("{} · ", t(lang, Msg::ReadOnlyRole))
    } else {
        String::new()
    };
    let left = format!(
        " {} · {} · {role}{} ",
        truncate(location, 32),
        cx.user,
        t(lang, Msg::LanguageName)
    );
    let lw = width(&left).min(w);
    let mut right = String::new();
    for (k, a) in hints(app, app.context()) {
        let short = cat::hint_label(lang, a).unwrap_or(a.description(lang));
        let item = format!("{k} {short}  ");
        if lw + width(&right) + width(&item) > w {
            break;
        }
        right.push_str(&item);
    }
    let line = Line::from(vec![
        Span::styled(fit(&left, lw), th.bar()),
        Span::styled(widgets::fit_right(right.trim_end(), w - lw), th.bar()),
    ]);
    widgets::draw_lines(frame, area, &[line]);
}

/// Clear a popup's area. A wide (CJK, emoji) character just left of the popup would spill its
/// right half into the border; blank it so the border stays whole.
pub fn clear_area(frame: &mut Frame, r: Rect) {
    frame.render_widget(Clear, r);
    if r.x == 0 {
        return;
    }
    let buf = frame.buffer_mut();
    for y in r.y..r.y + r.height {
        if let Some(cell) = buf.cell_mut((r.x - 1, y))
            && width(cell.symbol()) > 1
        {
            cell.set_symbol(" ");
        }
    }
}

/// A centred rectangle inside `area`.
pub fn centered(area: Rect, w: u16, h: u16) -> Rect {
    let w = w.min(area.width);
    let h = h.min(area.height);
    Rect {
        x: area.x + (area.width - w) / 2,
        y: area.y + (area.height - h) / 2,
        width: w,
        height: h,
    }
}

/// A bordered popup block with a title.
pub fn popup<'a>(title: &str, cx: &Ctx) -> Block<'a> {
    Block::default()
        .borders(Borders::ALL)
        .title(Span::styled(format!(" {title} "), cx.theme.title()))
}

fn draw_which_key(frame: &mut Frame, body: Rect, app: &App, cx: &Ctx) {
    if !app.keys().is_pending() {
        return;
    }
    let conts = cx.keymap.pending_continuations(app.context(), app.keys());
    let prefix = crate::keymap::format_sequence(&app.keys().prefix());
    let h = (conts.len() as u16 + 3).min(body.height);
    let r = Rect {
        x: body.x + body.width.saturating_sub(44),
        y: body.y + body.height.saturating_sub(h),
        width: 44.min(body.width),
        height: h,
    };
    clear_area(frame, r);
    let mut lines = vec![Line::from(Span::styled(prefix, cx.theme.key()))];
    for (k, a) in conts {
        lines.push(Line::from(vec![
            Span::styled(fit(&k, 8), cx.theme.key()),
            Span::raw(truncate(a.description(cx.lang), 32)),
        ]));
    }
    frame.render_widget(
        Paragraph::new(lines).block(popup(t(cx.lang, Msg::WhichKey), cx)),
        r,
    );
}
