//! [`collection_inputs!`]: each collection's `where` and `order_by` inputs declared once, field
//! by field, as a catalogue: the field's GraphQL name (which is also its unified name), its
//! comparison type (hence its operators), its doc (the SDL's description), whether it sorts, and
//! how it reaches the engine (a field of the record, a global id, a field of a related record,
//! or a relation). The macro writes the `InputObject`s, their translation into the engine's
//! [`Filter`](simpul_schema::Filter), and the `order_by` keys.
//!
//! ```ignore
//! collection_inputs! {
//!     /// Filter on courses.
//!     filter CourseBoolExp;
//!     /// Sort courses.
//!     order CourseOrderBy;
//!     fields {
//!         name: StringComparison, sort;              // compared and sorted as `name`
//!         training_center_id: IdComparison, id "TrainingCenter";
//!         /// Where the course is offered: its centre's region.
//!         region_code: RegionCodeComparison, through training_center;
//!         /// The course's centre matches.
//!         training_center: relation TrainingCenterBoolExp, sort TrainingCenterOrderBy;
//!     }
//! }
//! ```
//!
//! Adding a field to a collection's inputs is one line here (and the field in the model's
//! `Filterable`, which the engine and the adapters evaluate).

/// The unified name of a field: its GraphQL name, `snake_case` → `camelCase`
/// (`training_center_id` → `trainingCenterId`).
pub(crate) fn unified(snake: &str) -> String {
    let mut out = String::with_capacity(snake.len());
    let mut upper = false;
    for c in snake.chars() {
        match c {
            '_' => upper = true,
            c if upper => {
                out.extend(c.to_uppercase());
                upper = false;
            }
            c => out.push(c),
        }
    }
    out
}

