//! The section header phrases as a small trie, asked at every line start for the longest phrase
//! that begins there.
//!
//! Written by hand rather than taken from a crate: the question is one anchored longest-prefix
//! walk, and what matters is that the walk reads few cache lines. The crate's anchored DFA read a
//! different table row for every byte of a header, and those rows fell out of the cache between
//! lines while the vocabulary's walk table streamed through it (PERFORMANCE.md, machine K). Here
//! a chain of single children is one run of bytes, so a header such as "preoperative diagnosis"
//! is read as a few slices, and the whole trie is a few kilobytes.

use crate::lexicon::SectionKind;

/// A trie of phrases; each node's children are consecutive and hold their first byte.
pub(crate) struct HeaderTrie {
    nodes: Vec<Node>,
    /// Every node's bytes, one run per node.
    labels: Vec<u8>,
    /// The root's child for each first byte, as an index into `nodes` (0: none; the root is 0).
    first: Box<[u32; 256]>,
}

#[derive(Clone, Copy)]
struct Node {
    /// The bytes this node adds to its parent's: `labels[label_start..label_start + label_len]`.
    label_start: u32,
    label_len: u32,
    children_start: u32,
    children_len: u32,
    /// The section of the phrase that ends here.
    kind: Option<SectionKind>,
    /// The first byte of the label (the root's is never read).
    first_byte: u8,
}

/// The trie while it is built: one byte per edge.
#[derive(Default)]
struct Building {
    children: std::collections::BTreeMap<u8, Building>,
    kind: Option<SectionKind>,
}

impl HeaderTrie {
    /// The trie of `phrases`; where a phrase appears twice, its first section counts, as in a
    /// leftmost-longest automaton.
    pub(crate) fn new<'p>(phrases: impl IntoIterator<Item = (&'p str, SectionKind)>) -> HeaderTrie {
        let mut root = Building::default();
        for (phrase, kind) in phrases {
            let node = phrase.bytes().fold(&mut root, |node, b| node.children.entry(b).or_default());
            node.kind.get_or_insert(kind);
        }
        let mut trie = HeaderTrie { nodes: Vec::new(), labels: Vec::new(), first: Box::new([0; 256]) };
        let root_node =
            Node { label_start: 0, label_len: 0, children_start: 0, children_len: 0, kind: root.kind, first_byte: 0 };
        trie.nodes.push(root_node);
        trie.lay_out(0, &root);
        let (start, len) = (trie.nodes[0].children_start as usize, trie.nodes[0].children_len as usize);
        for i in start..start + len {
            trie.first[trie.nodes[i].first_byte as usize] = i as u32;
        }
        trie
    }

    /// Lays out the children of `built`, whose node is `nodes[at]`: each child's chain of single
    /// children becomes its label, then its own children follow, depth first.
    fn lay_out(&mut self, at: usize, built: &Building) {
        let start = self.nodes.len();
        let mut chains = Vec::with_capacity(built.children.len());
        for (&b, mut child) in &built.children {
            let label_start = self.labels.len() as u32;
            self.labels.push(b);
            while child.kind.is_none() && child.children.len() == 1 {
                let (&next, grandchild) = child.children.iter().next().expect("one child");
                self.labels.push(next);
                child = grandchild;
            }
            let label_len = self.labels.len() as u32 - label_start;
            self.nodes.push(Node {
                label_start,
                label_len,
                children_start: 0,
                children_len: 0,
                kind: child.kind,
                first_byte: b,
            });
            chains.push(child);
        }
        self.nodes[at].children_start = start as u32;
        self.nodes[at].children_len = chains.len() as u32;
        for (i, chain) in chains.into_iter().enumerate() {
            self.lay_out(start + i, chain);
        }
    }

    /// The longest phrase that `text` begins with: its length and section.
    pub(crate) fn longest_prefix(&self, text: &[u8]) -> Option<(usize, SectionKind)> {
        let mut longest = self.nodes[0].kind.map(|kind| (0, kind));
        let mut node = match self.first[*text.first()? as usize] {
            0 => return longest,
            i => self.nodes[i as usize],
        };
        let mut at = 0;
        loop {
            let label = &self.labels[node.label_start as usize..][..node.label_len as usize];
            if !text[at..].starts_with(label) {
                return longest;
            }
            at += label.len();
            if let Some(kind) = node.kind {
                longest = Some((at, kind));
            }
            let Some(&b) = text.get(at) else { return longest };
            let children = &self.nodes[node.children_start as usize..][..node.children_len as usize];
            match children.iter().find(|c| c.first_byte == b) {
                Some(&child) => node = child,
                None => return longest,
            }
        }
    }

    /// Bytes of memory the trie reads.
    #[cfg(test)]
    pub(crate) fn bytes(&self) -> usize {
        self.nodes.len() * std::mem::size_of::<Node>() + self.labels.len() + std::mem::size_of::<[u32; 256]>()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_the_longest_phrase_at_the_start() {
        let trie = HeaderTrie::new([
            ("pre", SectionKind::Diagnosis),
            ("preop", SectionKind::Diagnosis),
            ("procedure", SectionKind::Procedures),
            ("procedures performed", SectionKind::Procedures),
            ("ebl", SectionKind::BloodLoss),
            ("pre", SectionKind::Other),
        ]);
        let at = |t: &str| trie.longest_prefix(t.as_bytes());
        assert_eq!(at("preop dx"), Some((5, SectionKind::Diagnosis)));
        assert_eq!(at("preoperative"), Some((5, SectionKind::Diagnosis)));
        assert_eq!(at("pre:"), Some((3, SectionKind::Diagnosis)), "the first section of a repeated phrase");
        assert_eq!(at("pr"), None);
        assert_eq!(at("procedures performed: l4-5"), Some((20, SectionKind::Procedures)));
        assert_eq!(at("procedures done"), Some((9, SectionKind::Procedures)));
        assert_eq!(at("ebl 200"), Some((3, SectionKind::BloodLoss)));
        assert_eq!(at("the ebl"), None);
        assert_eq!(at(""), None);
    }
}
