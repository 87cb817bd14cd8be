//! The key trie of one context, and the merge of a preset with a user's file that feeds it.
//! Both are linear in the number of bindings: a branch finds a child through a hash index, and
//! the merge finds what an entry collides with through indexes of keys and of prefixes.

use std::collections::HashMap;

use super::action::Action;
use super::key::KeyChord;
use super::load::Entry;

/// A node of a context's key trie. A branch keeps its children in the order they were bound
/// (which-key popups list them so), with a hash index for lookups.
#[derive(Debug, Clone)]
pub(super) enum Node {
    Leaf(Action),
    Branch(Children),
}

#[derive(Debug, Clone, Default)]
pub(super) struct Children {
    list: Vec<(KeyChord, Node)>,
    index: HashMap<KeyChord, usize>,
}

impl Children {
    fn get(&self, key: &KeyChord) -> Option<&Node> {
        self.index
            .get(key)
            .and_then(|&i| self.list.get(i))
            .map(|(_, n)| n)
    }
}

impl Node {
    fn empty() -> Self {
        Node::Branch(Children::default())
    }

    pub(super) fn walk(&self, keys: &[KeyChord]) -> Option<&Node> {
        let mut node = self;
        for key in keys {
            let Node::Branch(children) = node else {
                return None;
            };
            node = children.get(key)?;
        }
        Some(node)
    }

    /// Inserts a binding; returns false (and changes nothing) when it collides.
    fn insert(&mut self, keys: &[KeyChord], action: Action) -> bool {
        let Some((first, rest)) = keys.split_first() else {
            return false;
        };
        let Node::Branch(children) = self else {
            return false;
        };
        if let Some(&i) = children.index.get(first) {
            return !rest.is_empty()
                && children
                    .list
                    .get_mut(i)
                    .is_some_and(|(_, child)| child.insert(rest, action));
        }
        let child = if rest.is_empty() {
            Node::Leaf(action)
        } else {
            let mut branch = Node::empty();
            if !branch.insert(rest, action) {
                return false;
            }
            branch
        };
        children.index.insert(*first, children.list.len());
        children.list.push((*first, child));
        true
    }

    pub(super) fn leaves(&self, path: &mut Vec<KeyChord>, out: &mut Vec<(Vec<KeyChord>, Action)>) {
        match self {
            Node::Leaf(action) => out.push((path.clone(), *action)),
            Node::Branch(children) => {
                for (key, child) in &children.list {
                    path.push(*key);
                    child.leaves(path, out);
                    path.pop();
                }
            }
        }
    }
}

#[derive(Debug, Clone)]
pub(super) struct Binding {
    pub(super) keys: Vec<KeyChord>,
    pub(super) action: Action,
}

#[derive(Debug, Clone)]
pub(super) struct Section {
    pub(super) bindings: Vec<Binding>,
    pub(super) trie: Node,
}

impl Section {
    pub(super) fn new(bindings: Vec<Binding>) -> Self {
        let mut trie = Node::empty();
        // Bindings are conflict-free by construction; a colliding one would be skipped.
        for b in &bindings {
            trie.insert(&b.keys, b.action);
        }
        Section { bindings, trie }
    }
}

/// One context's bindings while a keymap is merged: the preset's, then the user's entries
/// applied in file order. An entry removes every binding its keys collide with (the same keys,
/// a proper prefix of them, or keys they are a proper prefix of), then adds its own binding.
/// Indexed by keys and by proper prefixes, so merging is linear in the number of bindings.
#[derive(Debug, Clone, Default)]
pub(super) struct Merged {
    /// In the order bound; None once removed.
    slots: Vec<Option<Binding>>,
    /// Keys → the slot binding exactly them (at most one is alive).
    exact: HashMap<Vec<KeyChord>, usize>,
    /// A proper prefix → the slots whose keys extend it (some may have been removed since).
    extending: HashMap<Vec<KeyChord>, Vec<usize>>,
}

impl Merged {
    pub(super) fn apply(&mut self, entry: Entry) {
        let keys = entry.keys;
        for n in 1..=keys.len() {
            if let Some(slot) = self.exact.remove(&keys[..n]) {
                self.remove(slot);
            }
        }
        // Each slot is listed once per proper prefix and each list is taken once: linear.
        for slot in self.extending.remove(&keys).unwrap_or_default() {
            self.remove(slot);
        }
        let Some(action) = entry.run else {
            return;
        };
        let slot = self.slots.len();
        for n in 1..keys.len() {
            self.extending
                .entry(keys[..n].to_vec())
                .or_default()
                .push(slot);
        }
        self.exact.insert(keys.clone(), slot);
        self.slots.push(Some(Binding { keys, action }));
    }

    fn remove(&mut self, slot: usize) {
        if let Some(b) = self.slots.get_mut(slot).and_then(Option::take)
            && self.exact.get(&b.keys) == Some(&slot)
        {
            self.exact.remove(&b.keys);
        }
    }

    pub(super) fn into_bindings(self) -> Vec<Binding> {
        self.slots.into_iter().flatten().collect()
    }
}