/// Declares a collection's `where` input (and, unless `order _`, its `order_by` input) from one
/// list of fields. Each field is one of:
///
/// - `name: Comparison;` compared as the unified field `name`; `name: Comparison, sort;` also
///   sorts;
/// - `name: IdComparison, id "Type";` a global id of `Type`, compared as its source key;
/// - `name: Comparison, through relation;` the field `name` of the related record;
/// - `name: relation BoolExp;` the related record matches (`, sort OrderBy` to sort by it);
/// - `name: sort_only;` sorts, not filtered.
macro_rules! collection_inputs {
    (
        $(#[$filter_doc:meta])* filter $filter:ident;
        $(#[$order_doc:meta])* order $order:tt;
        fields { $($body:tt)* }
    ) => {
        collection_inputs!(@field
            [$filter [$(#[$filter_doc])*] $order [$(#[$order_doc])*]]
            fields {} compares {} ids {} throughs {} relations {} sorts {} sort_relations {}
            $($body)*
        );
    };

    // A comparison that also sorts.
    (@field $head:tt fields {$($fields:tt)*} compares {$($compares:tt)*} ids $ids:tt
        throughs $throughs:tt relations $relations:tt sorts {$($sorts:tt)*} sort_relations $sort_relations:tt
        $(#[$doc:meta])* $name:ident : $comparison:ident, sort; $($rest:tt)*
    ) => {
        collection_inputs!(@field $head
            fields {$($fields)* [$(#[$doc])*] $name: Option<$comparison>;}
            compares {$($compares)* $name}
            ids $ids throughs $throughs relations $relations
            sorts {$($sorts)* [$(#[$doc])*] $name}
            sort_relations $sort_relations
            $($rest)*
        );
    };
    // A global id.
    (@field $head:tt fields {$($fields:tt)*} compares $compares:tt ids {$($ids:tt)*}
        throughs $throughs:tt relations $relations:tt sorts $sorts:tt sort_relations $sort_relations:tt
        $(#[$doc:meta])* $name:ident : $comparison:ident, id $type_name:literal; $($rest:tt)*
    ) => {
        collection_inputs!(@field $head
            fields {$($fields)* [$(#[$doc])*] $name: Option<$comparison>;}
            compares $compares
            ids {$($ids)* $name $type_name}
            throughs $throughs relations $relations sorts $sorts sort_relations $sort_relations
            $($rest)*
        );
    };
    // A field of a related record.
    (@field $head:tt fields {$($fields:tt)*} compares $compares:tt ids $ids:tt
        throughs {$($throughs:tt)*} relations $relations:tt sorts $sorts:tt sort_relations $sort_relations:tt
        $(#[$doc:meta])* $name:ident : $comparison:ident, through $relation:ident; $($rest:tt)*
    ) => {
        collection_inputs!(@field $head
            fields {$($fields)* [$(#[$doc])*] $name: Option<$comparison>;}
            compares $compares ids $ids
            throughs {$($throughs)* $name $relation}
            relations $relations sorts $sorts sort_relations $sort_relations
            $($rest)*
        );
    };
    // A relation that also sorts.
    (@field $head:tt fields {$($fields:tt)*} compares $compares:tt ids $ids:tt
        throughs $throughs:tt relations {$($relations:tt)*} sorts $sorts:tt sort_relations {$($sort_relations:tt)*}
        $(#[$doc:meta])* $name:ident : relation $inner:ident, sort $inner_order:ident; $($rest:tt)*
    ) => {
        collection_inputs!(@field $head
            fields {$($fields)* [$(#[$doc])*] $name: Option<Box<$inner>>;}
            compares $compares ids $ids throughs $throughs
            relations {$($relations)* $name}
            sorts $sorts
            sort_relations {$($sort_relations)* [$(#[$doc])*] $name $inner_order}
            $($rest)*
        );
    };
    // A relation.
    (@field $head:tt fields {$($fields:tt)*} compares $compares:tt ids $ids:tt
        throughs $throughs:tt relations {$($relations:tt)*} sorts $sorts:tt sort_relations $sort_relations:tt
        $(#[$doc:meta])* $name:ident : relation $inner:ident; $($rest:tt)*
    ) => {
        collection_inputs!(@field $head
            fields {$($fields)* [$(#[$doc])*] $name: Option<Box<$inner>>;}
            compares $compares ids $ids throughs $throughs
            relations {$($relations)* $name}
            sorts $sorts sort_relations $sort_relations
            $($rest)*
        );
    };
    // Sorts only.
    (@field $head:tt fields $fields:tt compares $compares:tt ids $ids:tt
        throughs $throughs:tt relations $relations:tt sorts {$($sorts:tt)*} sort_relations $sort_relations:tt
        $(#[$doc:meta])* $name:ident : sort_only; $($rest:tt)*
    ) => {
        collection_inputs!(@field $head
            fields $fields compares $compares ids $ids throughs $throughs relations $relations
            sorts {$($sorts)* [$(#[$doc])*] $name}
            sort_relations $sort_relations
            $($rest)*
        );
    };
    // A comparison.
    (@field $head:tt fields {$($fields:tt)*} compares {$($compares:tt)*} ids $ids:tt
        throughs $throughs:tt relations $relations:tt sorts $sorts:tt sort_relations $sort_relations:tt
        $(#[$doc:meta])* $name:ident : $comparison:ident; $($rest:tt)*
    ) => {
        collection_inputs!(@field $head
            fields {$($fields)* [$(#[$doc])*] $name: Option<$comparison>;}
            compares {$($compares)* $name}
            ids $ids throughs $throughs relations $relations sorts $sorts sort_relations $sort_relations
            $($rest)*
        );
    };

    // Every field read: write the inputs.
    (@field [$filter:ident $filter_doc:tt $order:tt $order_doc:tt]
        fields $fields:tt compares $compares:tt ids $ids:tt throughs $throughs:tt
        relations $relations:tt sorts $sorts:tt sort_relations $sort_relations:tt
    ) => {
        collection_inputs!(@filter $filter $filter_doc
            fields $fields compares $compares ids $ids throughs $throughs relations $relations);
        collection_inputs!(@order $order $order_doc sorts $sorts sort_relations $sort_relations);
    };

    (@filter $filter:ident [$($filter_doc:tt)*]
        fields { $([$($doc:tt)*] $name:ident : $ty:ty;)* }
        compares { $($compared:ident)* }
        ids { $($id:ident $type_name:literal)* }
        throughs { $($through:ident $relation:ident)* }
        relations { $($related:ident)* }
    ) => {
        $($filter_doc)*
        #[derive(async_graphql::InputObject, Default, Debug)]
        pub struct $filter {
            #[graphql(name = "_and")]
            and: Option<Vec<$filter>>,
            #[graphql(name = "_or")]
            or: Option<Vec<$filter>>,
            #[graphql(name = "_not")]
            not: Option<Box<$filter>>,
            $($($doc)* $name: $ty,)*
        }

        impl $crate::graphql::filters::BoolExp for $filter {
            fn to_filter(&self) -> async_graphql::Result<simpul_schema::Filter> {
                use $crate::graphql::filters::catalogue::unified;
                let mut terms = $crate::graphql::filters::Terms::default();
                terms.nested(&self.and, &self.or, &self.not)?;
                $(if let Some(c) = &self.$compared {
                    c.add_to(&mut terms, &unified(stringify!($compared)));
                })*
                $(if let Some(c) = &self.$id {
                    c.add_to(&mut terms, &unified(stringify!($id)), $type_name)?;
                })*
                $(if let Some(c) = &self.$through {
                    let mut inner = $crate::graphql::filters::Terms::default();
                    c.add_to(&mut inner, &unified(stringify!($through)));
                    terms.through(&unified(stringify!($relation)), inner);
                })*
                $(terms.related(&unified(stringify!($related)), &self.$related)?;)*
                Ok(terms.done())
            }
        }
    };

    (@order _ $order_doc:tt sorts $sorts:tt sort_relations $sort_relations:tt) => {};
    (@order $order:ident [$($order_doc:tt)*]
        sorts { $([$($doc:tt)*] $name:ident)* }
        sort_relations { $([$($relation_doc:tt)*] $relation:ident $inner:ident)* }
    ) => {
        $($order_doc)*
        #[derive(async_graphql::InputObject, Default, Debug)]
        pub struct $order {
            $($($doc)* $name: Option<$crate::graphql::filters::OrderDirection>,)*
            $($($relation_doc)* $relation: Option<Box<$inner>>,)*
        }

        impl $crate::graphql::filters::OrderInput for $order {
            fn keys(&self) -> Vec<(String, $crate::graphql::filters::OrderDirection)> {
                use $crate::graphql::filters::catalogue::unified;
                let mut keys = Vec::new();
                $(if let Some(d) = self.$name {
                    keys.push((unified(stringify!($name)), d));
                })*
                $(if let Some(inner) = &self.$relation {
                    let prefix = unified(stringify!($relation));
                    keys.extend(inner.keys().into_iter().map(|(f, d)| (format!("{prefix}.{f}"), d)));
                })*
                keys
            }
        }
    };
}

pub(crate) use collection_inputs;

#[cfg(test)]
mod tests {
    use super::unified;

    #[test]
    fn graphql_names_become_unified_names() {
        assert_eq!(unified("provider"), "provider");
        assert_eq!(unified("training_center_id"), "trainingCenterId");
        assert_eq!(
            unified("employment_status_at_registration"),
            "employmentStatusAtRegistration"
        );
    }
}
