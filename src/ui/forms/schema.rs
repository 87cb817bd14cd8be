//! The schema machinery every form module uses: `field_ids!` declares a form's fields (id,
//! machine name, label) and wires its build and parse into `Schema`; the generic functions
//! build a form from a record and parse it back.

use super::field::{Cell, Input, Problem};
use super::{FieldKey, Form, FormKind, ParseCx, Problems};

/// Declares a form's field ids: an enum in display order, each field with its domain machine
/// name and its label (a field cannot be declared without both), and how it is wrapped in a
/// [`FieldKey`].
macro_rules! field_ids {
    ($key:ident: $rec:ty => $name:ident { $($v:ident = $machine:literal, $label:ident;)+ }) => {
        /// The fields of this form, in display order.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum $name { $($v),+ }
        impl $name {
            /// Every field, in display order.
            pub const ALL: &'static [$name] = &[$($name::$v),+];
            /// The domain's machine name (as in `FieldError::field`) and the label.
            pub fn meta(self) -> (&'static str, crate::i18n::catalogue::Msg) {
                match self { $($name::$v => ($machine, crate::i18n::catalogue::Msg::$label)),+ }
            }
            /// The field as a key of any form.
            pub fn key(self) -> super::FieldKey {
                super::FieldKey::$key(self)
            }
            /// This form's field behind a key.
            pub fn of(key: super::FieldKey) -> Option<$name> {
                match key {
                    super::FieldKey::$key(f) => Some(f),
                    _ => None,
                }
            }
        }
        impl super::Schema for $name {
            type Record = $rec;
            fn all() -> &'static [Self] {
                Self::ALL
            }
            fn key(self) -> super::FieldKey {
                $name::key(self)
            }
            fn of(key: super::FieldKey) -> Option<Self> {
                $name::of(key)
            }
            fn build(self, r: &$rec, cx: &super::ParseCx) -> super::field::Cell {
                build(r, self, cx)
            }
            fn parse(
                self,
                r: &mut $rec,
                v: &super::field::Input,
                cx: &super::ParseCx,
            ) -> Result<(), super::field::Problem> {
                parse(r, self, v, cx)
            }
        }
    };
}
pub(crate) use field_ids;

/// A form's schema: each field's build (record → field) and parse (field → record), side by
/// side in the entity's module, as exhaustive matches on its field ids.
pub(crate) trait Schema: Copy + 'static {
    type Record;
    fn all() -> &'static [Self];
    fn key(self) -> FieldKey;
    fn of(key: FieldKey) -> Option<Self>;
    fn build(self, r: &Self::Record, cx: &ParseCx) -> Cell;
    fn parse(self, r: &mut Self::Record, v: &Input, cx: &ParseCx) -> Result<(), Problem>;
}

/// A form of `kind` showing the record `r`.
pub(crate) fn schema_form<S: Schema>(kind: FormKind, r: &S::Record, cx: &ParseCx) -> Form {
    Form::new(kind, rows::<S>(r, cx))
}

/// The record a form describes, parsed onto `r`, or the rows it cannot parse.
pub(crate) fn schema_data<S: Schema>(
    form: &Form,
    mut r: S::Record,
    cx: &ParseCx,
) -> Result<S::Record, Problems> {
    parse_into::<S>(form, &mut r, cx)?;
    Ok(r)
}

/// A form's rows from a record.
pub(crate) fn rows<S: Schema>(r: &S::Record, cx: &ParseCx) -> Vec<(FieldKey, Cell)> {
    S::all().iter().map(|f| (f.key(), f.build(r, cx))).collect()
}

/// Parse a form's rows into `r`; the problems name their rows.
pub(crate) fn parse_into<S: Schema>(
    form: &Form,
    r: &mut S::Record,
    cx: &ParseCx,
) -> Result<(), Problems> {
    form.parse_each(|key, v| match S::of(key) {
        Some(f) => f.parse(r, v, cx),
        None => Ok(()),
    })
}
