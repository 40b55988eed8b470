/*!
Reference pages: what a coder reads about a code or a term.

# Brief overview

[`Reference`] joins the two read-only inputs — the CMS tables ([`RefData`]) and the knowledge
base ([`Knowledge`]) — into page views. [`Reference::code_page`] builds a [`CodePage`]: the
knowledge entry's words plus every figure computed at that moment from the data (RVUs,
indicators, global period, MUE, add-on primaries, national and locality payment by setting,
OPPS/ASC rates when imported). [`Reference::term_page`] builds a [`TermPage`], and
[`Reference::search`] finds codes and terms by number, word or synonym.

The views are the serialization boundary: the CLI prints them as text or JSON and the server
renders them as HTML, so the two can never disagree.
*/

mod page;
mod search;

use std::sync::Arc;

use interspace_knowledge::Knowledge;
use interspace_refdata::{Hcpcs, RefData};

pub use page::{
    CodePage, DenialView, DocumentationView, FacilityRate, FaqView, IndicatorView, LocalityPrice, ModifierView,
    MueView, PageError, RelatedView, SourceView, TermPage,
};
pub use search::{Hit, HitKind};

/// The reference data and knowledge base, shared read-only.
#[derive(Clone)]
pub struct Reference {
    pub data: Arc<RefData>,
    pub knowledge: Arc<Knowledge>,
    index: Arc<search::Index>,
}

impl Reference {
    pub fn new(data: Arc<RefData>, knowledge: Arc<Knowledge>) -> Reference {
        let index = Arc::new(search::Index::build(&knowledge));
        Reference { data, knowledge, index }
    }

    /// Codes the knowledge base has a page for.
    pub fn page_codes(&self) -> impl Iterator<Item = Hcpcs> + '_ {
        self.knowledge.codes().map(|c| c.code)
    }

    /// Codes and terms matching a query, best first.
    pub fn search(&self, query: &str, limit: usize) -> Vec<Hit> {
        self.index.search(&self.knowledge, query, limit)
    }
}
