//! Per-tag cargo features: a crate of hundreds of operations lets its users compile only the
//! APIs they call. Each tag is a feature; a type (or error enum) is compiled when any feature
//! whose operations reach it is on. With a single tag there is nothing to choose, and no gating.

use std::collections::{BTreeMap, BTreeSet};

use heck::ToKebabCase;

use super::{Api, TypeRef};

/// Which features need what.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Features {
    /// Every tag feature, with whether it needs reqwest's `multipart`.
    pub all: BTreeMap<String, bool>,
    /// For a type needed by only some features: those features (`full` for types no
    /// operation reaches). Types every feature needs are absent: they are always compiled.
    pub types: BTreeMap<String, BTreeSet<String>>,
    /// The same for operations' error types and the shared enums behind them.
    pub errors: BTreeMap<String, BTreeSet<String>>,
}

/// The feature of an operation's tag.
pub fn tag_feature(tag: &str) -> String {
    let name = tag.to_kebab_case();
    if name.is_empty() || name == "full" || name == "server" || name == "default" {
        format!("tag-{name}")
    } else {
        name
    }
}

/// Works out the features of `api`; empty when it has fewer than two tags.
pub fn features(api: &Api) -> Features {
    let mut all: BTreeMap<String, bool> = BTreeMap::new();
    for op in &api.operations {
        let multipart = op
            .body
            .as_ref()
            .is_some_and(|b| b.kind == super::media::MediaKind::Multipart);
        *all.entry(tag_feature(&op.tag)).or_default() |= multipart;
    }
    if all.len() < 2 {
        return Features::default();
    }
    // What each feature reaches, starting from its operations' own types.
    let mut reached: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    let mut error_users: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for op in &api.operations {
        let feature = tag_feature(&op.tag);
        let mut seeds: Vec<&TypeRef> = op.params.iter().map(|p| &p.ty).collect();
        seeds.extend(op.body.as_ref().map(|b| &b.ty));
        seeds.extend(op.success.ty.as_ref());
        if let Some(error) = op.error_type.as_ref().and_then(|e| api.error_types.get(e)) {
            error_users
                .entry(error.name.clone())
                .or_default()
                .insert(feature.clone());
            seeds.extend(error.variants.iter().filter_map(|v| v.ty.as_ref()));
        }
        let set = reached.entry(feature).or_default();
        for seed in seeds {
            reach(seed, api, set);
        }
    }
    let everything: BTreeSet<String> = all.keys().cloned().collect();
    let mut types = BTreeMap::new();
    for name in api.types.keys() {
        let users: BTreeSet<String> = reached
            .iter()
            .filter(|(_, set)| set.contains(name))
            .map(|(feature, _)| feature.clone())
            .collect();
        if users.is_empty() {
            types.insert(name.clone(), BTreeSet::from(["full".to_string()]));
        } else if users != everything {
            types.insert(name.clone(), users);
        }
    }
    // A shared error enum is compiled with any of its aliases.
    for shared in api.shared_errors.values() {
        let users: BTreeSet<String> = shared
            .aliases
            .iter()
            .filter_map(|alias| error_users.get(alias))
            .flatten()
            .cloned()
            .collect();
        error_users.insert(shared.name.clone(), users);
    }
    let errors = error_users
        .into_iter()
        .filter(|(_, users)| *users != everything)
        .collect();
    Features { all, types, errors }
}

/// Adds every named type `ty` reaches to `set`.
pub fn reach(ty: &TypeRef, api: &Api, set: &mut BTreeSet<String>) {
    let Some(name) = ty.named() else {
        return;
    };
    if !set.insert(name.to_string()) {
        return;
    }
    if let Some(def) = api.types.get(name) {
        for member in def.kind.members() {
            reach(member, api, set);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tag_names_become_feature_names() {
        assert_eq!(
            tag_feature("Service Desk Integration"),
            "service-desk-integration"
        );
        assert_eq!(tag_feature("SOD Policies"), "sod-policies");
        assert_eq!(tag_feature("Full"), "tag-full");
    }
}
